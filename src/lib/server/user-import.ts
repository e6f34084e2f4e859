import { inArray } from 'drizzle-orm';
import { parseRppsCsv, type ImportLine } from '$lib/domain/rpps-import';
import { recordAudit, type AuditContext } from './audit';
import { getDb, type DbOrTx, transaction } from './db';
import { establishments, users } from './db/schema';

export type ImportAction = 'create' | 'update' | 'unchanged' | 'error';

export interface PlannedLine extends ImportLine {
	action: ImportAction;
	establishmentId: string | null;
	establishmentName: string | null;
	userId: string | null;
}

export type ImportPlan =
	{ ok: true; lines: PlannedLine[]; errorCount: number } | { ok: false; error: string };

type UserRow = typeof users.$inferSelect;

/**
 * Checks every line against the database (establishments by FINESS, accounts by RPPS and
 * e-mail) without writing: the preview, and the first half of the import.
 */
export async function planUserImport(csv: string, db: DbOrTx = getDb()): Promise<ImportPlan> {
	const parsed = parseRppsCsv(csv);
	if (!parsed.ok) return parsed;
	const rppsList = parsed.lines.map((l) => l.rpps).filter(Boolean);
	const emails = parsed.lines.map((l) => l.email).filter(Boolean);
	const finessList = parsed.lines.map((l) => l.finess).filter((f): f is string => f !== null);
	const byRpps = new Map<string, UserRow>();
	const byEmail = new Map<string, UserRow>();
	// Chunks keep each IN list under SQLite's variable limit.
	for (const chunk of chunks(rppsList))
		for (const u of await db.select().from(users).where(inArray(users.rpps, chunk)))
			byRpps.set(u.rpps!, u);
	for (const chunk of chunks(emails))
		for (const u of await db.select().from(users).where(inArray(users.email, chunk)))
			byEmail.set(u.email, u);
	const estByFiness = new Map<string, { id: string; name: string }>();
	for (const chunk of chunks(finessList))
		for (const e of await db
			.select({ id: establishments.id, name: establishments.name, finess: establishments.finess })
			.from(establishments)
			.where(inArray(establishments.finess, chunk)))
			estByFiness.set(e.finess, e);

	const emailOwner = new Map<string, number>();
	const lines = parsed.lines.map((line): PlannedLine => {
		const errors = [...line.errors];
		const est = line.finess ? estByFiness.get(line.finess) : undefined;
		if (line.finess && !est)
			errors.push(
				`Aucun établissement du réseau ne porte le FINESS ${line.finess} : créez-le d’abord (Administration › Établissements).`
			);
		const existing = line.rpps ? byRpps.get(line.rpps) : undefined;
		const holder = line.email ? byEmail.get(line.email) : undefined;
		if (holder && holder.id !== existing?.id)
			errors.push(`L’adresse ${line.email} est déjà celle d’un autre compte.`);
		const earlier = line.email ? emailOwner.get(line.email) : undefined;
		if (earlier !== undefined) errors.push(`L’adresse ${line.email} figure déjà ligne ${earlier}.`);
		else if (line.email) emailOwner.set(line.email, line.lineNo);

		const establishmentId = est?.id ?? null;
		let action: ImportAction = errors.length > 0 ? 'error' : existing ? 'update' : 'create';
		if (action === 'update' && existing && isUnchanged(existing, line, establishmentId))
			action = 'unchanged';
		return {
			...line,
			errors,
			action,
			establishmentId,
			establishmentName: est?.name ?? null,
			userId: existing?.id ?? null
		};
	});
	return { ok: true, lines, errorCount: lines.filter((l) => l.action === 'error').length };
}

function isUnchanged(u: UserRow, l: ImportLine, establishmentId: string | null): boolean {
	return (
		u.title === l.title &&
		u.firstName === l.firstName &&
		u.lastName === l.lastName &&
		u.specialty === l.specialty &&
		u.email === l.email &&
		u.mssanteAddress === l.mssanteAddress &&
		u.establishmentId === establishmentId &&
		u.sector === l.sector
	);
}

function chunks<T>(list: T[], size = 500): T[][] {
	const out: T[][] = [];
	for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
	return out;
}

export type ImportResult =
	| { ok: true; created: number; updated: number; unchanged: number }
	| { ok: false; plan: ImportPlan };

/**
 * All or nothing: the plan is made again inside one write transaction, and nothing is written
 * when any line is in error. Re-importing updates the accounts found by RPPS (never a
 * duplicate); passwords, roles and the admin flag are left as they are.
 */
export async function importUsers(csv: string, audit: AuditContext): Promise<ImportResult> {
	return transaction(getDb(), async (tx): Promise<ImportResult> => {
		const plan = await planUserImport(csv, tx);
		if (!plan.ok || plan.errorCount > 0) return { ok: false as const, plan };
		let created = 0;
		let updated = 0;
		const now = new Date();
		for (const l of plan.lines) {
			const values = {
				title: l.title,
				firstName: l.firstName,
				lastName: l.lastName,
				specialty: l.specialty,
				email: l.email,
				mssanteAddress: l.mssanteAddress,
				establishmentId: l.establishmentId,
				sector: l.sector
			};
			if (l.action === 'create') {
				await tx
					.insert(users)
					.values({ ...values, id: crypto.randomUUID(), rpps: l.rpps, passwordHash: null });
				created++;
			} else if (l.action === 'update' && l.userId) {
				await tx
					.update(users)
					.set({ ...values, updatedAt: now })
					.where(inArray(users.id, [l.userId]));
				updated++;
			}
		}
		const unchanged = plan.lines.length - created - updated;
		await recordAudit(
			audit,
			{
				action: 'user.import',
				objectType: 'user',
				objectId: null,
				detail: { created, updated, unchanged }
			},
			tx
		);
		return { ok: true as const, created, updated, unchanged };
	});
}
