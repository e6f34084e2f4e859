import type { Bundle, DocumentReference } from '@medplum/fhirtypes';
import { defaultBackoff, type BackoffPolicy, type SendResult } from '$lib/domain/decision';
import { getFhirConfig } from '../config';
import { buildFicheRcpCda, type CdaResult } from './cda';
import { loadDecisionDocumentData, type DecisionDocumentData } from './document-data';
import {
	buildDecisionBundle,
	buildDocumentReference,
	FHIR_TIMEOUT_MS,
	postDocumentReference
} from './fhir';
import { buildRecordTransaction, postRecordTransaction } from './fhir-transaction';
import { buildDecisionMail, sendDecisionMail } from './mail';
import {
	claimDueDeliveries,
	listMailRecipientsOf,
	LEASE_MS,
	onDeliveriesEnqueued,
	recordDeliveryOutcomes,
	type DeliveryOutcome,
	type OutboxRow
} from './outbox';
import { loadDecisionPdf } from './pdf-store';
import { buildXdmZip, decisionXdmDocuments } from './xdm';

/**
 * The delivery worker: claims due outbox rows, sends them (FHIR record, mails) a few at a time,
 * records the outcomes of the batch together. Started with the server; `npm run worker` runs it
 * alone against the same database. Several workers may run: the lease keeps them apart.
 */

export interface WorkerOptions {
	workerId?: string;
	batchSize?: number;
	concurrency?: number;
	pollMs?: number;
	leaseMs?: number;
	policy?: BackoffPolicy;
	fhirTimeoutMs?: number;
	/**
	 * Runs once the batch is sent, before its outcomes are recorded. Tests throw from it to stand
	 * for a worker killed between sending and marking.
	 */
	afterSend?: (outcomes: DeliveryOutcome[]) => void | Promise<void>;
}

export interface BatchReport {
	claimed: number;
	delivered: number;
	retried: number;
	failed: number;
}

interface Prepared {
	data: DecisionDocumentData;
	pdf: Buffer;
	bundle: Bundle;
	bundleJson: Uint8Array;
	docRef: DocumentReference | null;
	xdm: Uint8Array | null;
	/** The Fiche RCP (CDA); null for a pathway without a CI-SIS volet (heart failure). */
	cda: CdaResult | null;
}

async function prepare(decisionId: string): Promise<Prepared | null> {
	const data = await loadDecisionDocumentData(decisionId);
	if (!data) return null;
	const pdf = await loadDecisionPdf(decisionId, data);
	if (!pdf) return null;
	const bundle = buildDecisionBundle(data);
	return {
		data,
		pdf,
		bundle,
		bundleJson: new TextEncoder().encode(JSON.stringify(bundle)),
		docRef: null,
		xdm: null,
		cda: data.pathway.kind === 'oncology' ? buildFicheRcpCda(data, pdf) : null
	};
}

/** Why the fiche's CDA stays out of this send (what the volet lacks), in French; null otherwise. */
function cdaWithheldReason(p: Prepared): string | null {
	return p.cda && !p.cda.ok
		? `Fiche RCP structurée (CDA) non transmise : ${p.cda.reasons.join(' ')}`
		: null;
}

async function sendRow(row: OutboxRow, p: Prepared, options: WorkerOptions): Promise<SendResult> {
	if (row.channel === 'fhir') {
		const config = getFhirConfig();
		if (!config) {
			return {
				kind: 'retry',
				error: 'Le serveur du dossier patient n’est plus configuré (FHIR_BASE_URL).'
			};
		}
		p.docRef ??= buildDocumentReference(p.data, p.pdf, p.bundle, p.cda?.ok ? p.cda : null);
		const target = { baseUrl: row.recipient.replace(/\/$/, ''), token: config.token };
		const timeout = options.fhirTimeoutMs ?? FHIR_TIMEOUT_MS;
		const created = await postDocumentReference(target, p.docRef, p.data.decision.id, timeout);
		if (created.kind !== 'delivered') return created;
		// Then the document's resources, searchable on the server (and the amended one superseded).
		const indexed = await postRecordTransaction(
			target,
			buildRecordTransaction(p.data, p.bundle, p.docRef, created.note === 'déjà présent'),
			timeout
		);
		return indexed.kind === 'delivered' ? created : indexed;
	}
	p.xdm ??= buildXdmZip({
		data: p.data,
		documents: decisionXdmDocuments(p.pdf, p.bundleJson, p.cda?.ok ? p.cda : null),
		recipients: await listMailRecipientsOf(row.decisionId),
		senderName: p.data.establishment?.name ?? p.data.pathway.name,
		submittedAt: p.data.decision.validatedAt ?? new Date()
	});
	return sendDecisionMail(
		buildDecisionMail(p.data, row.recipient, row.id, p.pdf, p.xdm, {
			attached: !!p.cda?.ok,
			withheld: !!p.cda && !p.cda.ok
		})
	);
}

/** Runs `tasks` with at most `limit` at a time. */
async function runLimited<T>(
	items: T[],
	limit: number,
	task: (item: T) => Promise<void>
): Promise<void> {
	let next = 0;
	const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
		while (next < items.length) await task(items[next++]!);
	});
	await Promise.all(lanes);
}

/** Claims one batch of due rows, sends them, records what happened. */
export async function runDeliveryBatch(
	options: WorkerOptions = {},
	now: Date = new Date()
): Promise<BatchReport> {
	const workerId = options.workerId ?? `worker-${process.pid}`;
	const rows = await claimDueDeliveries(
		workerId,
		options.batchSize ?? 50,
		now,
		options.leaseMs ?? LEASE_MS
	);
	const report: BatchReport = { claimed: rows.length, delivered: 0, retried: 0, failed: 0 };
	if (!rows.length) return report;

	const prepared = new Map<string, Promise<Prepared | null>>();
	const outcomes: DeliveryOutcome[] = [];
	await runLimited(rows, options.concurrency ?? 8, async (row) => {
		let result: SendResult;
		let patientId: string | null = null;
		let cdaWithheld: string | null = null;
		try {
			let p = prepared.get(row.decisionId);
			if (!p) prepared.set(row.decisionId, (p = prepare(row.decisionId)));
			const ready = await p;
			patientId = ready?.data.patient.id ?? null;
			cdaWithheld = ready ? cdaWithheldReason(ready) : null;
			result = ready
				? await sendRow(row, ready, options)
				: { kind: 'failed', error: 'La décision à transmettre est introuvable.' };
		} catch (e) {
			result = {
				kind: 'retry',
				error: `Erreur inattendue pendant l’envoi : ${e instanceof Error ? e.message : String(e)}`
			};
		}
		outcomes.push({ row, result, patientId, cdaWithheld });
	});
	await options.afterSend?.(outcomes);
	await recordDeliveryOutcomes(
		workerId,
		outcomes,
		new Date(Math.max(Date.now(), now.getTime())),
		options.policy ?? defaultBackoff
	);
	for (const { result } of outcomes) {
		if (result.kind === 'delivered') report.delivered++;
		else if (result.kind === 'retry') report.retried++;
		else report.failed++;
	}
	return report;
}

/** Sends everything due now, batch after batch (tests, benchmarks, the standalone worker's start). */
export async function drainDeliveries(
	options: WorkerOptions = {},
	now: () => Date = () => new Date()
): Promise<BatchReport> {
	const total: BatchReport = { claimed: 0, delivered: 0, retried: 0, failed: 0 };
	for (;;) {
		const r = await runDeliveryBatch(options, now());
		total.claimed += r.claimed;
		total.delivered += r.delivered;
		total.retried += r.retried;
		total.failed += r.failed;
		if (r.claimed === 0) return total;
	}
}

export interface DeliveryWorker {
	stop(): Promise<void>;
	wake(): void;
}

let current: DeliveryWorker | null = null;
let lastBatchAt: Date | null = null;

/** Whether this process runs the delivery worker, and when its last batch ended (/health). */
export function getDeliveryWorkerStatus(): { running: boolean; lastBatchAt: Date | null } {
	return { running: current !== null, lastBatchAt };
}

/** Emitted by the Node adapter once the HTTP server has closed. */
export const SHUTDOWN_EVENT = 'sveltekit:shutdown';

/**
 * Starts the loop (once per process); it sleeps `pollMs` when nothing is due, or until woken:
 * rows enqueued in this process wake it (onDeliveriesEnqueued), the poll finds the others.
 */
export function startDeliveryWorker(options: WorkerOptions = {}): DeliveryWorker {
	if (current) return current;
	let stopped = false;
	let wakeUp: (() => void) | null = null;
	// A wake-up that arrives while a batch is running is kept: the loop goes round again at once.
	let woken = false;
	const pollMs = options.pollMs ?? 1000;
	const batchSize = options.batchSize ?? 50;
	const sleep = () =>
		new Promise<void>((resolve) => {
			const timer = setTimeout(done, pollMs);
			function done() {
				clearTimeout(timer);
				wakeUp = null;
				resolve();
			}
			wakeUp = done;
		});
	const loop = (async () => {
		while (!stopped) {
			let claimed = 0;
			try {
				claimed = (await runDeliveryBatch(options)).claimed;
				lastBatchAt = new Date();
			} catch (e) {
				console.error('[delivery] batch failed', e);
			}
			if (!stopped && claimed < batchSize && !woken) await sleep();
			woken = false;
		}
	})();
	const wake = (): void => {
		woken = true;
		wakeUp?.();
	};
	const stopListening = onDeliveriesEnqueued(wake);
	// The HTTP server's graceful shutdown (SIGTERM) waits for the event loop to empty: a sleeping
	// worker would keep the process up for good, so it stops with the server.
	const onShutdown = (): void => void worker.stop();
	const worker: DeliveryWorker = {
		wake,
		stop: async () => {
			stopped = true;
			stopListening();
			process.off(SHUTDOWN_EVENT, onShutdown);
			wakeUp?.();
			await loop;
			if (current === worker) current = null;
		}
	};
	process.once(SHUTDOWN_EVENT, onShutdown);
	current = worker;
	return worker;
}

/** Called after a validation commits, so its deliveries leave at once rather than at the next poll. */
export function wakeDeliveryWorker(): void {
	current?.wake();
}
