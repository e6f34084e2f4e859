import { customType, text, timestamp } from 'drizzle-orm/pg-core';

// The PostgreSQL twin of ../schema/columns.ts: same names, same TypeScript types, so one
// data-access layer reads and writes both engines (schema-lockstep.test.ts keeps them aligned).

/** Random text primary key: ids in URLs must not be guessable or enumerable. */
export const id = () =>
	text()
		.primaryKey()
		.$defaultFn(() => crypto.randomUUID());

/** UTC instant, millisecond precision as on SQLite (epoch milliseconds there). */
export const instant = () => timestamp({ mode: 'date', precision: 3, withTimezone: true });

export const createdAt = () =>
	timestamp({ mode: 'date', precision: 3, withTimezone: true })
		.notNull()
		.$defaultFn(() => new Date());

/** Raw bytes (session secret hashes), a Buffer as better-sqlite3's blob gives. */
export const bytes = customType<{ data: Buffer; driverData: Buffer }>({
	dataType: () => 'bytea'
});
