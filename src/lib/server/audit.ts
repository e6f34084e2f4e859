import { asc, desc, gt } from 'drizzle-orm';
import {
	computeAuditHash,
	GENESIS_HASH,
	verifyChain,
	type ChainCheck
} from '$lib/domain/audit-chain';
import { getDb, type DbOrTx } from './db';
import { auditEvents } from './db/schema';

export interface AuditContext {
	actorType: 'user' | 'guest' | 'system' | 'anonymous';
	actorId: string | null;
	ip: string | null;
}

export interface AuditEntry {
	action: string;
	objectType?: string | null;
	objectId?: string | null;
	patientId?: string | null;
	detail?: Record<string, unknown> | string | null;
}

function appendRow(tx: DbOrTx, ctx: AuditContext, entry: AuditEntry, at: Date): void {
	const last = tx
		.select({ hash: auditEvents.hash })
		.from(auditEvents)
		.orderBy(desc(auditEvents.seq))
		.limit(1)
		.get();
	const prevHash = last?.hash ?? GENESIS_HASH;
	const fields = {
		at,
		actorType: ctx.actorType,
		actorId: ctx.actorId,
		action: entry.action,
		objectType: entry.objectType ?? null,
		objectId: entry.objectId ?? null,
		patientId: entry.patientId ?? null,
		ip: ctx.ip,
		detail:
			entry.detail == null
				? null
				: typeof entry.detail === 'string'
					? entry.detail
					: JSON.stringify(entry.detail)
	};
	tx.insert(auditEvents)
		.values({ ...fields, prevHash, hash: computeAuditHash(prevHash, fields) })
		.run();
}

/**
 * Appends one audit row. Inside a caller's transaction pass `tx` so the row commits
 * (or rolls back) with the change it records; alone, it takes its own write lock.
 */
export function recordAudit(ctx: AuditContext, entry: AuditEntry, tx?: DbOrTx): void {
	const at = new Date();
	if (tx) return appendRow(tx, ctx, entry, at);
	getDb().transaction((t) => appendRow(t, ctx, entry, at), { behavior: 'immediate' });
}

/** Streams the whole trail in pages so a long history does not sit in memory at once. */
function* readTrail(pageSize = 5000): Generator<typeof auditEvents.$inferSelect> {
	let after = 0;
	for (;;) {
		const page = getDb()
			.select()
			.from(auditEvents)
			.where(gt(auditEvents.seq, after))
			.orderBy(asc(auditEvents.seq))
			.limit(pageSize)
			.all();
		yield* page;
		if (page.length < pageSize) return;
		after = page[page.length - 1]!.seq;
	}
}

export function verifyAuditTrail(): ChainCheck {
	return verifyChain(readTrail());
}

export const systemAudit: AuditContext = { actorType: 'system', actorId: null, ip: null };
