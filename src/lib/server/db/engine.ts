import type Database from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import type { SqliteRemoteDatabase } from 'drizzle-orm/sqlite-proxy';

/**
 * The handle every server module uses. Its type is drizzle's asynchronous SQLite database; on
 * PostgreSQL the same calls run through drizzle's node-postgres driver with the PostgreSQL
 * tables (see schema/index.ts), so modules only use what both dialects share: builders awaited
 * as promises, `returning()`, `onConflictDo…`, and portable SQL in `sql` fragments.
 */
export type Db = SqliteRemoteDatabase;

export interface Engine {
	kind: 'sqlite' | 'postgres';
	db: Db;
	/** The embedded connection, for SQLite-only maintenance (backup, tests); null on PostgreSQL. */
	sqlite: Database.Database | null;
	/** Runs fn in one transaction (a savepoint when already inside one of this flow). */
	transaction<T>(fn: () => Promise<T>): Promise<T>;
	/** Rows of a raw query, as objects keyed by column name. */
	queryRows<T>(query: SQL): Promise<T[]>;
	/** Runs a raw statement; the number of rows it changed. */
	execute(query: SQL): Promise<number>;
	migrate(folder: string): Promise<void>;
	close(): Promise<void>;
}
