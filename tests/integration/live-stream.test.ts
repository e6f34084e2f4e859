import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, sessions } from '$lib/server/db/schema';
import { moveToCase, openLiveMeeting } from '$lib/server/live/control';
import { countMeetingSubscribers, publishMeetingEvent } from '$lib/server/live/bus';
import type { LiveView } from '$lib/server/live/state';
import { countOpenStreams, settleLiveAudit } from '$lib/server/live/stream';
import { GET as userEvents } from '../../src/routes/api/meetings/[meetingId]/events/+server';
import { GET as guestEvents } from '../../src/routes/(public)/invitation/[token]/room/events/+server';
import { migratedDb } from '../support/db';
import { createLiveNetwork } from './live-fixtures';

const db = await migratedDb();
const net = await createLiveNetwork(db, new Date(Date.now() + 10 * 60_000));

beforeAll(async () => {
	await openLiveMeeting(net.meetingId, net.audit('chair'));
});

/** Reads Server-Sent Events from a response body, one parsed event at a time. */
class SseReader {
	private reader: ReadableStreamDefaultReader<Uint8Array>;
	private buffer = '';
	private decoder = new TextDecoder();
	constructor(
		private controller: AbortController,
		response: Response
	) {
		this.reader = response.body!.getReader();
	}
	async next(timeoutMs = 2000): Promise<{ event: string; data: unknown }> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const blocks = this.buffer.split('\n\n');
			while (blocks.length > 1) {
				const block = blocks.shift()!;
				this.buffer = blocks.join('\n\n');
				const lines = block.split('\n');
				const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
				const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
				if (event && data) return { event, data: JSON.parse(data) };
			}
			if (Date.now() > deadline) throw new Error('no event in time');
			const chunk = await Promise.race([
				this.reader.read(),
				new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs))
			]);
			if (chunk.done) throw new Error('stream ended');
			this.buffer += this.decoder.decode(chunk.value, { stream: true });
		}
	}
	close(): void {
		this.controller.abort();
		void this.reader.cancel().catch(() => undefined);
	}
}

async function connectUser(who: keyof typeof net.ids, sessionId = 'no-session'): Promise<Response> {
	const controller = new AbortController();
	const response = (await userEvents({
		params: { meetingId: net.meetingId },
		locals: {
			user: await net.user(who),
			actor: await net.actor(who),
			session: { id: sessionId },
			audit: net.audit(who)
		},
		request: new Request('http://pluri.test/events', { signal: controller.signal })
	} as unknown as Parameters<typeof userEvents>[0])) as Response;
	(response as Response & { controller?: AbortController }).controller = controller;
	return response;
}

function reader(response: Response): SseReader {
	return new SseReader(
		(response as Response & { controller: AbortController }).controller,
		response
	);
}

async function addSession(userId: string): Promise<string> {
	const id = crypto.randomUUID();
	const now = new Date();
	await db
		.insert(sessions)
		.values({ id, userId, secretHash: Buffer.alloc(32), createdAt: now, lastSeenAt: now });
	return id;
}

describe('the live state by Server-Sent Events', () => {
	afterAll(() => expect(countMeetingSubscribers(net.meetingId)).toBe(0));

	it('sends the state on connection, then the same case change to two clients', async () => {
		const chairSession = await addSession(net.ids.chair);
		const surgeonSession = await addSession(net.ids.surgeon);
		const a = reader(await connectUser('chair', chairSession));
		const b = reader(await connectUser('surgeon', surgeonSession));
		const [first, second] = [await a.next(), await b.next()];
		expect(first.event).toBe('state');
		expect((first.data as LiveView).currentPosition).toBe(1);
		expect((second.data as LiveView).current!.caseId).toBe(net.caseIds[0]);
		expect(countMeetingSubscribers(net.meetingId)).toBe(2);

		await moveToCase(net.meetingId, 'next', net.audit('chair'));
		const [changeA, changeB] = [await a.next(), await b.next()];
		for (const change of [changeA, changeB]) {
			expect(change.event).toBe('state');
			expect((change.data as LiveView).currentPosition).toBe(2);
			expect((change.data as LiveView).current!.caseId).toBe(net.caseIds[1]);
		}
		expect((changeA.data as LiveView).canRun).toBe(true);
		expect((changeB.data as LiveView).canRun).toBe(false);

		// A logout ends the stream at the next change.
		await db.delete(sessions).where(eq(sessions.id, surgeonSession));
		publishMeetingEvent(net.meetingId, { type: 'attendance' });
		expect(await b.next()).toEqual({ event: 'end', data: { reason: 'forbidden' } });
		a.close();
		b.close();
		await new Promise((r) => setTimeout(r, 20));
	});

	it('audits each patient shown once per connection, in one batch', async () => {
		const count = async () =>
			(await db.select().from(auditEvents).where(eq(auditEvents.action, 'live.case.view'))).length;
		const before = await count();
		const c = reader(await connectUser('coordinator', await addSession(net.ids.coordinator)));
		await c.next();
		await settleLiveAudit();
		expect(await count()).toBe(before + 3); // the three agenda cases
		publishMeetingEvent(net.meetingId, { type: 'attendance' });
		await c.next();
		await settleLiveAudit();
		expect(await count()).toBe(before + 3);
		c.close();
	});

	it('refuses the uninvited and the anonymous', async () => {
		const refused = await connectUser('uninvited');
		expect(refused.status).toBe(403);
		const anonymous = (await userEvents({
			params: { meetingId: net.meetingId },
			locals: {
				user: null,
				actor: { kind: 'anonymous' },
				session: null,
				audit: net.audit('chair')
			},
			request: new Request('http://pluri.test/events')
		} as unknown as Parameters<typeof userEvents>[0])) as Response;
		expect(anonymous.status).toBe(401);
	});

	it('streams to a guest only their case, and a waiting count before it', async () => {
		await moveToCase(net.meetingId, { caseId: net.caseIds[0] }, net.audit('chair'));
		const controller = new AbortController();
		const open = async (token: string): Promise<Response> =>
			(await guestEvents({
				params: { token },
				request: new Request('http://pluri.test/g', { signal: controller.signal }),
				getClientAddress: () => '192.0.2.9'
			} as unknown as Parameters<typeof guestEvents>[0])) as Response;
		expect((await open('bad-token-000000000000000000')).status).toBe(404);
		const g = new SseReader(controller, await open(net.guest.token));
		const waiting = (await g.next()).data as LiveView;
		expect(waiting.guest).toEqual({ position: 2, casesBefore: 1, isCurrent: false, done: false });
		expect(waiting.current).toBeNull();
		expect(waiting.agenda).toEqual([]);
		await moveToCase(net.meetingId, 'next', net.audit('chair'));
		const turn = (await g.next()).data as LiveView;
		expect(turn.guest!.isCurrent).toBe(true);
		expect(turn.current!.caseId).toBe(net.caseIds[1]);
		await moveToCase(net.meetingId, 'next', net.audit('chair'));
		const after = (await g.next()).data as LiveView;
		expect(after.guest).toMatchObject({ isCurrent: false, done: true });
		expect(after.current).toBeNull();
		g.close();
		await new Promise((r) => setTimeout(r, 20));
	});

	it('closes every stream at shutdown with a short retry hint, so browsers reconnect elsewhere', async () => {
		const response = await connectUser('coordinator', await addSession(net.ids.coordinator));
		const body = response.body!.getReader();
		const decoder = new TextDecoder();
		let text = '';
		const first = await body.read();
		text += decoder.decode(first.value);
		expect(countOpenStreams()).toBeGreaterThan(0);
		process.emit('sveltekit:shutdown' as 'SIGTERM');
		for (;;) {
			const chunk = await body.read();
			if (chunk.done) break;
			text += decoder.decode(chunk.value);
		}
		expect(text).toContain('retry: 500\n\n');
		expect(text).not.toContain('event: end');
		expect(countOpenStreams()).toBe(0);
	});
});
