import type Database from 'better-sqlite3';
import { ilike, like, sql, type Column, type SQL, type SQLWrapper } from 'drizzle-orm';
import { getDatabaseUrl, getMigrationsDir, isPostgresUrl } from '../config';
import type { Db, Engine } from './engine';
import { openPostgresEngine } from './pg-engine';
import * as schema from './schema';
import { openSqliteEngine } from './sqlite-engine';

export type { Db };
/** Kept for readability at call sites: inside `transaction`, the handle is the same `Db`. */
export type Tx = Db;
export type DbOrTx = Db;

const engines = new WeakMap<Db, Engine>();

/** Opens a database: a PostgreSQL URL, or a SQLite file path (`:memory:` for a scratch one). */
export function openDatabase(url: string): Db {
	const kind = isPostgresUrl(url) ? 'postgres' : 'sqlite';
	// Values are mapped by the tables' column types: another engine's would be written wrongly.
	if (kind !== schema.schemaEngine)
		throw new Error(
			`Base ${kind} ouverte alors que les tables ont été chargées pour ${schema.schemaEngine} : DATABASE_URL doit désigner le moteur avant le premier import du schéma.`
		);
	const engine =
		kind === 'postgres'
			? openPostgresEngine(url)
			: openSqliteEngine(url === ':memory:' ? url : url.replace(/^file:/, ''));
	engines.set(engine.db, engine);
	return engine.db;
}

function engineOf(db: Db): Engine {
	const engine = engines.get(db);
	if (!engine) throw new Error('Base de données inconnue : ouverte hors de openDatabase().');
	return engine;
}

/** The engine's own migrations (drizzle/ for SQLite, drizzle-pg/ for PostgreSQL). */
export async function applyMigrations(db: Db, folder?: string): Promise<void> {
	const engine = engineOf(db);
	await engine.migrate(
		folder ?? getMigrationsDir(engine.kind === 'postgres' ? 'drizzle-pg' : 'drizzle')
	);
}

/**
 * Runs fn in one transaction: BEGIN IMMEDIATE on the SQLite connection (other flows wait),
 * SERIALIZABLE with retries on PostgreSQL, a savepoint when this flow is already inside one.
 * On PostgreSQL fn may run more than once: it must only touch the database.
 */
export function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
	return engineOf(db).transaction(() => fn(db));
}

/** The first row of a query (drizzle's `.get()`, on both engines). */
export async function queryOne<T>(query: PromiseLike<T[]>): Promise<T | undefined> {
	return (await query)[0];
}

/** Rows changed by an insert, update or delete, whatever the engine's result shape. */
export function affectedRows(result: unknown): number {
	const r = result as { changes?: number; rowCount?: number | null };
	return r.changes ?? r.rowCount ?? 0;
}

/** Rows of a raw `sql` query (named columns), on both engines. */
export function queryRows<T>(db: Db, query: SQL): Promise<T[]> {
	return engineOf(db).queryRows<T>(query);
}

/** Runs a raw `sql` statement; returns the rows it changed. */
export function executeSql(db: Db, query: SQL): Promise<number> {
	return engineOf(db).execute(query);
}

const onPostgres = isPostgresUrl();

/**
 * A column SQLite's planner must not use an index for (`+col`, its documented idiom), so it
 * takes a narrower one; plain on PostgreSQL, whose planner has statistics.
 */
export function unindexed(column: SQLWrapper): SQL {
	return onPostgres ? sql`${column}` : sql`+${column}`;
}

/** An instant as a raw `sql` parameter: epoch milliseconds in SQLite, a timestamp in PostgreSQL. */
export function instantParam(at: Date): Date | number {
	return onPostgres ? at : at.getTime();
}

/** LIKE that ignores case as SQLite's does (ASCII), on both engines. */
export function likeAnyCase(column: Column | SQL, pattern: string): SQL {
	return onPostgres ? ilike(column, pattern) : like(column, pattern);
}

export function getEngineKind(db: Db): Engine['kind'] {
	return engineOf(db).kind;
}

/** The embedded better-sqlite3 connection (backups, SQLite-only tests); throws on PostgreSQL. */
export function getSqliteClient(db: Db): Database.Database {
	const client = engineOf(db).sqlite;
	if (!client) throw new Error('Opération réservée à la base SQLite embarquée.');
	return client;
}

/** Closes a database opened with openDatabase (the process-wide one: closeDb). */
export async function closeDatabase(db: Db): Promise<void> {
	await engineOf(db).close();
	engines.delete(db);
}

let instance: Db | undefined;

/** The process-wide database, opened on first use from DATABASE_URL. */
export function getDb(): Db {
	instance ??= openDatabase(getDatabaseUrl());
	return instance;
}

export async function closeDb(): Promise<void> {
	const db = instance;
	instance = undefined;
	if (db) await closeDatabase(db);
}

export { schema };
