import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { AccessToken } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { attendance, meetings, webhookEvents } from '$lib/server/db/schema';
import { evaluateQuorum } from '$lib/domain/quorum';
import { listQuorumAttendees } from '$lib/server/attendance';
import { subscribeMeeting, type MeetingEvent } from '$lib/server/live/bus';
import { extractWebhookToken } from '$lib/server/livekit/webhooks';
import { POST } from '../../src/routes/api/livekit/webhook/+server';
import { migratedDb } from '../support/db';
import { createLiveNetwork } from './live-fixtures';

const db = await migratedDb();
const net = await createLiveNetwork(db, new Date(Date.now() + 10 * 60_000));
const KEY = 'hook-key';
const SECRET = 'hook-secret-0123456789-abcdefghijklm';
const room = `pluri-${net.meetingId}`;

beforeAll(async () => {
	Object.assign(process.env, {
		LIVEKIT_URL: 'ws://127.0.0.1:1',
		LIVEKIT_API_KEY: KEY,
		LIVEKIT_API_SECRET: SECRET
	});
	await db
		.update(meetings)
		.set({ status: 'open', roomName: room })
		.where(eq(meetings.id, net.meetingId));
});
afterAll(() => {
	delete process.env.LIVEKIT_URL;
	delete process.env.LIVEKIT_API_KEY;
	delete process.env.LIVEKIT_API_SECRET;
	vi.useRealTimers();
});

/**
 * Signs a body exactly as LiveKit's server does: a JWT from the API key, valid five minutes,
 * whose sha256 claim is the base64 SHA-256 of the body.
 */
async function sign(body: string, secret = SECRET): Promise<string> {
	const token = new AccessToken(KEY, secret, { ttl: '5m' });
	token.sha256 = createHash('sha256').update(body).digest('base64');
	return token.toJwt();
}

let seq = 0;
function eventBody(event: string, identity: string | null, name = ''): string {
	seq += 1;
	return JSON.stringify({
		event,
		id: `EV_${seq}_${crypto.randomUUID().slice(0, 8)}`,
		createdAt: String(Math.floor(Date.now() / 1000)),
		room: { sid: 'RM_x', name: room },
		...(identity ? { participant: { sid: `PA_${seq}`, identity, name, state: 'ACTIVE' } } : {})
	});
}

async function deliver(
	body: string,
	authorization: string | null
): Promise<{ status: number; message: string }> {
	const headers: Record<string, string> = { 'content-type': 'application/webhook+json' };
	if (authorization !== null) headers.authorization = authorization;
	const response = await POST({
		request: new Request('http://pluri.test/api/livekit/webhook', { method: 'POST', headers, body })
	} as unknown as Parameters<typeof POST>[0]);
	return {
		status: response.status,
		message: ((await response.json()) as { message: string }).message
	};
}

const rowsOf = async (identity: string) =>
	await db
		.select()
		.from(attendance)
		.where(and(eq(attendance.meetingId, net.meetingId), eq(attendance.identity, identity)));

describe('LiveKit webhooks', () => {
	it('records a join signed as LiveKit signs it, with the name from Pluri’s records, and tells the room', async () => {
		const events: MeetingEvent[] = [];
		const off = subscribeMeeting(net.meetingId, (e) => events.push(e));
		const body = eventBody('participant_joined', `user:${net.ids.chair}`, 'anything');
		expect(await deliver(body, await sign(body))).toEqual({
			status: 200,
			message: 'Événement reçu.'
		});
		off();
		const rows = await rowsOf(`user:${net.ids.chair}`);
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({
			userId: net.ids.chair,
			displayName: 'Dr Hélène Rousseau',
			specialty: 'medical_oncology',
			source: 'webhook',
			leftAt: null
		});
		expect(events).toEqual([{ type: 'attendance' }]);
	});

	it('accepts a `Bearer `-prefixed header too', async () => {
		const body = eventBody('participant_joined', `user:${net.ids.surgeon}`, 'Dr Julien Moreau');
		expect((await deliver(body, `Bearer ${await sign(body)}`)).status).toBe(200);
		expect(await rowsOf(`user:${net.ids.surgeon}`)).toHaveLength(1);
		expect(extractWebhookToken('bearer  abc ')).toBe('abc');
		expect(extractWebhookToken('abc')).toBe('abc');
		expect(extractWebhookToken('Bearer ')).toBeNull();
	});

	it('refuses a tampered body, a wrong key, a missing header: nothing recorded', async () => {
		const before = (await db.select().from(attendance)).length;
		const eventsBefore = (await db.select().from(webhookEvents)).length;
		const body = eventBody('participant_joined', `user:${net.ids.radiotherapist}`, 'X');
		const signature = await sign(body);
		const tampered = body.replace(net.ids.radiotherapist, net.ids.uninvited);
		expect(await deliver(tampered, signature)).toEqual({
			status: 401,
			message: 'Signature du webhook invalide ou expirée : événement refusé.'
		});
		expect(
			(await deliver(body, await sign(body, 'forged-secret-0123456789-abcdefghij'))).status
		).toBe(401);
		expect((await deliver(body, null)).status).toBe(401);
		expect((await deliver(body, 'Bearer not.a.jwt')).status).toBe(401);
		expect((await db.select().from(attendance)).length).toBe(before);
		expect((await db.select().from(webhookEvents)).length).toBe(eventsBefore);
	});

	it('refuses an expired signature', async () => {
		const body = eventBody('participant_joined', `user:${net.ids.radiotherapist}`, 'X');
		const signature = await sign(body);
		vi.useFakeTimers({ toFake: ['Date'] });
		vi.setSystemTime(Date.now() + 2 * 3_600_000);
		try {
			expect((await deliver(body, signature)).status).toBe(401);
		} finally {
			vi.useRealTimers();
		}
		expect(await rowsOf(`user:${net.ids.radiotherapist}`)).toHaveLength(0);
	});

	it('ignores a replayed event (same id) with 409, once recorded', async () => {
		const body = eventBody('participant_left', `user:${net.ids.surgeon}`);
		const signature = await sign(body);
		expect((await deliver(body, signature)).status).toBe(200);
		const left = (await rowsOf(`user:${net.ids.surgeon}`))[0]!.leftAt;
		expect(left).not.toBeNull();
		// The surgeon comes back; a replay of the old « left » must not end the new stay.
		const back = eventBody('participant_joined', `user:${net.ids.surgeon}`);
		await deliver(back, await sign(back));
		expect(await deliver(body, signature)).toEqual({
			status: 409,
			message: 'Événement déjà reçu : ignoré.'
		});
		const rows = await rowsOf(`user:${net.ids.surgeon}`);
		expect(rows).toHaveLength(2);
		expect(rows.filter((r) => r.leftAt === null)).toHaveLength(1);
	});

	it('feeds the quorum: present specialties from the video room, guests never counted', async () => {
		const guest = eventBody(
			'participant_joined',
			`guest:${net.guest.invitationId}`,
			'Dr Pierre Renaud'
		);
		await deliver(guest, await sign(guest));
		expect((await rowsOf(`guest:${net.guest.invitationId}`))[0]).toMatchObject({
			invitationId: net.guest.invitationId,
			displayName: 'Dr Pierre Renaud',
			userId: null
		});
		const rule = {
			requiredSpecialties: ['visceral_surgery', 'medical_oncology', 'radiation_oncology'],
			minDistinctSpecialties: 3,
			countedSpecialties: null
		};
		const result = evaluateQuorum(rule, await listQuorumAttendees(net.meetingId), []);
		expect(result.presentSpecialties).toEqual(['medical_oncology', 'visceral_surgery']);
		expect(result.missingRequired).toEqual(['radiation_oncology']);
	});

	it('ends every video stay when the room finishes; events for unknown rooms are only acknowledged', async () => {
		const finished = JSON.stringify({
			event: 'room_finished',
			id: `EV_fin_${crypto.randomUUID()}`,
			room: { sid: 'RM_x', name: room }
		});
		expect((await deliver(finished, await sign(finished))).status).toBe(200);
		expect(
			(await db.select().from(attendance).where(eq(attendance.meetingId, net.meetingId))).filter(
				(r) => r.leftAt === null
			)
		).toHaveLength(0);
		const elsewhere = JSON.stringify({
			event: 'participant_joined',
			id: `EV_other_${crypto.randomUUID()}`,
			room: { sid: 'RM_y', name: 'someone-elses-room' },
			participant: { identity: `user:${net.ids.chair}` }
		});
		expect(await deliver(elsewhere, await sign(elsewhere))).toEqual({
			status: 200,
			message: 'Événement reçu (aucune séance concernée).'
		});
	});

	it('answers 503 when video is not configured', async () => {
		const secret = process.env.LIVEKIT_API_SECRET;
		delete process.env.LIVEKIT_API_SECRET;
		try {
			const body = eventBody('participant_joined', `user:${net.ids.chair}`);
			expect((await deliver(body, await sign(body))).status).toBe(503);
		} finally {
			process.env.LIVEKIT_API_SECRET = secret;
		}
	});
});
