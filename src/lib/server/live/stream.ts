import { eq } from 'drizzle-orm';
import { canFollowLiveMeeting, type Actor } from '../auth/access';
import { recordAudit, recordAuditBatch, type AuditContext, type AuditEntry } from '../audit';
import { getDb, transaction, queryOne } from '../db';
import { sessions } from '../db/schema';
import { subscribeMeeting, type MeetingEvent } from './bus';
import { cutLiveView, readLiveSnapshot, type LiveSnapshot, type LiveView } from './state';

/**
 * Server-Sent Events for the live meeting: the viewer's cut of the state on connection and
 * after every change on the meeting bus, a comment line as heartbeat so proxies keep the
 * connection open. The browser's EventSource reconnects by itself and gets the state again.
 */
export const HEARTBEAT_MS = 20_000;

/** One snapshot per bus event, shared by all the streams that receive it. */
const snapshots = new WeakMap<MeetingEvent, LiveSnapshot | null>();

async function snapshotFor(
	meetingId: string,
	event: MeetingEvent | null
): Promise<LiveSnapshot | null> {
	if (!event) return readLiveSnapshot(meetingId);
	if (!snapshots.has(event)) snapshots.set(event, await readLiveSnapshot(meetingId));
	return snapshots.get(event)!;
}

// Audit rows of many streams, written together: a case change seen by a hundred people is one
// transaction, not a hundred.
const pendingAudit: { ctx: AuditContext; entry: AuditEntry }[] = [];
let flushing: Promise<void> | null = null;

function queueAudit(ctx: AuditContext, entry: AuditEntry): void {
	pendingAudit.push({ ctx, entry });
	flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(flushAudit);
}

/** Resolves once the live-view audit rows queued so far are written (shutdown, tests). */
export async function settleLiveAudit(): Promise<void> {
	while (flushing) await flushing;
}

async function flushAudit(): Promise<void> {
	const batch = pendingAudit.splice(0);
	try {
		await transaction(getDb(), async (tx) => {
			for (const { ctx, entry } of batch) await recordAudit(ctx, entry, tx);
		});
	} catch (e) {
		console.error('[live] audit of the live view failed', e);
	} finally {
		flushing = null;
		// Rows queued while this batch was written start the next one.
		if (pendingAudit.length) flushing = Promise.resolve().then(flushAudit);
	}
}

/**
 * Tracks which patients a viewer has been shown, so each is audited once per connection or
 * page load rather than at every change.
 */
export class ViewAudit {
	private seen = new Set<string>();
	constructor(
		private ctx: AuditContext,
		private meetingId: string
	) {}

	/** Queued for the next batch, or with `now`, written before returning (one transaction). */
	async record(shown: { caseId: string; patientId: string }[], now = false): Promise<void> {
		const entries: AuditEntry[] = [];
		for (const s of shown) {
			if (this.seen.has(s.caseId)) continue;
			this.seen.add(s.caseId);
			entries.push({
				action: 'live.case.view',
				objectType: 'rcp_case',
				objectId: s.caseId,
				patientId: s.patientId,
				detail: { meetingId: this.meetingId }
			});
		}
		if (!entries.length) return;
		if (!now) {
			for (const entry of entries) queueAudit(this.ctx, entry);
			return;
		}
		await recordAuditBatch(this.ctx, entries);
	}
}

/** The viewer's cut of the live state, audited; null when the meeting is gone or not theirs. */
export async function readLiveView(
	meetingId: string,
	actor: Actor,
	audit: AuditContext
): Promise<LiveView | null> {
	const snapshot = await readLiveSnapshot(meetingId);
	if (!snapshot || !canFollowLiveMeeting(actor, snapshot.ref)) return null;
	const { view, shown } = cutLiveView(snapshot, actor);
	await new ViewAudit(audit, meetingId).record(shown, true);
	return view;
}

/** The session still exists (logout and account disabling delete it). */
export async function isSessionAlive(sessionId: string): Promise<boolean> {
	return (
		(await queryOne(
			getDb().select({ id: sessions.id }).from(sessions).where(eq(sessions.id, sessionId))
		)) !== undefined
	);
}

export interface StreamViewer {
	/** The viewer now; null once they may no longer follow (session ended, link revoked). */
	actor: () => Promise<Actor | null>;
	audit: AuditContext;
}

const encoder = new TextEncoder();

/**
 * Open streams, closed at shutdown with a short retry hint and no `end` event: browsers
 * reconnect (to another instance behind the balancer, or this one restarted) and get the
 * whole current state, so nothing is replayed from a Last-Event-ID.
 */
const openStreams = new Set<() => void>();
let shutdownHooked = false;

function closeStreamsOnShutdown(close: () => void): () => void {
	if (!shutdownHooked) {
		shutdownHooked = true;
		process.once('sveltekit:shutdown', () => {
			for (const closeOne of [...openStreams]) closeOne();
		});
	}
	openStreams.add(close);
	return () => openStreams.delete(close);
}

/** How many live streams this process serves (tests, /health). */
export function countOpenStreams(): number {
	return openStreams.size;
}

export function openLiveStream(
	meetingId: string,
	viewer: StreamViewer,
	signal?: AbortSignal
): ReadableStream<Uint8Array> {
	let stop = (): void => {};
	return new ReadableStream<Uint8Array>({
		async start(controller) {
			const audit = new ViewAudit(viewer.audit, meetingId);
			let sequence = 0;
			let closed = false;
			const write = (text: string): void => {
				if (closed) return;
				try {
					controller.enqueue(encoder.encode(text));
				} catch {
					stop();
				}
			};
			const end = (reason: string): void => {
				write(`event: end\ndata: ${JSON.stringify({ reason })}\n\n`);
				stop();
				try {
					controller.close();
				} catch {
					// already closed by the client
				}
			};
			const push = async (event: MeetingEvent | null): Promise<void> => {
				if (event?.type === 'mute') return;
				const actor = await viewer.actor();
				const snapshot = await snapshotFor(meetingId, event);
				if (!actor || !snapshot || !canFollowLiveMeeting(actor, snapshot.ref)) {
					end('forbidden');
					return;
				}
				const { view, shown } = cutLiveView(snapshot, actor);
				await audit.record(shown);
				write(`id: ${++sequence}\nevent: state\ndata: ${JSON.stringify(view)}\n\n`);
			};
			const unsubscribe = subscribeMeeting(meetingId, (event) => void push(event));
			const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
			const forget = closeStreamsOnShutdown(() => {
				write('retry: 500\n\n');
				stop();
				try {
					controller.close();
				} catch {
					// already closed by the client
				}
			});
			stop = () => {
				if (closed) return;
				closed = true;
				forget();
				unsubscribe();
				clearInterval(heartbeat);
			};
			signal?.addEventListener('abort', () => stop(), { once: true });
			write('retry: 3000\n\n');
			await push(null);
		},
		cancel() {
			stop();
		}
	});
}
