import { eq, sql } from 'drizzle-orm';
import { getDb } from './db';
import { establishments, meetingSeries, pathways, specialtyTable, users } from './db/schema';

export interface SetupProgress {
	establishments: number;
	specialties: number;
	users: number;
	pathways: number;
	series: number;
}

/** What a new network has set up so far, for the admin's first-run checklist (five counts). */
export function readSetupProgress(): SetupProgress {
	const db = getDb();
	const count = (q: { n: number } | undefined): number => q?.n ?? 0;
	const n = sql<number>`count(*)`;
	return {
		establishments: count(db.select({ n }).from(establishments).get()),
		specialties: count(
			db.select({ n }).from(specialtyTable).where(eq(specialtyTable.active, true)).get()
		),
		users: count(db.select({ n }).from(users).where(eq(users.isAdmin, false)).get()),
		pathways: count(db.select({ n }).from(pathways).get()),
		series: count(db.select({ n }).from(meetingSeries).get())
	};
}
