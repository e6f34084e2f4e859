import { eq } from 'drizzle-orm';
import { TokenVerifier, TrackSource } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '$lib/server/auth/access';
import { auditEvents, invitations, meetings } from '$lib/server/db/schema';
import { moveToCase, openLiveMeeting } from '$lib/server/live/control';
import { buildVideoGrant, mintVideoToken, parseIdentity } from '$lib/server/livekit/tokens';
import type { SessionUser } from '$lib/server/users';
import { POST as userToken } from '../../src/routes/api/meetings/[meetingId]/token/+server';
import { POST as guestToken } from '../../src/routes/(public)/invitation/[token]/room/token/+server';
import { migratedDb } from '../support/db';
import { LivekitFake } from '../support/livekit-fake';
import { createLiveNetwork } from './live-fixtures';

const db = await migratedDb();
const net = await createLiveNetwork(db, new Date(Date.now() + 10 * 60_000));
const KEY = 'tok-key';
const SECRET = 'tok-secret-0123456789-abcdefghijklmn';
const verifier = new TokenVerifier(KEY, SECRET);
let fake: LivekitFake;

beforeAll(async () => {
	fake = await LivekitFake.start(KEY, SECRET);
	Object.assign(process.env, {
		LIVEKIT_URL: fake.url,
		LIVEKIT_API_KEY: KEY,
		LIVEKIT_API_SECRET: SECRET
	});
});
afterAll(async () => {
	delete process.env.LIVEKIT_URL;
	delete process.env.LIVEKIT_API_KEY;
	delete process.env.LIVEKIT_API_SECRET;
	await fake.close();
});

type Event = Parameters<typeof userToken>[0];
type GuestEvent = Parameters<typeof guestToken>[0];

async function askAsUser(
	who: keyof typeof net.ids | null,
	meetingId = net.meetingId
): Promise<{ status: number; body: Record<string, string> }> {
	const user: SessionUser | null = who ? await net.user(who) : null;
	const actor: Actor = who ? await net.actor(who) : { kind: 'anonymous' };
	const response = await userToken({
		params: { meetingId },
		locals: {
			user,
			actor,
			session: user ? { id: 's' } : null,
			audit: who ? net.audit(who) : { actorType: 'anonymous', actorId: null, ip: null }
		},
		request: new Request('http://pluri.test/api', { method: 'POST', body: '{}' })
	} as unknown as Event);
	return { status: response.status, body: await response.json() };
}

async function askAsGuest(
	token: string,
	contentType = 'application/json'
): Promise<{ status: number; body: Record<string, string> }> {
	const response = await guestToken({
		params: { token },
		request: new Request('http://pluri.test/x', {
			method: 'POST',
			headers: { 'content-type': contentType },
			body: '{}'
		}),
		getClientAddress: () => '192.0.2.7'
	} as unknown as GuestEvent);
	return { status: response.status, body: await response.json() };
}

const tokensIssued = async () =>
	(await db.select().from(auditEvents).where(eq(auditEvents.action, 'live.token'))).length;

describe('video tokens: grants per role, checked with TokenVerifier', () => {
	it('gives the chair room admin, members camera/mic/screen, guests camera and mic only', async () => {
		const config = { url: 'ws://x', apiKey: KEY, apiSecret: SECRET };
		const now = new Date();
		const chair = await mintVideoToken(
			config,
			'pluri-m',
			{
				identity: 'user:abc',
				name: 'Dr Hélène Rousseau',
				role: 'chair',
				specialty: 'medical_oncology'
			},
			now
		);
		const claims = await verifier.verify(chair.token);
		expect(claims.sub).toBe('user:abc');
		expect(claims.name).toBe('Dr Hélène Rousseau — Oncologie médicale');
		expect(JSON.parse(claims.metadata!)).toEqual({ role: 'chair', specialty: 'medical_oncology' });
		expect(claims.video).toMatchObject({
			room: 'pluri-m',
			roomJoin: true,
			roomAdmin: true,
			canPublish: true,
			canSubscribe: true,
			canPublishData: true
		});
		// Short life: ten minutes at most.
		expect(claims.exp! - claims.nbf!).toBeLessThanOrEqual(600);
		expect(chair.expiresAt.getTime() - now.getTime()).toBe(600_000);

		const member = await verifier.verify(
			(
				await mintVideoToken(config, 'pluri-m', {
					identity: 'user:def',
					name: 'Dr Julien Moreau',
					role: 'member',
					specialty: 'visceral_surgery'
				})
			).token
		);
		expect(member.video?.roomAdmin).toBeUndefined();
		expect(member.video).toMatchObject({ roomJoin: true, canPublish: true, canSubscribe: true });
		expect(member.video?.canPublishSources).toEqual(['camera', 'microphone', 'screen_share']);
		expect(member.video?.canPublishData).toBe(false);

		const guest = await verifier.verify(
			(
				await mintVideoToken(config, 'pluri-m', {
					identity: 'guest:inv1',
					name: 'Dr Pierre Renaud',
					role: 'guest',
					specialty: null
				})
			).token
		);
		expect(guest.name).toBe('Dr Pierre Renaud');
		expect(guest.video?.roomAdmin).toBeUndefined();
		expect(guest.video?.canPublishSources).toEqual(['camera', 'microphone']);
		expect(JSON.parse(guest.metadata!)).toEqual({ role: 'guest', specialty: null });
	});

	it('refuses a token signed with another secret', async () => {
		const other = await mintVideoToken(
			{ url: 'ws://x', apiKey: KEY, apiSecret: 'another-secret-0123456789-abcdefghij' },
			'pluri-m',
			{ identity: 'user:x', name: 'X', role: 'member', specialty: null }
		);
		await expect(verifier.verify(other.token)).rejects.toThrow();
	});

	it('builds grants from the TrackSource enum and parses identities strictly', () => {
		expect(buildVideoGrant('guest', 'r').canPublishSources).toEqual([
			TrackSource.CAMERA,
			TrackSource.MICROPHONE
		]);
		expect(parseIdentity('user:3f1c-aa')).toEqual({ kind: 'user', userId: '3f1c-aa' });
		expect(parseIdentity('guest:abc')).toEqual({ kind: 'guest', invitationId: 'abc' });
		expect(parseIdentity('admin:abc')).toBeNull();
		expect(parseIdentity('user:a b')).toBeNull();
	});
});

describe('the token endpoint asks the policy first', () => {
	it('refuses before the meeting opens, and anyone not invited, recording nothing', async () => {
		const before = await tokensIssued();
		expect(await askAsUser(null)).toMatchObject({ status: 401 });
		expect(await askAsUser('chair', crypto.randomUUID())).toMatchObject({ status: 404 });
		expect(await askAsUser('uninvited')).toEqual({
			status: 403,
			body: { message: 'Vous n’êtes pas invité(e) à cette séance.' }
		});
		expect(await askAsUser('outsider')).toMatchObject({ status: 403 });
		expect(await askAsUser('chair')).toEqual({
			status: 409,
			body: { message: 'La séance n’est pas encore ouverte par le président.' }
		});
		expect(await askAsGuest(net.guest.token)).toMatchObject({ status: 409 });
		expect(await tokensIssued()).toBe(before);
	});

	it('mints per role once the meeting is open', async () => {
		expect((await openLiveMeeting(net.meetingId, net.audit('chair'))).ok).toBe(true);
		const chair = await askAsUser('chair');
		expect(chair.status).toBe(200);
		expect(chair.body.url).toBe(fake.url);
		expect(chair.body.identity).toBe(`user:${net.ids.chair}`);
		const chairClaims = await verifier.verify(chair.body.token!);
		expect(chairClaims.video).toMatchObject({ room: `pluri-${net.meetingId}`, roomAdmin: true });

		const surgeon = await askAsUser('surgeon');
		const surgeonClaims = await verifier.verify(surgeon.body.token!);
		expect(surgeonClaims.video?.roomAdmin).toBeUndefined();
		expect(surgeonClaims.name).toBe('Dr Julien Moreau — Chirurgie viscérale et digestive');

		// The coordinator follows the meeting and takes part as a member.
		const coordinator = await askAsUser('coordinator');
		expect(coordinator.status).toBe(200);
		expect((await verifier.verify(coordinator.body.token!)).video?.roomAdmin).toBeUndefined();
		expect(await askAsUser('uninvited')).toMatchObject({ status: 403 });
	});

	it('lets a guest in only while their patient’s case is discussed', async () => {
		const before = await tokensIssued();
		expect(await askAsGuest(net.guest.token, 'text/plain')).toMatchObject({ status: 415 });
		expect(await askAsGuest('not-a-real-token-at-all-000000')).toMatchObject({ status: 404 });
		const early = await askAsGuest(net.guest.token);
		expect(early.status).toBe(409);
		expect(early.body.message).toMatch(/dossier de votre patient/);
		expect(await tokensIssued()).toBe(before);

		await moveToCase(net.meetingId, 'next', net.audit('chair'));
		const now = await askAsGuest(net.guest.token);
		expect(now.status).toBe(200);
		const claims = await verifier.verify(now.body.token!);
		expect(claims.sub).toBe(`guest:${net.guest.invitationId}`);
		expect(claims.video?.canPublishSources).toEqual(['camera', 'microphone']);
		// The guest of another case stays out.
		expect(await askAsGuest(net.otherGuest.token)).toMatchObject({ status: 409 });

		await moveToCase(net.meetingId, 'next', net.audit('chair'));
		expect(await askAsGuest(net.guest.token)).toMatchObject({ status: 409 });
	});

	it('refuses a revoked link, and a closed or cancelled meeting', async () => {
		await db
			.update(invitations)
			.set({ revokedAt: new Date(Date.now() - 1000) })
			.where(eq(invitations.id, net.otherGuest.invitationId));
		expect(await askAsGuest(net.otherGuest.token)).toMatchObject({ status: 403 });

		await db.update(meetings).set({ status: 'closed' }).where(eq(meetings.id, net.meetingId));
		expect(await askAsUser('chair')).toEqual({
			status: 409,
			body: { message: 'Cette séance est terminée.' }
		});
		await db.update(meetings).set({ status: 'cancelled' }).where(eq(meetings.id, net.meetingId));
		expect(await askAsUser('surgeon')).toEqual({
			status: 409,
			body: { message: 'Cette séance a été annulée.' }
		});
		await db.update(meetings).set({ status: 'open' }).where(eq(meetings.id, net.meetingId));
	});

	it('says so when video is not configured', async () => {
		const url = process.env.LIVEKIT_URL;
		delete process.env.LIVEKIT_URL;
		try {
			const res = await askAsUser('chair');
			expect(res.status).toBe(503);
			expect(res.body.message).toMatch(/n’est pas configurée/);
		} finally {
			process.env.LIVEKIT_URL = url;
		}
	});
});
