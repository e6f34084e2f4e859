import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { getDatabasePath, getMigrationsDir } from '../config';
import * as schema from './schema';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction handle; server functions accept either so callers can compose them. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbOrTx = Db | Tx;

export function openDatabase(path: string): Db {
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const sqlite = new Database(path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	return drizzle(sqlite, { schema, casing: 'snake_case' });
}

export function applyMigrations(db: Db, folder: string = getMigrationsDir()): void {
	migrate(db, { migrationsFolder: folder });
}

let instance: Db | undefined;

/** The process-wide database, opened on first use from DATABASE_URL. */
export function getDb(): Db {
	instance ??= openDatabase(getDatabasePath());
	return instance;
}

export function closeDb(): void {
	instance?.$client.close();
	instance = undefined;
}

export { schema };
