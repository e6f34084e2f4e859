import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle as drizzleSync } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { SQL } from 'drizzle-orm';
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core';
import { drizzle } from 'drizzle-orm/sqlite-proxy';
import type { Engine } from './engine';
import { noteStatement, statementLogger } from './statement-count';

/**
 * The embedded engine: one better-sqlite3 connection behind drizzle's asynchronous proxy, so
 * the data layer is the same `await` code on both engines. A transaction owns the connection
 * from BEGIN IMMEDIATE to COMMIT: statements of other async flows wait for it (the owner is
 * found through AsyncLocalStorage), so nothing slips into someone else's transaction while it
 * awaits, and writers are serialised exactly as the synchronous driver did.
 */
interface Owner {
	depth: number;
}

const STATEMENT_CACHE = 500;

export function openSqliteEngine(path: string): Engine {
	if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
	const sqlite = new Database(path);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma('synchronous = FULL');
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');

	const context = new AsyncLocalStorage<Owner>();
	let owner: Owner | null = null;
	let waiting: (() => void)[] = [];
	const statements = new Map<string, Database.Statement>();

	function isOtherFlowsTurn(): boolean {
		return owner !== null && context.getStore() !== owner;
	}

	async function waitForConnection(): Promise<void> {
		while (isOtherFlowsTurn()) await new Promise<void>((resolve) => waiting.push(resolve));
	}

	function release(): void {
		owner = null;
		const wake = waiting;
		waiting = [];
		for (const resolve of wake) resolve();
	}

	function prepare(text: string): Database.Statement {
		let statement = statements.get(text);
		if (statement) {
			// Keep the map in recency order so the oldest statement is the one dropped.
			statements.delete(text);
		} else {
			statement = sqlite.prepare(text);
			if (statements.size >= STATEMENT_CACHE) {
				const oldest = statements.keys().next().value;
				if (oldest !== undefined) statements.delete(oldest);
			}
		}
		statements.set(text, statement);
		return statement;
	}

	function execute(text: string, params: unknown[], method: string): SqliteProxyResult {
		const statement = prepare(text);
		if (method === 'run' || !statement.reader) {
			const info = statement.run(...params);
			return { rows: [], changes: info.changes, lastInsertRowid: info.lastInsertRowid };
		}
		statement.raw(true);
		if (method === 'get') return { rows: statement.get(...params) as unknown[] };
		return { rows: statement.all(...params) };
	}

	// With a batch callback, drizzle's proxy takes its whole config (casing, logger) from the
	// third argument; without one it would read the casing and the logger from different places.
	const db = drizzle(
		async (text, params, method) => {
			if (isOtherFlowsTurn()) await waitForConnection();
			return execute(text, params, method);
		},
		async (queries) => {
			if (isOtherFlowsTurn()) await waitForConnection();
			return queries.map((q) => execute(q.sql, q.params, q.method));
		},
		{ casing: 'snake_case', logger: statementLogger }
	);

	async function transaction<T>(fn: () => Promise<T>): Promise<T> {
		const current = context.getStore();
		if (current && current === owner) {
			const name = `sp${++current.depth}`;
			noteStatement();
			sqlite.exec(`SAVEPOINT ${name}`);
			try {
				const result = await fn();
				noteStatement();
				sqlite.exec(`RELEASE ${name}`);
				return result;
			} catch (error) {
				sqlite.exec(`ROLLBACK TO ${name}`);
				sqlite.exec(`RELEASE ${name}`);
				throw error;
			} finally {
				current.depth--;
			}
		}
		while (owner !== null) await new Promise<void>((resolve) => waiting.push(resolve));
		const mine: Owner = { depth: 0 };
		owner = mine;
		return context.run(mine, async () => {
			try {
				noteStatement();
				sqlite.exec('BEGIN IMMEDIATE');
				const result = await fn();
				noteStatement();
				sqlite.exec('COMMIT');
				return result;
			} catch (error) {
				if (sqlite.inTransaction) sqlite.exec('ROLLBACK');
				throw error;
			} finally {
				release();
			}
		});
	}

	const dialect = new SQLiteAsyncDialect({ casing: 'snake_case' });

	return {
		kind: 'sqlite',
		db,
		sqlite,
		transaction,
		async queryRows<T>(query: SQL): Promise<T[]> {
			if (isOtherFlowsTurn()) await waitForConnection();
			noteStatement();
			const { sql: text, params } = dialect.sqlToQuery(query);
			const statement = prepare(text);
			statement.raw(false);
			return statement.all(...params) as T[];
		},
		async execute(query: SQL): Promise<number> {
			if (isOtherFlowsTurn()) await waitForConnection();
			noteStatement();
			const { sql: text, params } = dialect.sqlToQuery(query);
			return prepare(text).run(...params).changes;
		},
		async migrate(folder: string): Promise<void> {
			await waitForConnection();
			migrate(drizzleSync(sqlite), { migrationsFolder: folder });
			statements.clear();
		},
		async close(): Promise<void> {
			statements.clear();
			sqlite.close();
		}
	};
}

interface SqliteProxyResult {
	rows: unknown[];
	changes?: number;
	lastInsertRowid?: number | bigint;
}
