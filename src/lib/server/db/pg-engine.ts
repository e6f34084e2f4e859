import { AsyncLocalStorage } from 'node:async_hooks';
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Db, Engine } from './engine';
import { statementLogger } from './statement-count';

type PgDb = ReturnType<typeof drizzle>;
type PgTx = Parameters<Parameters<PgDb['transaction']>[0]>[0];

/** Any stable number: the session lock two starting instances take around their migrations. */
const MIGRATION_LOCK = 7_265_010;
/** Serialisation failures under contention are normal: retried with a growing random pause. */
const MAX_ATTEMPTS = 40;

/**
 * PostgreSQL through node-postgres. Transactions are SERIALIZABLE and retried on a
 * serialisation failure or deadlock, which gives the guarantee SQLite's BEGIN IMMEDIATE gave
 * (the audit chain, claims, version checks) without hand-placed row locks. The handle given to
 * modules follows the flow's open transaction (AsyncLocalStorage), so a statement written
 * against `db` inside a transaction runs in it, as on the single SQLite connection.
 */
export function openPostgresEngine(url: string): Engine {
	const pool = new pg.Pool({ connectionString: url, max: Number(process.env.PG_POOL_MAX ?? 10) });
	pool.on('error', (error) => console.error('PostgreSQL :', error.message));
	const root = drizzle(pool, { casing: 'snake_case', logger: statementLogger });
	const context = new AsyncLocalStorage<PgTx>();

	const db = new Proxy(root, {
		get(target, property) {
			const source = (context.getStore() ?? target) as object;
			const value = Reflect.get(source, property, source) as unknown;
			return typeof value === 'function' ? (value as () => unknown).bind(source) : value;
		}
	}) as unknown as Db;

	async function transaction<T>(fn: () => Promise<T>): Promise<T> {
		const current = context.getStore();
		if (current) return current.transaction((nested) => context.run(nested, fn));
		for (let attempt = 1; ; attempt++) {
			try {
				return await root.transaction((tx) => context.run(tx, fn), {
					isolationLevel: 'serializable'
				});
			} catch (error) {
				if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
				await new Promise((resolve) =>
					setTimeout(resolve, Math.random() * Math.min(200, 2 ** Math.min(attempt, 8)))
				);
			}
		}
	}

	const current = (): PgDb | PgTx => context.getStore() ?? root;

	return {
		kind: 'postgres',
		db,
		sqlite: null,
		transaction,
		async queryRows<T>(query: SQL): Promise<T[]> {
			return (await current().execute(query)).rows as T[];
		},
		async execute(query: SQL): Promise<number> {
			return (await current().execute(query)).rowCount ?? 0;
		},
		async migrate(folder: string): Promise<void> {
			const client = await pool.connect();
			try {
				await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
				await migrate(drizzle(client), { migrationsFolder: folder });
			} finally {
				await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
				client.release();
			}
		},
		async close(): Promise<void> {
			await pool.end();
		}
	};
}

/** Serialisation failure or deadlock, possibly wrapped by drizzle. */
export function isRetryable(error: unknown): boolean {
	for (let e = error as { code?: unknown; cause?: unknown } | undefined; e;) {
		if (e.code === '40001' || e.code === '40P01') return true;
		e = e.cause as typeof e;
	}
	return false;
}
