import { asc, eq, sql } from 'drizzle-orm';
import {
	installSpecialties,
	type SpecialtyCategory,
	type SpecialtyEntry
} from '$lib/domain/specialties';
import { recordAudit, type AuditContext } from './audit';
import { getDb, type DbOrTx } from './db';
import { specialtyTable, users } from './db/schema';

export type SpecialtyRow = typeof specialtyTable.$inferSelect;

export function listSpecialtyRows(db: DbOrTx = getDb()): SpecialtyRow[] {
	return db
		.select()
		.from(specialtyTable)
		.orderBy(asc(specialtyTable.position), asc(specialtyTable.code))
		.all();
}

function toEntry(r: SpecialtyRow): SpecialtyEntry {
	return {
		code: r.code,
		label: r.label,
		category: r.category,
		rppsCodes: r.rppsCodes,
		countsTowardQuorum: r.countsTowardQuorum,
		active: r.active
	};
}

/**
 * Makes the domain lookups (labels, quorum counting, import mapping) use the table. Called at
 * start-up and after each edit; every instance reloads at its own start (judgement call: edits
 * are rare and made by the admin, a restart of other instances is acceptable).
 */
export function loadSpecialtyRegistry(db: DbOrTx = getDb()): void {
	installSpecialties(listSpecialtyRows(db).map(toEntry));
}

/** How many accounts carry each code: shown beside each row, so that retiring one is informed. */
export function countUsersBySpecialty(): Map<string, number> {
	const rows = getDb()
		.select({ code: users.specialty, n: sql<number>`count(*)` })
		.from(users)
		.groupBy(users.specialty)
		.all();
	return new Map(rows.filter((r) => r.code !== null).map((r) => [r.code!, r.n]));
}

export interface SpecialtyInput {
	label: string;
	category: SpecialtyCategory;
	rppsCodes: string[];
	countsTowardQuorum: boolean;
	active: boolean;
}

export function createSpecialty(code: string, input: SpecialtyInput, audit: AuditContext): void {
	getDb().transaction(
		(tx) => {
			const last = tx
				.select({ max: sql<number | null>`max(${specialtyTable.position})` })
				.from(specialtyTable)
				.get();
			tx.insert(specialtyTable)
				.values({ ...input, code, position: (last?.max ?? 0) + 10 })
				.run();
			recordAudit(
				audit,
				{
					action: 'specialty.create',
					objectType: 'specialty',
					objectId: code,
					detail: { ...input }
				},
				tx
			);
		},
		{ behavior: 'immediate' }
	);
	loadSpecialtyRegistry();
}

export function updateSpecialty(code: string, input: SpecialtyInput, audit: AuditContext): void {
	getDb().transaction(
		(tx) => {
			tx.update(specialtyTable)
				.set({ ...input, updatedAt: new Date() })
				.where(eq(specialtyTable.code, code))
				.run();
			recordAudit(
				audit,
				{
					action: 'specialty.update',
					objectType: 'specialty',
					objectId: code,
					detail: { ...input }
				},
				tx
			);
		},
		{ behavior: 'immediate' }
	);
	loadSpecialtyRegistry();
}

export function getSpecialtyRow(code: string): SpecialtyRow | undefined {
	return getDb().select().from(specialtyTable).where(eq(specialtyTable.code, code)).get();
}
