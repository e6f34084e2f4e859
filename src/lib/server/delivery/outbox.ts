import { and, asc, desc, eq, inArray, lte, or, sql } from 'drizzle-orm';
import {
	defaultBackoff,
	deriveDeliveryKey,
	isRelaunchable,
	nextOutboxState,
	type BackoffPolicy,
	type DeliveryChannel,
	type SendResult
} from '$lib/domain/decision';
import { recordAudit, systemAudit, type AuditContext } from '../audit';
import { changeCaseStatus } from '../cases';
import { getDb, type DbOrTx, affectedRows, transaction, queryOne } from '../db';
import { cases, decisions, meetings, outbox, patients } from '../db/schema';

/**
 * The outbox of decision deliveries. Rows are written with the decision, in its transaction;
 * workers claim due rows under a lease (claimedUntil), so the rows of a worker that died are
 * claimed again once the lease runs out. Attempts are counted at claim time: a row that kills
 * its worker every time still ends as failed instead of looping forever.
 */

export type OutboxRow = typeof outbox.$inferSelect;

export const LEASE_MS = 60_000;

type EnqueuedListener = () => void;
const enqueuedListeners = new Set<EnqueuedListener>();
let enqueuedSignalled = false;

/**
 * Called (once per burst, after the current transaction has committed) whenever rows are
 * enqueued in this process: the in-process worker listens, so a validated decision leaves at
 * once rather than at its next poll. Workers of other processes still find the rows by polling.
 */
export function onDeliveriesEnqueued(listener: EnqueuedListener): () => void {
	enqueuedListeners.add(listener);
	return () => enqueuedListeners.delete(listener);
}

function signalEnqueued(): void {
	if (enqueuedSignalled) return;
	enqueuedSignalled = true;
	// SQLite transactions are synchronous: by the next turn of the event loop the rows are
	// committed (or rolled back, and the worker finds nothing: harmless).
	setImmediate(() => {
		enqueuedSignalled = false;
		for (const listener of enqueuedListeners) listener();
	});
}

/** Inserts one pending row per (decision version, channel, recipient); a second call adds nothing. */
export async function enqueueDeliveries(
	tx: DbOrTx,
	decisionId: string,
	targets: { channel: DeliveryChannel; recipient: string }[],
	now: Date
): Promise<number> {
	let added = 0;
	for (const t of targets) {
		added += affectedRows(
			await tx
				.insert(outbox)
				.values({
					decisionId,
					channel: t.channel,
					recipient: t.recipient,
					idempotencyKey: deriveDeliveryKey(decisionId, t.channel, t.recipient),
					status: 'pending',
					nextAttemptAt: now
				})
				.onConflictDoNothing()
		);
	}
	if (added) signalEnqueued();
	return added;
}

/** Claims up to `limit` due rows for a worker: pending ones whose time has come, and expired leases. */
export async function claimDueDeliveries(
	workerId: string,
	limit: number,
	now: Date = new Date(),
	leaseMs: number = LEASE_MS
): Promise<OutboxRow[]> {
	return transaction(getDb(), async (tx): Promise<OutboxRow[]> => {
		const due = (
			await tx
				.select({ id: outbox.id })
				.from(outbox)
				.where(
					or(
						and(eq(outbox.status, 'pending'), lte(outbox.nextAttemptAt, now)),
						and(eq(outbox.status, 'sending'), lte(outbox.claimedUntil, now))
					)
				)
				.orderBy(asc(outbox.nextAttemptAt))
				.limit(limit)
		).map((r) => r.id);
		if (!due.length) return [];
		await tx
			.update(outbox)
			.set({
				status: 'sending',
				claimedBy: workerId,
				claimedUntil: new Date(now.getTime() + leaseMs),
				attempts: sql`${outbox.attempts} + 1`
			})
			.where(inArray(outbox.id, due));
		return await tx.select().from(outbox).where(inArray(outbox.id, due));
	});
}

export interface DeliveryOutcome {
	row: OutboxRow;
	result: SendResult;
	/** The patient the row is about, when the sender knows it already (saves a query per row). */
	patientId?: string | null;
	/** Why the Fiche RCP (CDA) did not go with this send; null when it went or has no volet. */
	cdaWithheld?: string | null;
}

/**
 * Records the outcomes of a batch in one transaction. A delivery is recorded whoever holds the
 * row now (it happened); a failure only by the worker that still holds it. A case whose latest
 * decision has reached every recipient becomes « transmis ».
 */
export async function recordDeliveryOutcomes(
	workerId: string,
	outcomes: DeliveryOutcome[],
	now: Date = new Date(),
	policy: BackoffPolicy = defaultBackoff,
	random: () => number = Math.random
): Promise<void> {
	if (!outcomes.length) return;
	await transaction(getDb(), async (tx) => {
		const touched = new Set<string>();
		for (const outcome of outcomes) {
			const { row, result } = outcome;
			const next = nextOutboxState(result, row.attempts, now, random(), policy);
			if (next.status === 'delivered') {
				const changed = affectedRows(
					await tx
						.update(outbox)
						.set({
							status: 'delivered',
							deliveredAt: now,
							remoteId: next.remoteId,
							cdaWithheld: outcome.cdaWithheld ?? null,
							lastError: null,
							claimedBy: null,
							claimedUntil: null
						})
						.where(and(eq(outbox.id, row.id), inArray(outbox.status, ['sending', 'pending'])))
				);
				if (changed) touched.add(row.decisionId);
			} else {
				await tx
					.update(outbox)
					.set({
						status: next.status,
						lastError: next.lastError,
						nextAttemptAt: next.status === 'pending' ? next.nextAttemptAt : row.nextAttemptAt,
						claimedBy: null,
						claimedUntil: null
					})
					.where(
						and(eq(outbox.id, row.id), eq(outbox.status, 'sending'), eq(outbox.claimedBy, workerId))
					);
			}
			const patientId =
				outcome.patientId ??
				(
					await queryOne(
						tx
							.select({ p: cases.patientId })
							.from(decisions)
							.innerJoin(cases, eq(cases.id, decisions.caseId))
							.where(eq(decisions.id, row.decisionId))
					)
				)?.p;
			await recordAudit(
				systemAudit,
				{
					action: `delivery.${next.status === 'pending' ? 'retry_later' : next.status}`,
					objectType: 'outbox',
					objectId: row.id,
					patientId: patientId ?? null,
					detail: {
						channel: row.channel,
						recipient: row.recipient,
						attempt: row.attempts,
						// Which worker (process) sent it: with several instances, who did what.
						worker: workerId,
						...(next.status === 'delivered'
							? { remoteId: next.remoteId }
							: { error: next.lastError })
					}
				},
				tx
			);
		}
		for (const decisionId of touched) await markCaseDeliveredIfComplete(tx, decisionId, now);
	});
}

/** decided → delivered once every row of the case's current decision version is delivered. */
async function markCaseDeliveredIfComplete(
	tx: DbOrTx,
	decisionId: string,
	now: Date
): Promise<void> {
	const rows = await tx
		.select({ status: outbox.status })
		.from(outbox)
		.where(eq(outbox.decisionId, decisionId));
	if (!rows.length || rows.some((r) => r.status !== 'delivered')) return;
	const d = await queryOne(tx.select().from(decisions).where(eq(decisions.id, decisionId)));
	if (!d || d.status !== 'validated') return;
	const c = await queryOne(tx.select().from(cases).where(eq(cases.id, d.caseId)));
	if (c?.status !== 'decided') return;
	await changeCaseStatus(
		tx,
		c,
		'delivered',
		{
			actorId: null,
			kind: 'delivered',
			meetingId: d.meetingId,
			note: `Proposition (version ${d.version}) remise à tous ses destinataires (voir l’état de chaque envoi).`
		},
		{},
		now
	);
}

export type RetryResult = { ok: true } | { ok: false; message: string };

/**
 * The coordinator's « Relancer »: a failed row starts again with a fresh count of attempts; a
 * row waiting after an error leaves at once instead of at its next attempt.
 */
export async function retryDelivery(
	outboxId: string,
	pathwayId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<RetryResult> {
	return transaction(getDb(), async (tx): Promise<RetryResult> => {
		const row = await queryOne(
			tx
				.select({ o: outbox, pathwayId: cases.pathwayId, patientId: cases.patientId })
				.from(outbox)
				.innerJoin(decisions, eq(decisions.id, outbox.decisionId))
				.innerJoin(cases, eq(cases.id, decisions.caseId))
				.where(eq(outbox.id, outboxId))
		);
		if (!row || row.pathwayId !== pathwayId) {
			return { ok: false as const, message: 'Cet envoi n’existe pas.' };
		}
		if (!isRelaunchable(row.o, now)) {
			return {
				ok: false as const,
				message:
					row.o.status === 'delivered'
						? 'Cet envoi a déjà abouti.'
						: 'Cet envoi est déjà en cours ou programmé.'
			};
		}
		await tx
			.update(outbox)
			.set(
				row.o.status === 'failed'
					? {
							status: 'pending',
							attempts: 0,
							nextAttemptAt: now,
							claimedBy: null,
							claimedUntil: null
						}
					: // Waiting after an error: sent now, its attempts still counted.
						{ nextAttemptAt: now }
			)
			.where(eq(outbox.id, outboxId));
		await recordAudit(
			audit,
			{
				action: 'delivery.manual_retry',
				objectType: 'outbox',
				objectId: outboxId,
				patientId: row.patientId,
				detail: { channel: row.o.channel, recipient: row.o.recipient }
			},
			tx
		);
		return { ok: true as const };
	});
}

export interface DeliveryLine {
	id: string;
	caseId: string;
	patientId: string;
	patientLabel: string;
	version: number;
	meetingStartsAt: Date | null;
	channel: DeliveryChannel;
	recipient: string;
	status: OutboxRow['status'];
	/** The mail's Message-ID or the FHIR resource id, once delivered. */
	remoteId: string | null;
	attempts: number;
	nextAttemptAt: Date;
	lastError: string | null;
	/** The Fiche RCP (CDA) was held back from this send, and why. */
	cdaWithheld: string | null;
	deliveredAt: Date | null;
	createdAt: Date;
	/** « Relancer » applies (see isRelaunchable). */
	relaunchable: boolean;
}

/** The pathway's deliveries, failed first then the most recent; each patient shown is audited. */
export async function listPathwayDeliveries(
	pathwayId: string,
	filter: OutboxRow['status'] | 'all',
	audit: AuditContext,
	limit = 200,
	now: Date = new Date()
): Promise<DeliveryLine[]> {
	const db = getDb();
	const rows = await db
		.select({
			o: outbox,
			version: decisions.version,
			caseId: cases.id,
			patientId: patients.id,
			birthName: patients.birthName,
			firstNames: patients.firstNames,
			birthDate: patients.birthDate,
			startsAt: meetings.startsAt
		})
		.from(outbox)
		.innerJoin(decisions, eq(decisions.id, outbox.decisionId))
		.innerJoin(cases, eq(cases.id, decisions.caseId))
		.innerJoin(patients, eq(patients.id, cases.patientId))
		.leftJoin(meetings, eq(meetings.id, decisions.meetingId))
		.where(
			and(eq(cases.pathwayId, pathwayId), filter === 'all' ? undefined : eq(outbox.status, filter))
		)
		.orderBy(
			sql`case ${outbox.status} when 'failed' then 0 when 'sending' then 1 when 'pending' then 2 else 3 end`,
			desc(outbox.createdAt)
		)
		.limit(limit);
	if (rows.length) {
		await transaction(db, async (tx) => {
			for (const r of rows) {
				await recordAudit(
					audit,
					{
						action: 'delivery.list',
						objectType: 'outbox',
						objectId: r.o.id,
						patientId: r.patientId
					},
					tx
				);
			}
		});
	}
	return rows.map((r) => ({
		id: r.o.id,
		caseId: r.caseId,
		patientId: r.patientId,
		patientLabel: `${r.birthName} ${r.firstNames[0] ?? ''} (${r.birthDate.slice(0, 4)})`,
		version: r.version,
		meetingStartsAt: r.startsAt ?? null,
		channel: r.o.channel,
		recipient: r.o.recipient,
		status: r.o.status,
		remoteId: r.o.remoteId,
		attempts: r.o.attempts,
		nextAttemptAt: r.o.nextAttemptAt,
		lastError: r.o.lastError,
		cdaWithheld: r.o.cdaWithheld,
		deliveredAt: r.o.deliveredAt,
		createdAt: r.o.createdAt,
		relaunchable: isRelaunchable(r.o, now)
	}));
}

/** Counts per status for the pathway's deliveries (the tabs of the page). */
export async function countPathwayDeliveries(
	pathwayId: string
): Promise<Record<OutboxRow['status'], number>> {
	const counts = { pending: 0, sending: 0, delivered: 0, failed: 0 };
	const rows = await getDb()
		.select({ status: outbox.status, n: sql<number>`count(*)`.mapWith(Number) })
		.from(outbox)
		.innerJoin(decisions, eq(decisions.id, outbox.decisionId))
		.innerJoin(cases, eq(cases.id, decisions.caseId))
		.where(eq(cases.pathwayId, pathwayId))
		.groupBy(outbox.status);
	for (const r of rows) counts[r.status] = r.n;
	return counts;
}

/** Where each version of a case's decision went, and when. */
export async function listDecisionDeliveries(
	decisionIds: readonly string[],
	tx: DbOrTx = getDb()
): Promise<OutboxRow[]> {
	if (!decisionIds.length) return [];
	return await tx
		.select()
		.from(outbox)
		.where(inArray(outbox.decisionId, [...decisionIds]))
		.orderBy(asc(outbox.channel), asc(outbox.recipient));
}

/** Rows not yet delivered (pending, sending or failed), for tests and monitoring. */
export async function countUndelivered(tx: DbOrTx = getDb()): Promise<number> {
	return (
		(
			await queryOne(
				tx
					.select({ n: sql<number>`count(*)`.mapWith(Number) })
					.from(outbox)
					.where(inArray(outbox.status, ['pending', 'sending', 'failed']))
			)
		)?.n ?? 0
	);
}

/** Every doctor a decision version is mailed to, in a stable order (the XDM submission set). */
export async function listMailRecipientsOf(
	decisionId: string,
	tx: DbOrTx = getDb()
): Promise<string[]> {
	return (
		await tx
			.select({ recipient: outbox.recipient })
			.from(outbox)
			.where(and(eq(outbox.decisionId, decisionId), eq(outbox.channel, 'mail')))
			.orderBy(asc(outbox.recipient))
	).map((r) => r.recipient);
}
