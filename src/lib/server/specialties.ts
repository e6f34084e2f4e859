import { asc, eq, sql } from 'drizzle-orm';
import {
	installSpecialties,
	type SpecialtyCategory,
	type SpecialtyEntry
} from '$lib/domain/specialties';
import { recordAudit, type AuditContext } from './audit';
import { getDb, type DbOrTx, queryOne, transaction } from './db';
import { specialtyTable, users } from './db/schema';

export type SpecialtyRow = typeof specialtyTable.$inferSelect;

export async function listSpecialtyRows(db: DbOrTx = getDb()): Promise<SpecialtyRow[]> {
	return await db
		.select()
		.from(specialtyTable)
		.orderBy(asc(specialtyTable.position), asc(specialtyTable.code));
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
export async function loadSpecialtyRegistry(db: DbOrTx = getDb()): Promise<void> {
	installSpecialties((await listSpecialtyRows(db)).map(toEntry));
}

/** How many accounts carry each code: shown beside each row, so that retiring one is informed. */
export async function countUsersBySpecialty(): Promise<Map<string, number>> {
	const rows = await getDb()
		.select({ code: users.specialty, n: sql<number>`count(*)`.mapWith(Number) })
		.from(users)
		.groupBy(users.specialty);
	return new Map(rows.filter((r) => r.code !== null).map((r) => [r.code!, r.n]));
}

export interface SpecialtyInput {
	label: string;
	category: SpecialtyCategory;
	rppsCodes: string[];
	countsTowardQuorum: boolean;
	active: boolean;
}

export async function createSpecialty(
	code: string,
	input: SpecialtyInput,
	audit: AuditContext
): Promise<void> {
	await transaction(getDb(), async (tx) => {
		const last = await queryOne(
			tx.select({ max: sql<number | null>`max(${specialtyTable.position})` }).from(specialtyTable)
		);
		await tx.insert(specialtyTable).values({ ...input, code, position: (last?.max ?? 0) + 10 });
		await recordAudit(
			audit,
			{
				action: 'specialty.create',
				objectType: 'specialty',
				objectId: code,
				detail: { ...input }
			},
			tx
		);
	});
	await loadSpecialtyRegistry();
}

export async function updateSpecialty(
	code: string,
	input: SpecialtyInput,
	audit: AuditContext
): Promise<void> {
	await transaction(getDb(), async (tx) => {
		await tx
			.update(specialtyTable)
			.set({ ...input, updatedAt: new Date() })
			.where(eq(specialtyTable.code, code));
		await recordAudit(
			audit,
			{
				action: 'specialty.update',
				objectType: 'specialty',
				objectId: code,
				detail: { ...input }
			},
			tx
		);
	});
	await loadSpecialtyRegistry();
}

export async function getSpecialtyRow(code: string): Promise<SpecialtyRow | undefined> {
	return await queryOne(getDb().select().from(specialtyTable).where(eq(specialtyTable.code, code)));
}
