import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkInAttendee, checkOutAttendee, listPresence } from '$lib/server/attendance';
import { attendance, auditEvents, cases, meetings } from '$lib/server/db/schema';
import {
	closeLiveMeeting,
	moveToCase,
	muteParticipant,
	openLiveMeeting,
	removeParticipant,
	retryVideoRoom
} from '$lib/server/live/control';
import { cutLiveView, readLiveSnapshot } from '$lib/server/live/state';
import { getDb, queryOne } from '$lib/server/db';
import { invitations } from '$lib/server/db/schema';
import { saveWrittenOpinion } from '$lib/server/opinions';
import { getCase } from '$lib/server/cases';
import { migratedDb } from '../support/db';
import { LivekitFake, twirpErrors } from '../support/livekit-fake';
import { createLiveNetwork } from './live-fixtures';
import { toGuestActor } from '$lib/server/guest-links';

const db = await migratedDb();
const KEY = 'live-key';
const SECRET = 'live-secret-0123456789-abcdefghijklm';
let fake: LivekitFake;

beforeAll(async () => {
	fake = await LivekitFake.start(KEY, SECRET);
	Object.assign(process.env, {
		LIVEKIT_URL: fake.url.replace('http', 'ws'),
		LIVEKIT_API_KEY: KEY,
		LIVEKIT_API_SECRET: SECRET,
		LIVEKIT_API_TIMEOUT: '0.4'
	});
});
afterAll(async () => {
	for (const k of ['LIVEKIT_URL', 'LIVEKIT_API_KEY', 'LIVEKIT_API_SECRET', 'LIVEKIT_API_TIMEOUT'])
		delete process.env[k];
	await fake.close();
});
beforeEach(() => fake.reset());

const soon = () => new Date(Date.now() + 10 * 60_000);
const meetingRow = async (id: string) =>
	(await queryOne(db.select().from(meetings).where(eq(meetings.id, id))))!;
const guestActor = async (invitationId: string) =>
	toGuestActor(
		(await queryOne(getDb().select().from(invitations).where(eq(invitations.id, invitationId))))!
	);

describe('opening and closing the meeting', () => {
	it('opens: the room is created on LiveKit with its options, the first case is on screen', async () => {
		const net = await createLiveNetwork(db, soon(), 'open-1');
		const result = await openLiveMeeting(net.meetingId, net.audit('chair'));
		expect(result).toEqual({ ok: true, message: 'La séance est ouverte.', warning: undefined });
		const [call] = fake.callsTo('CreateRoom');
		expect(call!.grant).toMatchObject({ roomCreate: true });
		const room = fake.rooms.get(`pluri-${net.meetingId}`)!;
		expect(room).toMatchObject({ emptyTimeout: 1800, maxParticipants: 60 });
		expect(JSON.parse(room.metadata)).toMatchObject({ meetingId: net.meetingId });
		const m = await meetingRow(net.meetingId);
		expect(m).toMatchObject({
			status: 'open',
			roomName: `pluri-${net.meetingId}`,
			currentCaseId: net.caseIds[0]
		});
		expect((await getCase(net.caseIds[0]))!.status).toBe('presented');
		expect((await openLiveMeeting(net.meetingId, net.audit('chair'))).ok).toBe(false);
	});

	it('opens from an hour before the start, not earlier', async () => {
		const net = await createLiveNetwork(db, new Date(Date.now() + 3 * 3_600_000), 'early');
		const result = await openLiveMeeting(net.meetingId, net.audit('chair'));
		expect(result).toMatchObject({
			ok: false,
			message: expect.stringMatching(/^La séance s’ouvre au plus tôt 60 minutes avant son début/)
		});
		expect((await meetingRow(net.meetingId)).status).toBe('scheduled');
		expect(fake.callsTo('CreateRoom')).toHaveLength(0);
	});

	it('opens without video when LiveKit fails, with a French warning per failure', async () => {
		const cases: [() => void, RegExp][] = [
			[() => fake.failNext('CreateRoom', twirpErrors.internal()), /a rencontré une erreur/],
			[() => fake.failNext('CreateRoom', twirpErrors.unavailable()), /injoignable/],
			[() => fake.delay('CreateRoom', 1500), /ne répond pas \(délai dépassé\)/],
			[() => fake.failNext('CreateRoom', twirpErrors.permissionDenied()), /droits accordés/]
		];
		for (const [i, [arrange, message]] of cases.entries()) {
			fake.reset();
			arrange();
			const net = await createLiveNetwork(db, soon(), `fail-${i}`);
			const result = await openLiveMeeting(net.meetingId, net.audit('chair'));
			expect(result.ok).toBe(true);
			if (!result.ok) continue;
			expect(result.warning).toMatch(/^La visioconférence n’a pas pu être préparée : /);
			expect(result.warning).toMatch(message);
			expect((await meetingRow(net.meetingId)).status).toBe('open');
			fake.delay('CreateRoom', 0);
			expect(await retryVideoRoom(net.meetingId)).toEqual({
				ok: true,
				message: 'La visioconférence est prête.'
			});
		}
	});

	it('reports keys LiveKit refuses, and an unreachable server', async () => {
		process.env.LIVEKIT_API_SECRET = 'wrong-secret-0123456789-abcdefghijklm';
		try {
			const net = await createLiveNetwork(db, soon(), 'badkey');
			const result = await openLiveMeeting(net.meetingId, net.audit('chair'));
			expect(result.ok && result.warning).toMatch(/refuse les identifiants de Pluri/);
		} finally {
			process.env.LIVEKIT_API_SECRET = SECRET;
		}
		const url = process.env.LIVEKIT_URL;
		process.env.LIVEKIT_URL = 'ws://127.0.0.1:9';
		try {
			const net = await createLiveNetwork(db, soon(), 'down');
			const result = await openLiveMeeting(net.meetingId, net.audit('chair'));
			expect(result.ok && result.warning).toMatch(/injoignable/);
		} finally {
			process.env.LIVEKIT_URL = url;
		}
	});

	it('closes: room deleted, attendance ended, undecided cases carried to the next meeting', async () => {
		const net = await createLiveNetwork(db, new Date(Date.now() - 5 * 60_000), 'close-1');
		await openLiveMeeting(net.meetingId, net.audit('chair'));
		expect(
			(
				await checkInAttendee(
					await meetingRow(net.meetingId),
					`user:${net.ids.surgeon}`,
					net.audit('coordinator')
				)
			).ok
		).toBe(true);
		const result = await closeLiveMeeting(net.meetingId, net.audit('chair'));
		expect(result.ok).toBe(true);
		expect(result.ok && result.message).toMatch(/3 dossier\(s\) sans proposition reporté\(s\)/);
		expect(fake.callsTo('DeleteRoom')).toHaveLength(1);
		expect(fake.rooms.has(`pluri-${net.meetingId}`)).toBe(false);
		expect(await meetingRow(net.meetingId)).toMatchObject({
			status: 'closed',
			currentCaseId: null
		});
		expect(
			(await db.select().from(attendance).where(eq(attendance.meetingId, net.meetingId))).every(
				(a) => a.leftAt
			)
		).toBe(true);
		for (const id of net.caseIds) {
			expect(await getCase(id)).toMatchObject({
				meetingId: net.nextMeetingId,
				status: 'scheduled'
			});
		}
		expect((await closeLiveMeeting(net.meetingId, net.audit('chair'))).ok).toBe(false);
	});

	it('still closes when LiveKit cannot delete the room, and says so', async () => {
		const net = await createLiveNetwork(db, new Date(Date.now() - 5 * 60_000), 'close-2');
		await openLiveMeeting(net.meetingId, net.audit('chair'));
		fake.failNext('DeleteRoom', twirpErrors.internal());
		const result = await closeLiveMeeting(net.meetingId, net.audit('chair'));
		expect(result.ok && result.warning).toMatch(/n’a pas pu être fermée/);
		expect((await meetingRow(net.meetingId)).status).toBe('closed');
		// A room already gone is not an error.
		const other = await createLiveNetwork(db, new Date(Date.now() - 5 * 60_000), 'close-3');
		await openLiveMeeting(other.meetingId, other.audit('chair'));
		fake.rooms.clear();
		expect(await closeLiveMeeting(other.meetingId, other.audit('chair'))).toMatchObject({
			ok: true,
			warning: undefined
		});
	});
});

describe('the presentation and what each participant sees', async () => {
	const net = await createLiveNetwork(db, soon(), 'view');
	beforeAll(async () => {
		await db.update(cases).set({ agendaPosition: 2 }).where(eq(cases.id, net.caseIds[1]));
		// The radiation oncologist cannot come: their written opinion covers the specialty for case 1.
		const c1 = (await getCase(net.caseIds[0]))!;
		expect(
			await saveWrittenOpinion(
				c1,
				{ id: net.ids.radiotherapist, specialty: 'radiation_oncology' },
				'Radiothérapie préopératoire à discuter.',
				net.audit('radiotherapist')
			)
		).toEqual({ ok: true, created: true });
		await openLiveMeeting(net.meetingId, net.audit('chair'));
	});

	it('moves to the next and previous case; the ends say so', async () => {
		expect(await moveToCase(net.meetingId, 'previous', net.audit('chair'))).toEqual({
			ok: false,
			message: 'C’est le premier dossier de l’ordre du jour.'
		});
		expect((await moveToCase(net.meetingId, 'next', net.audit('chair'))).ok).toBe(true);
		expect((await meetingRow(net.meetingId)).currentCaseId).toBe(net.caseIds[1]);
		await moveToCase(net.meetingId, 'next', net.audit('chair'));
		expect(await moveToCase(net.meetingId, 'next', net.audit('chair'))).toMatchObject({
			ok: false
		});
		expect(
			await moveToCase(net.meetingId, { caseId: crypto.randomUUID() }, net.audit('chair'))
		).toEqual({
			ok: false,
			message: 'Ce dossier n’est pas à l’ordre du jour de cette séance.'
		});
		expect(
			(await moveToCase(net.meetingId, { caseId: net.caseIds[0] }, net.audit('chair'))).ok
		).toBe(true);
		expect((await getCase(net.caseIds[2]))!.status).toBe('presented');
	});

	it('shows the quorum with present specialties, missing ones and the written opinion', async () => {
		const m = await meetingRow(net.meetingId);
		await checkInAttendee(m, `user:${net.ids.chair}`, net.audit('coordinator'));
		let view = cutLiveView((await readLiveSnapshot(net.meetingId))!, await net.actor('chair')).view;
		expect(view.quorum).toMatchObject({
			reached: false,
			present: ['Oncologie médicale'],
			byOpinion: ['Oncologie radiothérapie'],
			missing: ['Chirurgie viscérale et digestive']
		});
		expect(view.current!.opinions).toEqual([
			{
				authorName: 'Dr Nicolas Garnier',
				specialty: 'Oncologie radiothérapie',
				text: 'Radiothérapie préopératoire à discuter.'
			}
		]);
		const checkIn = await checkInAttendee(m, `user:${net.ids.surgeon}`, net.audit('coordinator'));
		expect(checkIn).toEqual({ ok: true, name: 'Dr Julien Moreau' });
		expect(await checkInAttendee(m, `user:${net.ids.surgeon}`, net.audit('coordinator'))).toEqual({
			ok: false,
			message: 'Dr Julien Moreau est déjà compté(e) présent(e).'
		});
		expect(
			await checkInAttendee(m, `user:${net.ids.outsider}`, net.audit('coordinator'))
		).toMatchObject({
			ok: false
		});
		view = cutLiveView((await readLiveSnapshot(net.meetingId))!, await net.actor('chair')).view;
		expect(view.quorum).toMatchObject({ reached: true, text: 'Quorum atteint (3 spécialités)' });
		// The opinion counts for case 1 only: on case 2, radiation oncology is missing.
		await db
			.update(meetings)
			.set({ currentCaseId: net.caseIds[1] })
			.where(eq(meetings.id, net.meetingId));
		view = cutLiveView((await readLiveSnapshot(net.meetingId))!, await net.actor('chair')).view;
		expect(view.quorum!.missing).toEqual(['Oncologie radiothérapie']);
		await db
			.update(meetings)
			.set({ currentCaseId: net.caseIds[0] })
			.where(eq(meetings.id, net.meetingId));
		const surgeonRow = (await listPresence(net.meetingId)).find(
			(p) => p.userId === net.ids.surgeon
		)!;
		expect(
			(await checkOutAttendee(net.meetingId, surgeonRow.id, net.audit('coordinator'))).ok
		).toBe(true);
		expect(
			cutLiveView((await readLiveSnapshot(net.meetingId))!, await net.actor('chair')).view.quorum!
				.reached
		).toBe(false);
	});

	it('gives a guest only their own case, and only while it is on screen', async () => {
		const snapshot = async () => (await readLiveSnapshot(net.meetingId))!;
		const guest = await guestActor(net.guest.invitationId);
		let view = cutLiveView(await snapshot(), guest).view;
		expect(view).toMatchObject({ agenda: [], presence: [], quorum: null, current: null });
		expect(view.guest).toEqual({ position: 2, casesBefore: 1, isCurrent: false, done: false });
		expect(JSON.stringify(view)).not.toContain('DURAND');

		await moveToCase(net.meetingId, 'next', net.audit('chair'));
		const cut = cutLiveView(await snapshot(), guest);
		view = cut.view;
		expect(view.guest).toMatchObject({ isCurrent: true, casesBefore: 0 });
		expect(view.current!.patient).toMatch(/^MARTIN Lucie/);
		expect(cut.shown).toEqual([{ caseId: net.caseIds[1], patientId: net.patientIds[1] }]);
		expect(JSON.stringify(view)).not.toMatch(/DURAND|PETIT/);

		await moveToCase(net.meetingId, 'next', net.audit('chair'));
		view = cutLiveView(await snapshot(), guest).view;
		expect(view.guest).toMatchObject({ isCurrent: false, done: true });
		expect(view.current).toBeNull();
		// Moving on asked LiveKit to take the guest of case 2 out of the room.
		expect(fake.callsTo('RemoveParticipant').map((c) => c.body.identity)).toContain(
			`guest:${net.guest.invitationId}`
		);
	});

	it('gives members the agenda they may see, with patient labels', async () => {
		const view = cutLiveView(
			(await readLiveSnapshot(net.meetingId))!,
			await net.actor('surgeon')
		).view;
		expect(view.role).toBe('member');
		expect(view.canRun).toBe(false);
		expect(view.agenda.map((a) => a.label)).toEqual([
			'DURAND Jean (1954)',
			'MARTIN Lucie (1961)',
			'PETIT Marc (1949)'
		]);
		expect(
			cutLiveView((await readLiveSnapshot(net.meetingId))!, await net.actor('chair')).view
		).toMatchObject({
			role: 'chair',
			canRun: true,
			canCheckIn: true
		});
	});
});

describe('chair controls on the video room', async () => {
	const net = await createLiveNetwork(db, soon(), 'mute');
	const room = `pluri-${net.meetingId}`;

	it('mutes a participant’s microphone with the admin grant of that room', async () => {
		await openLiveMeeting(net.meetingId, net.audit('chair'));
		fake.addParticipant(room, {
			identity: `user:${net.ids.surgeon}`,
			tracks: [
				{ sid: 'TR_cam', type: 'VIDEO', source: 'CAMERA', muted: false },
				{ sid: 'TR_mic', type: 'AUDIO', source: 'MICROPHONE', muted: false }
			]
		});
		fake.addParticipant(room, { identity: `user:${net.ids.radiotherapist}`, tracks: [] });
		const audits = async () =>
			(await db.select().from(auditEvents).where(eq(auditEvents.action, 'live.mute'))).length;
		expect(
			await muteParticipant(net.meetingId, `user:${net.ids.surgeon}`, net.audit('chair'))
		).toEqual({
			ok: true,
			message: 'Son micro est coupé.'
		});
		const call = fake.callsTo('MutePublishedTrack')[0]!;
		expect(call.grant).toMatchObject({ roomAdmin: true, room });
		expect(call.body).toMatchObject({ trackSid: 'TR_mic', muted: true });
		expect(
			fake.rooms.get(room)!.participants.get(`user:${net.ids.surgeon}`)!.tracks[1]!.muted
		).toBe(true);
		expect(
			await muteParticipant(net.meetingId, `user:${net.ids.surgeon}`, net.audit('chair'))
		).toMatchObject({
			ok: true,
			message: 'Son micro était déjà coupé.'
		});
		expect(
			await muteParticipant(net.meetingId, `user:${net.ids.radiotherapist}`, net.audit('chair'))
		).toEqual({
			ok: false,
			message: 'Ce participant ne partage pas son micro.'
		});
		const before = await audits();
		expect(await muteParticipant(net.meetingId, 'user:nobody', net.audit('chair'))).toMatchObject({
			ok: false,
			message: expect.stringMatching(/introuvable/)
		});
		expect(await muteParticipant(net.meetingId, 'root', net.audit('chair'))).toEqual({
			ok: false,
			message: 'Participant inconnu.'
		});
		expect(await audits()).toBe(before);
	});

	it('removes a participant; a timeout is reported, not thrown', async () => {
		expect((await retryVideoRoom(net.meetingId)).ok).toBe(true);
		fake.addParticipant(room, { identity: `user:${net.ids.surgeon}`, tracks: [] });
		fake.addParticipant(room, { identity: `user:${net.ids.radiotherapist}`, tracks: [] });
		expect(
			await removeParticipant(net.meetingId, `user:${net.ids.radiotherapist}`, net.audit('chair'))
		).toEqual({
			ok: true,
			message: 'Le participant est retiré de la visioconférence.'
		});
		expect(fake.rooms.get(room)!.participants.has(`user:${net.ids.radiotherapist}`)).toBe(false);
		fake.delay('RemoveParticipant', 1500);
		const slow = await removeParticipant(
			net.meetingId,
			`user:${net.ids.surgeon}`,
			net.audit('chair')
		);
		expect(slow).toMatchObject({ ok: false, message: expect.stringMatching(/délai dépassé/) });
	});
});
