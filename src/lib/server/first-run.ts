import { eq, sql } from 'drizzle-orm';
import { getDb, queryOne } from './db';
import { establishments, meetingSeries, pathways, specialtyTable, users } from './db/schema';

export interface SetupProgress {
	establishments: number;
	specialties: number;
	users: number;
	pathways: number;
	series: number;
}

/** What a new network has set up so far, for the admin's first-run checklist (five counts). */
export async function readSetupProgress(): Promise<SetupProgress> {
	const db = getDb();
	const count = (q: { n: number } | undefined): number => q?.n ?? 0;
	const n = sql<number>`count(*)`.mapWith(Number);
	return {
		establishments: count(await queryOne(db.select({ n }).from(establishments))),
		specialties: count(
			await queryOne(db.select({ n }).from(specialtyTable).where(eq(specialtyTable.active, true)))
		),
		users: count(await queryOne(db.select({ n }).from(users).where(eq(users.isAdmin, false)))),
		pathways: count(await queryOne(db.select({ n }).from(pathways))),
		series: count(await queryOne(db.select({ n }).from(meetingSeries)))
	};
}
