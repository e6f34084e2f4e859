import { applyMigrations, getDb, type Db } from '$lib/server/db';

/** The test file's database with the real migrations applied. */
export function migratedDb(): Db {
	const db = getDb();
	applyMigrations(db);
	return db;
}
