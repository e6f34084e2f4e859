import { and, count, eq, lt } from 'drizzle-orm';
import { getDb, getEngineKind, queryOne } from './db';
import { outbox } from './db/schema';
import { getDeliveryWorkerStatus } from './delivery/worker';
import { getMeetingBusStatus } from './live/bus';

export interface HealthReport {
	ok: boolean;
	database: { engine: 'sqlite' | 'postgres'; ok: boolean; ms: number; error?: string };
	worker: {
		running: boolean;
		lastBatchAt: string | null;
		/** Deliveries due for more than five minutes: the workers (here or elsewhere) lag. */
		overdue: number | null;
	};
	bus: { shared: boolean; connected: boolean };
}

const OVERDUE_MS = 5 * 60_000;

/** What a load balancer or a monitoring probe asks: no patient data, counts only. */
export async function checkHealth(now: Date = new Date()): Promise<HealthReport> {
	const db = getDb();
	const engine = getEngineKind(db);
	const started = performance.now();
	let overdue: number | null = null;
	let error: string | undefined;
	try {
		const row = await queryOne(
			db
				.select({ n: count() })
				.from(outbox)
				.where(
					and(
						eq(outbox.status, 'pending'),
						lt(outbox.nextAttemptAt, new Date(now.getTime() - OVERDUE_MS))
					)
				)
		);
		overdue = row?.n ?? 0;
	} catch (e) {
		error = e instanceof Error ? e.message : String(e);
	}
	const ms = Math.round(performance.now() - started);
	const worker = getDeliveryWorkerStatus();
	const bus = getMeetingBusStatus();
	return {
		ok: error === undefined && (!bus.shared || bus.connected),
		database: { engine, ok: error === undefined, ms, ...(error ? { error } : {}) },
		worker: {
			running: worker.running,
			lastBatchAt: worker.lastBatchAt?.toISOString() ?? null,
			overdue
		},
		bus
	};
}
