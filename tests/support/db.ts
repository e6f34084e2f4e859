import { applyMigrations, getDb, type Db } from '$lib/server/db';

export {
	affectedRows,
	executeSql,
	getEngineKind,
	instantParam,
	getSqliteClient,
	queryOne,
	queryRows,
	transaction
} from '$lib/server/db';

/** The test file's database with the real migrations applied. */
export async function migratedDb(): Promise<Db> {
	const db = getDb();
	await applyMigrations(db);
	return db;
}
