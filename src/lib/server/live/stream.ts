import { eq } from 'drizzle-orm';
import { canFollowLiveMeeting, type Actor } from '../auth/access';
import { recordAudit, type AuditContext, type AuditEntry } from '../audit';
import { getDb } from '../db';
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

function snapshotFor(meetingId: string, event: MeetingEvent | null): LiveSnapshot | null {
	if (!event) return readLiveSnapshot(meetingId);
	if (!snapshots.has(event)) snapshots.set(event, readLiveSnapshot(meetingId));
	return snapshots.get(event)!;
}

// Audit rows of many streams, written together: a case change seen by a hundred people is one
// transaction, not a hundred.
const pendingAudit: { ctx: AuditContext; entry: AuditEntry }[] = [];
let flushScheduled = false;

function queueAudit(ctx: AuditContext, entry: AuditEntry): void {
	pendingAudit.push({ ctx, entry });
	if (flushScheduled) return;
	flushScheduled = true;
	setImmediate(flushAudit);
}

function flushAudit(): void {
	flushScheduled = false;
	const batch = pendingAudit.splice(0);
	if (!batch.length) return;
	try {
		getDb().transaction(
			(tx) => {
				for (const { ctx, entry } of batch) recordAudit(ctx, entry, tx);
			},
			{ behavior: 'immediate' }
		);
	} catch (e) {
		console.error('[live] audit of the live view failed', e);
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
	record(shown: { caseId: string; patientId: string }[], now = false): void {
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
		getDb().transaction(
			(tx) => {
				for (const entry of entries) recordAudit(this.ctx, entry, tx);
			},
			{ behavior: 'immediate' }
		);
	}
}

/** The viewer's cut of the live state, audited; null when the meeting is gone or not theirs. */
export function readLiveView(
	meetingId: string,
	actor: Actor,
	audit: AuditContext
): LiveView | null {
	const snapshot = readLiveSnapshot(meetingId);
	if (!snapshot || !canFollowLiveMeeting(actor, snapshot.ref)) return null;
	const { view, shown } = cutLiveView(snapshot, actor);
	new ViewAudit(audit, meetingId).record(shown, true);
	return view;
}

/** The session still exists (logout and account disabling delete it). */
export function isSessionAlive(sessionId: string): boolean {
	return (
		getDb().select({ id: sessions.id }).from(sessions).where(eq(sessions.id, sessionId)).get() !==
		undefined
	);
}

export interface StreamViewer {
	/** The viewer now; null once they may no longer follow (session ended, link revoked). */
	actor: () => Actor | null;
	audit: AuditContext;
}

const encoder = new TextEncoder();

export function openLiveStream(
	meetingId: string,
	viewer: StreamViewer,
	signal?: AbortSignal
): ReadableStream<Uint8Array> {
	let stop = (): void => {};
	return new ReadableStream<Uint8Array>({
		start(controller) {
			const audit = new ViewAudit(viewer.audit, meetingId);
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
			const push = (event: MeetingEvent | null): void => {
				if (event?.type === 'mute') return;
				const actor = viewer.actor();
				const snapshot = snapshotFor(meetingId, event);
				if (!actor || !snapshot || !canFollowLiveMeeting(actor, snapshot.ref)) {
					end('forbidden');
					return;
				}
				const { view, shown } = cutLiveView(snapshot, actor);
				audit.record(shown);
				write(`event: state\ndata: ${JSON.stringify(view)}\n\n`);
			};
			const unsubscribe = subscribeMeeting(meetingId, push);
			const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS);
			stop = () => {
				if (closed) return;
				closed = true;
				unsubscribe();
				clearInterval(heartbeat);
			};
			signal?.addEventListener('abort', () => stop(), { once: true });
			write('retry: 3000\n\n');
			push(null);
		},
		cancel() {
			stop();
		}
	});
}
