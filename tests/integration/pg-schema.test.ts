// The two engines' migrations, applied for real, must build the same database: every table,
// column (and its nullability), primary key, index (and its uniqueness) and foreign key on one
// exists on the other. Also proves the PostgreSQL migrations apply from scratch and that the
// PostgreSQL schema round-trips the types the app relies on (instants, JSON, booleans, bytes).
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import * as pgSchema from '../../src/lib/server/db/schema-pg';
import {
	describeMissingPostgres,
	findPostgresBin,
	startPostgresCluster
} from '../../scripts/postgres-cluster.js';

interface Catalog {
	tables: string[];
	columns: string[];
	primaryKeys: string[];
	indexes: string[];
	foreignKeys: string[];
}

const missing = findPostgresBin() ? null : describeMissingPostgres();
if (missing) console.log(`[pg-schema] ignoré : ${missing}`);

async function readSqliteCatalog(path: string): Promise<Catalog> {
	const db = new Database(path, { readonly: true });
	const tables = (
		db
			.prepare(
				`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%'`
			)
			.all() as { name: string }[]
	).map((t) => t.name);
	const out: Catalog = { tables, columns: [], primaryKeys: [], indexes: [], foreignKeys: [] };
	for (const t of tables) {
		const cols = db.prepare(`PRAGMA table_info("${t}")`).all() as {
			name: string;
			notnull: number;
			pk: number;
		}[];
		for (const c of cols) out.columns.push(`${t}.${c.name}${c.notnull || c.pk ? ' not null' : ''}`);
		const pk = cols.filter((c) => c.pk > 0).sort((x, y) => x.pk - y.pk);
		out.primaryKeys.push(`${t}(${pk.map((c) => c.name).join(',')})`);
		const indexes = db.prepare(`PRAGMA index_list("${t}")`).all() as {
			name: string;
			unique: number;
			origin: string;
		}[];
		for (const i of indexes) {
			if (i.origin === 'pk') continue;
			const ic = db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[];
			out.indexes.push(
				`${t}.${i.name}(${ic.map((c) => c.name).join(',')})${i.unique ? ' unique' : ''}`
			);
		}
		const fks = db.prepare(`PRAGMA foreign_key_list("${t}")`).all() as {
			id: number;
			table: string;
			from: string;
			to: string;
			on_delete: string;
		}[];
		for (const fk of fks)
			out.foreignKeys.push(
				`${t}.${fk.from} -> ${fk.table}.${fk.to} on delete ${fk.on_delete.toLowerCase()}`
			);
	}
	return sortCatalog(out);
}

async function readPgCatalog(client: pg.Client): Promise<Catalog> {
	const q = async <T>(text: string): Promise<T[]> => (await client.query(text)).rows as T[];
	const tables = (
		await q<{ name: string }>(
			`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`
		)
	).map((t) => t.name);
	const columns = (
		await q<{ t: string; c: string; n: string }>(
			`SELECT table_name AS t, column_name AS c, is_nullable AS n FROM information_schema.columns WHERE table_schema = 'public'`
		)
	).map((r) => `${r.t}.${r.c}${r.n === 'NO' ? ' not null' : ''}`);
	const primaryKeys = (
		await q<{ t: string; cols: string }>(
			`SELECT c.conrelid::regclass::text AS t,
			        string_agg(a.attname, ',' ORDER BY array_position(c.conkey, a.attnum)) AS cols
			   FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
			  WHERE c.contype = 'p' AND c.connamespace = 'public'::regnamespace
			  GROUP BY c.conrelid`
		)
	).map((r) => `${r.t.replace(/"/g, '')}(${r.cols})`);
	const indexes = (
		await q<{ t: string; i: string; cols: string; u: boolean }>(
			`SELECT t.relname AS t, i.relname AS i, ix.indisunique AS u,
			        string_agg(a.attname, ',' ORDER BY array_position(ix.indkey::int2[], a.attnum)) AS cols
			   FROM pg_index ix
			   JOIN pg_class i ON i.oid = ix.indexrelid
			   JOIN pg_class t ON t.oid = ix.indrelid
			   JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
			   JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (ix.indkey::int2[])
			  WHERE NOT ix.indisprimary AND t.relname NOT LIKE '__drizzle%'
			  GROUP BY t.relname, i.relname, ix.indisunique`
		)
	).map((r) => `${r.t}.${r.i}(${r.cols})${r.u ? ' unique' : ''}`);
	const actions: Record<string, string> = {
		a: 'no action',
		r: 'restrict',
		c: 'cascade',
		n: 'set null',
		d: 'set default'
	};
	const foreignKeys = (
		await q<{ t: string; c: string; ft: string; fc: string; d: string }>(
			`SELECT c.conrelid::regclass::text AS t, a.attname AS c, c.confrelid::regclass::text AS ft,
			        fa.attname AS fc, c.confdeltype AS d
			   FROM pg_constraint c
			   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
			   JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
			  WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`
		)
	).map(
		(r) =>
			`${r.t.replace(/"/g, '')}.${r.c} -> ${r.ft.replace(/"/g, '')}.${r.fc} on delete ${actions[r.d]}`
	);
	return sortCatalog({ tables, columns, primaryKeys, indexes, foreignKeys });
}

function sortCatalog(c: Catalog): Catalog {
	return {
		tables: [...c.tables].sort(),
		columns: [...c.columns].sort(),
		primaryKeys: [...c.primaryKeys].sort(),
		indexes: [...c.indexes].sort(),
		foreignKeys: [...c.foreignKeys].sort()
	};
}

describe.skipIf(missing !== null)('both engines build the same database', () => {
	let cluster: Awaited<ReturnType<typeof startPostgresCluster>>;
	let client: pg.Client;
	let sqlitePath: string;

	beforeAll(async () => {
		cluster = await startPostgresCluster();
		client = new pg.Client({ connectionString: cluster.url });
		await client.connect();
		await migrate(drizzle(client), { migrationsFolder: resolve('drizzle-pg') });
		sqlitePath = join(mkdtempSync(join(tmpdir(), 'pluri-lockstep-')), 'pluri.db');
		// The SQLite migrations applied as the app applies them, on a file of their own.
		const lite = new Database(sqlitePath);
		migrateSqlite(drizzleSqlite(lite), { migrationsFolder: resolve('drizzle') });
		lite.close();
	}, 60_000);

	afterAll(async () => {
		await client?.end();
		cluster?.stop();
	});

	it('has the same tables, columns, keys, indexes and references', async () => {
		const lite = await readSqliteCatalog(sqlitePath);
		const pgc = await readPgCatalog(client);
		expect(lite.tables.length).toBeGreaterThan(20);
		expect(pgc.tables).toEqual(lite.tables);
		expect(pgc.columns).toEqual(lite.columns);
		expect(pgc.primaryKeys).toEqual(lite.primaryKeys);
		expect(pgc.indexes).toEqual(lite.indexes);
		expect(pgc.foreignKeys).toEqual(lite.foreignKeys);
	});

	it('installs the same referential rows (specialties)', async () => {
		const lite = new Database(sqlitePath, { readonly: true });
		const expected = lite.prepare('SELECT code FROM specialty ORDER BY code').all();
		const actual = (await client.query('SELECT code FROM specialty ORDER BY code')).rows;
		expect(expected.length).toBeGreaterThan(30);
		expect(actual).toEqual(expected);
	});

	it('round-trips instants, JSON, booleans and bytes through the PostgreSQL schema', async () => {
		const db = drizzle(client, { schema: pgSchema, casing: 'snake_case' });
		const at = new Date('2026-12-02T09:15:30.123Z');
		const [user] = await db
			.insert(pgSchema.users)
			.values({ email: 'a@example.org', firstName: 'Anne', lastName: 'Durand', sector: 'gp' })
			.returning();
		await db.insert(pgSchema.sessions).values({
			id: 's1',
			secretHash: Buffer.from([0, 1, 254, 255]),
			userId: user!.id,
			createdAt: at,
			lastSeenAt: at
		});
		const [s] = await db.select().from(pgSchema.sessions).where(eq(pgSchema.sessions.id, 's1'));
		expect(s!.createdAt.toISOString()).toBe(at.toISOString());
		expect([...s!.secretHash]).toEqual([0, 1, 254, 255]);
		expect(user!.isAdmin).toBe(false);
		const [p] = await db
			.insert(pgSchema.pathways)
			.values({
				code: 'x',
				name: 'X',
				kind: 'oncology',
				quorumRule: { kind: 'specialties', required: ['medical_oncology'] } as never
			})
			.returning();
		expect(p!.quorumRule).toEqual({ kind: 'specialties', required: ['medical_oncology'] });
		const [audit] = await db
			.insert(pgSchema.auditEvents)
			.values({ at, actorType: 'system', action: 't', prevHash: '0', hash: '1' })
			.returning();
		expect(audit!.seq).toBe(1);
	});
});
