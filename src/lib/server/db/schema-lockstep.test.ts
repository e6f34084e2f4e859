// The SQLite schema (./schema) and its PostgreSQL twin (./schema-pg) must describe the same
// tables: same exports, columns, types (as the app sees them), defaults, keys, indexes and
// references. One data-access layer serves both engines, so any drift is a bug on one of them.
import { is } from 'drizzle-orm';
import { getTableConfig as getPgConfig, PgTable } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import * as lite from './schema/sqlite';
import * as pg from './schema-pg';

/** The type family a column has for the app, whatever the engine stores. */
const families: Record<string, string> = {
	SQLiteText: 'text',
	SQLiteInteger: 'integer',
	SQLiteBoolean: 'boolean',
	SQLiteTimestamp: 'instant',
	SQLiteTextJson: 'json',
	SQLiteBlobBuffer: 'bytes',
	PgText: 'text',
	PgInteger: 'integer',
	PgBoolean: 'boolean',
	PgTimestamp: 'instant',
	PgJsonb: 'json',
	PgCustomColumn: 'bytes'
};

interface ColumnShape {
	family: string;
	notNull: boolean;
	primary: boolean;
	unique: boolean;
	default: string | null;
	generated: boolean;
	enumValues: string[] | null;
}

interface TableShape {
	columns: Record<string, ColumnShape>;
	primaryKeys: string[];
	indexes: string[];
	foreignKeys: string[];
	uniques: string[];
}

type AnyConfig = ReturnType<typeof getSqliteConfig> | ReturnType<typeof getPgConfig>;

function describeDefault(value: unknown): string | null {
	if (value === undefined) return null;
	return JSON.stringify(value);
}

function shapeOf(config: AnyConfig): TableShape {
	const columns: Record<string, ColumnShape> = {};
	for (const c of config.columns) {
		const family = families[c.columnType];
		if (!family) throw new Error(`${config.name}.${c.name}: unknown column type ${c.columnType}`);
		columns[c.name] = {
			family,
			notNull: c.notNull,
			primary: c.primary,
			unique: c.isUnique,
			default: describeDefault(c.default),
			// A default computed in JS ($defaultFn) or by the engine (autoincrement, identity).
			generated:
				c.defaultFn !== undefined ||
				(c.primary && c.columnType === 'SQLiteInteger' && c.hasDefault) ||
				('generatedIdentity' in c && c.generatedIdentity !== undefined),
			enumValues: c.enumValues?.length ? [...c.enumValues] : null
		};
	}
	const indexes = config.indexes.map((i) => {
		const cols = i.config.columns.map((col) => ('name' in col ? col.name : '?')).join(',');
		return `${i.config.name}(${cols})${i.config.unique ? ' unique' : ''}`;
	});
	const foreignKeys = config.foreignKeys.map((fk) => {
		const r = fk.reference();
		const from = r.columns.map((c) => c.name).join(',');
		const table = 'foreignTable' in r ? tableName(r.foreignTable) : '?';
		const to = r.foreignColumns.map((c) => c.name).join(',');
		return `${from} -> ${table}(${to}) on delete ${fk.onDelete ?? 'no action'}`;
	});
	return {
		columns,
		primaryKeys: config.primaryKeys.map((pk) => pk.columns.map((c) => c.name).join(',')),
		indexes: indexes.sort(),
		foreignKeys: foreignKeys.sort(),
		uniques: config.uniqueConstraints.map((u) => u.columns.map((c) => c.name).join(',')).sort()
	};
}

function tableName(table: unknown): string {
	if (is(table, SQLiteTable)) return getSqliteConfig(table).name;
	if (is(table, PgTable)) return getPgConfig(table).name;
	return '?';
}

function sqliteTables(): Record<string, TableShape> {
	const out: Record<string, TableShape> = {};
	for (const [name, value] of Object.entries(lite))
		if (is(value, SQLiteTable)) out[name] = { ...shapeOf(getSqliteConfig(value)) };
	return out;
}

function pgTables(): Record<string, TableShape> {
	const out: Record<string, TableShape> = {};
	for (const [name, value] of Object.entries(pg))
		if (is(value, PgTable)) out[name] = { ...shapeOf(getPgConfig(value)) };
	return out;
}

describe('SQLite and PostgreSQL schemas in lockstep', () => {
	const a = sqliteTables();
	const b = pgTables();

	it('export the same tables under the same names', () => {
		expect(Object.keys(a).length).toBeGreaterThan(20);
		expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
	});

	it('export the same non-table values (enums, constants)', () => {
		const values = (m: Record<string, unknown>): string[] =>
			Object.entries(m)
				.filter(([, v]) => !is(v, SQLiteTable) && !is(v, PgTable))
				.map(([k]) => k)
				.sort();
		expect(values(pg)).toEqual(values(lite));
	});

	for (const name of Object.keys(a)) {
		it(`describe ${name} alike`, () => {
			expect(b[name], `${name} is missing from schema-pg`).toBeDefined();
			expect(b[name]).toEqual(a[name]);
		});
	}

	it('give the app the same row types', () => {
		expectTypeOf<typeof pg.users.$inferSelect>().toEqualTypeOf<typeof lite.users.$inferSelect>();
		expectTypeOf<typeof pg.sessions.$inferSelect>().toEqualTypeOf<
			typeof lite.sessions.$inferSelect
		>();
		expectTypeOf<typeof pg.cases.$inferSelect>().toEqualTypeOf<typeof lite.cases.$inferSelect>();
		expectTypeOf<typeof pg.cases.$inferInsert>().toEqualTypeOf<typeof lite.cases.$inferInsert>();
		expectTypeOf<typeof pg.meetings.$inferSelect>().toEqualTypeOf<
			typeof lite.meetings.$inferSelect
		>();
		expectTypeOf<typeof pg.invitations.$inferSelect>().toEqualTypeOf<
			typeof lite.invitations.$inferSelect
		>();
		expectTypeOf<typeof pg.decisions.$inferSelect>().toEqualTypeOf<
			typeof lite.decisions.$inferSelect
		>();
		expectTypeOf<typeof pg.outbox.$inferSelect>().toEqualTypeOf<typeof lite.outbox.$inferSelect>();
		expectTypeOf<typeof pg.auditEvents.$inferInsert>().toEqualTypeOf<
			typeof lite.auditEvents.$inferInsert
		>();
		expectTypeOf<typeof pg.mailMessages.$inferSelect>().toEqualTypeOf<
			typeof lite.mailMessages.$inferSelect
		>();
		expectTypeOf<typeof pg.patients.$inferSelect>().toEqualTypeOf<
			typeof lite.patients.$inferSelect
		>();
		expectTypeOf<typeof pg.pathways.$inferSelect>().toEqualTypeOf<
			typeof lite.pathways.$inferSelect
		>();
		expectTypeOf<typeof pg.specialtyTable.$inferSelect>().toEqualTypeOf<
			typeof lite.specialtyTable.$inferSelect
		>();
	});
});
