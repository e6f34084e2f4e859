import { integer, text } from 'drizzle-orm/sqlite-core';

/** Random text primary key: ids in URLs must not be guessable or enumerable. */
export const id = () =>
	text()
		.primaryKey()
		.$defaultFn(() => crypto.randomUUID());

/** UTC instant, stored as milliseconds since the epoch. */
export const instant = () => integer({ mode: 'timestamp_ms' });

export const createdAt = () =>
	integer({ mode: 'timestamp_ms' })
		.notNull()
		.$defaultFn(() => new Date());
