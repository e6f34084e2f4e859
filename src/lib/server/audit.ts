import { asc, desc, eq, gt } from 'drizzle-orm';
import {
	computeKeyedHash,
	deriveChainKey,
	formatKeyedFrom,
	GENESIS_HASH,
	parseKeyedFrom,
	verifyChain,
	type ChainCheck,
	type ChainRow,
	type ChainScheme
} from '$lib/domain/audit-chain';
import { getDb, type DbOrTx, queryOne, transaction } from './db';
import { auditEvents, settings } from './db/schema';
import { getAppSecret, getSetting } from './settings';

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

/** Setting holding the seq of the first keyed row (signed, see formatKeyedFrom). */
export const KEYED_FROM_SETTING = 'audit_chain_keyed_from';

let keyCache: { secret: string; key: Buffer } | undefined;

/** The chain key, derived from the app secret (APP_SECRET or the one kept in the database). */
export async function getChainKey(): Promise<Buffer> {
	const secret = await getAppSecret();
	if (keyCache?.secret !== secret) keyCache = { secret, key: deriveChainKey(secret) };
	return keyCache.key;
}

/**
 * How the stored rows are checked. Without a marker no keyed row was ever written (a database
 * from before the keyed chain, or an empty one); an altered marker counts as « keyed from the
 * first row » so it can never let keyed rows pass under the old scheme. `known` is a start
 * remembered by an earlier verification, used when the marker has disappeared.
 */
export async function readChainScheme(known: number | null = null): Promise<ChainScheme> {
	const key = await getChainKey();
	const marker = await getSetting(KEYED_FROM_SETTING);
	if (marker === null) return { key, keyedFrom: known };
	return { key, keyedFrom: parseKeyedFrom(key, marker) ?? 1 };
}

async function appendRows(
	tx: DbOrTx,
	ctx: AuditContext,
	entries: readonly AuditEntry[],
	at: Date
): Promise<void> {
	if (!entries.length) return;
	// One appender at a time: SQLite's writer lock; on PostgreSQL the SERIALIZABLE transaction
	// (two appends reading the same last row cannot both commit: one is retried), and the unique
	// index on prev_hash as the last word (a fork cannot be stored).
	const last = await queryOne(
		tx.select({ hash: auditEvents.hash }).from(auditEvents).orderBy(desc(auditEvents.seq)).limit(1)
	);
	const key = await getChainKey();
	let prevHash = last?.hash ?? GENESIS_HASH;
	// Chained in memory, written in one statement: rows take their seqs in this order.
	const rows = entries.map((entry) => {
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
		const row = { ...fields, prevHash, hash: computeKeyedHash(key, prevHash, fields) };
		prevHash = row.hash;
		return row;
	});
	const inserted = await tx.insert(auditEvents).values(rows).returning({ seq: auditEvents.seq });
	// The first keyed row marks where the keyed chain starts (older rows keep the old scheme).
	const marked = await queryOne(
		tx.select({ key: settings.key }).from(settings).where(eq(settings.key, KEYED_FROM_SETTING))
	);
	if (!marked) {
		const first = Math.min(...inserted.map((r) => r.seq));
		const value = formatKeyedFrom(key, first);
		await tx.insert(settings).values({ key: KEYED_FROM_SETTING, value }).onConflictDoNothing();
	}
}

/**
 * Appends one audit row. Inside a caller's transaction pass `tx` so the row commits
 * (or rolls back) with the change it records; alone, it takes its own write lock.
 */
export async function recordAudit(
	ctx: AuditContext,
	entry: AuditEntry,
	tx?: DbOrTx
): Promise<void> {
	const at = new Date();
	// Always in a transaction (a savepoint inside the caller's): reading the last hash and
	// appending must not interleave with another flow's append, or the chain would fork.
	await transaction(tx ?? getDb(), async (t) => appendRows(t, ctx, [entry], at));
}

/**
 * Appends several rows of one actor at once (a list page showing many patients): one read of
 * the chain's end and one insert, instead of two statements per row.
 */
export async function recordAuditBatch(
	ctx: AuditContext,
	entries: readonly AuditEntry[],
	tx?: DbOrTx
): Promise<void> {
	if (!entries.length) return;
	const at = new Date();
	await transaction(tx ?? getDb(), async (t) => appendRows(t, ctx, entries, at));
}

/** Rows in sequence order after `afterSeq`, at most `limit`. */
export async function readTrailPage(afterSeq: number, limit: number): Promise<ChainRow[]> {
	return await getDb()
		.select({
			seq: auditEvents.seq,
			at: auditEvents.at,
			actorType: auditEvents.actorType,
			actorId: auditEvents.actorId,
			action: auditEvents.action,
			objectType: auditEvents.objectType,
			objectId: auditEvents.objectId,
			patientId: auditEvents.patientId,
			ip: auditEvents.ip,
			detail: auditEvents.detail,
			prevHash: auditEvents.prevHash,
			hash: auditEvents.hash
		})
		.from(auditEvents)
		.where(gt(auditEvents.seq, afterSeq))
		.orderBy(asc(auditEvents.seq))
		.limit(limit);
}

/** Streams the whole trail in pages so a long history does not sit in memory at once. */
async function* readTrail(pageSize = 5000): AsyncGenerator<ChainRow> {
	let after = 0;
	for (;;) {
		const page = await readTrailPage(after, pageSize);
		yield* page;
		if (page.length < pageSize) return;
		after = page[page.length - 1]!.seq;
	}
}

/**
 * Checks the whole chain at once, in memory: for tests and scripts only. Requests never
 * call it; the server verifies in the background (audit-verify.ts).
 */
export async function verifyAuditTrail(): Promise<ChainCheck> {
	const rows: ChainRow[] = [];
	for await (const row of readTrail()) rows.push(row);
	return verifyChain(rows, await readChainScheme());
}

export const systemAudit: AuditContext = { actorType: 'system', actorId: null, ip: null };

export interface DeniedAttempt {
	/** SvelteKit route id and entry (`load`, `action:name`, `GET`…). */
	route: string;
	entry: string;
	/** The object asked for, from the route parameters (case, meeting, decision…). */
	objectType?: string | null;
	objectId?: string | null;
	status: number;
	reason?: string;
}

/** A refused request leaves a row too (ASVS V16): who, which route, which object. */
export async function recordDenied(ctx: AuditContext, attempt: DeniedAttempt): Promise<void> {
	await recordAudit(ctx, {
		action: 'access.denied',
		objectType: attempt.objectType ?? null,
		objectId: attempt.objectId ?? null,
		detail: {
			route: attempt.route,
			entry: attempt.entry,
			status: attempt.status,
			...(attempt.reason ? { reason: attempt.reason } : {})
		}
	});
}
