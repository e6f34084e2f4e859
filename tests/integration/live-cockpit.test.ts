import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
	endVideoStayWithoutGrace,
	listPresence,
	listQuorumAttendees,
	recordVideoJoin,
	recordVideoLeave
} from '$lib/server/attendance';
import { cases, decisions, invitations, meetings, outbox, pathways } from '$lib/server/db/schema';
import { getLatestDecision, saveDecisionDraft } from '$lib/server/decisions';
import { loadDecisionDocumentData } from '$lib/server/delivery/document-data';
import { cutLiveView, readLiveSnapshot } from '$lib/server/live/state';
import { actions } from '../../src/routes/(app)/meetings/[meetingId]/room/+page.server';
import { migratedDb, queryOne } from '../support/db';
import { createLiveNetwork, type LiveNetwork } from './live-fixtures';
import { toGuestActor } from '$lib/server/guest-links';
import { previewValidation, validateDecision } from '$lib/server/decision-validation';

const db = await migratedDb();
const proposal = (text = 'Radiochimiothérapie puis chirurgie.') => ({
	proposalTypes: ['radiotherapy', 'surgery'],
	text,
	conformity: 'conform' as const,
	justification: null,
	trialProposed: false,
	trialName: null,
	followUp: null
});
const seconds = (base: Date, s: number) => new Date(base.getTime() + s * 1000);

/** An open meeting (no video server needed here), the first case on screen, everyone on video. */
async function openMeeting(code: string, joinedAt: Date): Promise<LiveNetwork> {
	const net = await createLiveNetwork(db, new Date(Date.now() + 10 * 60_000), code);
	await db
		.update(meetings)
		.set({ status: 'open', openedAt: joinedAt, currentCaseId: net.caseIds[0] })
		.where(eq(meetings.id, net.meetingId));
	for (const key of ['chair', 'surgeon', 'radiotherapist'] as const) {
		await recordVideoJoin(db, net.meetingId, `user:${net.ids[key]}`, key, joinedAt);
	}
	return net;
}

describe('quorum that survives a blip', () => {
	it('keeps a disconnected doctor counted for the grace period; validating then records a decision', async () => {
		const t0 = new Date(Date.now() - 60_000);
		const net = await openMeeting('grace-1', t0);
		const leftAt = seconds(t0, 30);
		expect(
			await recordVideoLeave(db, net.meetingId, `user:${net.ids.radiotherapist}`, leftAt)
		).toBe(1);

		const now = seconds(leftAt, 60);
		expect((await listQuorumAttendees(net.meetingId, db, now)).map((a) => a.specialty)).toContain(
			'radiation_oncology'
		);
		const line = (await listPresence(net.meetingId, db, now)).find(
			(p) => p.userId === net.ids.radiotherapist
		);
		expect(line?.graceUntil).toEqual(seconds(leftAt, 120));
		// Every screen shows the quorum still reached, with the person marked as reconnecting.
		const view = cutLiveView(
			(await readLiveSnapshot(net.meetingId))!,
			await net.actor('surgeon')
		).view;
		expect(view.quorum?.reached).toBe(true);

		const c = net.caseIds[0];
		expect(await previewValidation(c, net.meetingId, now)).toMatchObject({
			outcome: 'validated',
			quorumReached: true,
			missing: []
		});
		const r = await validateDecision(c, net.meetingId, proposal(), net.audit('chair'), now, {
			expected: 'validated'
		});
		expect(r).toMatchObject({ ok: true, status: 'validated', quorumReached: true });
		const d = (await getLatestDecision(c))!;
		expect(d.attendeesSnapshot?.map((a) => a.name)).toContainEqual(
			expect.stringMatching(/Nicolas Garnier/i)
		);
	});

	it('after the grace period the preview announces a provisional opinion; a confirmed decision is refused, nothing recorded', async () => {
		const t0 = new Date(Date.now() - 10 * 60_000);
		const net = await openMeeting('grace-2', t0);
		const leftAt = seconds(t0, 10);
		await recordVideoLeave(db, net.meetingId, `user:${net.ids.radiotherapist}`, leftAt);
		const now = seconds(leftAt, 121);
		const c = net.caseIds[0];
		const preview = await previewValidation(c, net.meetingId, now);
		expect(preview).toMatchObject({ outcome: 'provisional', quorumReached: false });
		expect('missing' in preview && preview.missing).toEqual([expect.stringMatching(/radioth/i)]);

		// The chair confirmed a decision seen a moment ago: refused with the new outcome.
		const raced = await validateDecision(c, net.meetingId, proposal(), net.audit('chair'), now, {
			expected: 'validated'
		});
		expect(raced).toMatchObject({
			ok: false,
			code: 'changed',
			message: expect.stringMatching(/n’est plus atteint/),
			preview: { outcome: 'provisional' }
		});
		expect((await getLatestDecision(c))?.status ?? 'none').not.toMatch(/validated|provisional/);
		expect((await queryOne(db.select().from(cases).where(eq(cases.id, c))))!.status).not.toBe(
			'deferred'
		);

		const provisional = await validateDecision(
			c,
			net.meetingId,
			proposal(),
			net.audit('chair'),
			now,
			{
				expected: 'provisional'
			}
		);
		expect(provisional).toMatchObject({ ok: true, status: 'provisional', quorumReached: false });
	});

	it('follows the pathway setting (0 = no grace) and gives none to someone the chair removed', async () => {
		const t0 = new Date(Date.now() - 60_000);
		const net = await openMeeting('grace-3', t0);
		await recordVideoLeave(db, net.meetingId, `user:${net.ids.surgeon}`, seconds(t0, 1));
		const specialties = async () =>
			(await listQuorumAttendees(net.meetingId)).map((a) => a.specialty);
		expect(await specialties()).toContain('visceral_surgery');
		expect(await endVideoStayWithoutGrace(net.meetingId, `user:${net.ids.surgeon}`)).toBe(1);
		expect(await specialties()).not.toContain('visceral_surgery');

		await db
			.update(pathways)
			.set({ presenceGraceSeconds: 0 })
			.where(eq(pathways.id, net.pathwayId));
		await recordVideoLeave(db, net.meetingId, `user:${net.ids.radiotherapist}`, new Date());
		expect(await specialties()).not.toContain('radiation_oncology');
	});

	it('a member who comes back within the grace is counted once', async () => {
		const t0 = new Date(Date.now() - 60_000);
		const net = await openMeeting('grace-4', t0);
		const id = `user:${net.ids.surgeon}`;
		await recordVideoLeave(db, net.meetingId, id, seconds(t0, 5));
		await recordVideoJoin(db, net.meetingId, id, 'surgeon', seconds(t0, 8));
		const lines = (await listPresence(net.meetingId)).filter((p) => p.userId === net.ids.surgeon);
		expect(lines).toHaveLength(1);
		expect(lines[0]!.graceUntil).toBeNull();
	});
});

describe('the draft version counter', () => {
	it('refuses a draft based on an older revision, keeping the newer text', async () => {
		const net = await openMeeting('draft-1', new Date(Date.now() - 60_000));
		const c = net.caseIds[0];
		const chair = net.audit('chair');
		const first = await saveDecisionDraft(c, net.meetingId, proposal('v1'), chair, new Date(), 0);
		expect(first).toMatchObject({ ok: true, revision: 1 });
		const second = await saveDecisionDraft(c, net.meetingId, proposal('v2'), chair, new Date(), 1);
		expect(second).toMatchObject({ ok: true, revision: 2 });
		const stale = await saveDecisionDraft(
			c,
			net.meetingId,
			proposal('old tab'),
			chair,
			new Date(),
			1
		);
		expect(stale).toMatchObject({
			ok: false,
			code: 'stale',
			revision: 2,
			message: expect.stringMatching(/modifiée entre-temps/)
		});
		expect(await getLatestDecision(c)).toMatchObject({ text: 'v2', draftRevision: 2 });
		// Validating on the stale revision is refused too.
		const v = await validateDecision(c, net.meetingId, proposal('old tab'), chair, new Date(), {
			expected: 'validated',
			revision: 1
		});
		expect(v).toMatchObject({ ok: false, code: 'stale' });
		expect(await getLatestDecision(c)).toMatchObject({ status: 'draft', text: 'v2' });
	});

	it('two chairs validating at once: one decision, the second refused', async () => {
		const net = await openMeeting('draft-2', new Date(Date.now() - 60_000));
		const c = net.caseIds[0];
		const a = await validateDecision(
			c,
			net.meetingId,
			proposal('A'),
			net.audit('chair'),
			new Date(),
			{
				expected: 'validated'
			}
		);
		const b = await validateDecision(
			c,
			net.meetingId,
			proposal('B'),
			net.audit('chair'),
			new Date(),
			{
				expected: 'validated'
			}
		);
		expect(a.ok).toBe(true);
		expect(b).toMatchObject({ ok: false, code: 'conflict' });
		expect(await db.select().from(decisions).where(eq(decisions.caseId, c))).toHaveLength(1);
	});
});

function post(net: LiveNetwork, action: string, caseId: string, fields: Record<string, string>) {
	const url = new URL(`http://localhost/meetings/${net.meetingId}/room?/${action}&case=${caseId}`);
	const body = new FormData();
	for (const [k, v] of Object.entries(fields)) body.append(k, v);
	return { url, request: new Request(url, { method: 'POST', body }) };
}

describe('the room’s decision form', () => {
	const fields = { proposalTypes: 'surgery', text: 'Chirurgie.', conformity: 'conform' };

	it('refuses a member and a guest (403), nothing written', async () => {
		const net = await openMeeting('form-1', new Date(Date.now() - 60_000));
		const c = net.caseIds[1];
		const guestInvitation = (await queryOne(
			db.select().from(invitations).where(eq(invitations.id, net.guest.invitationId))
		))!;
		const callers = [
			{
				actor: await net.actor('surgeon'),
				audit: net.audit('surgeon'),
				user: await net.user('surgeon')
			},
			{
				actor: toGuestActor(guestInvitation),
				audit: { actorType: 'guest' as const, actorId: null, ip: '10.0.0.9' },
				user: null
			}
		];
		for (const locals of callers) {
			for (const action of ['saveDraft', 'validate'] as const) {
				const { url, request } = post(net, action, c, fields);
				const event = { params: { meetingId: net.meetingId }, locals, request, url };
				// @ts-expect-error a partial request event is enough for these actions
				await expect(actions[action](event)).rejects.toMatchObject({ status: 403 });
			}
		}
		expect(await db.select().from(decisions).where(eq(decisions.caseId, c))).toHaveLength(0);
	});

	it('lets the chair save, then shows what a validation would record before confirming', async () => {
		const net = await openMeeting('form-2', new Date(Date.now() - 60_000));
		const c = net.caseIds[0];
		const locals = {
			actor: await net.actor('chair'),
			audit: net.audit('chair'),
			user: await net.user('chair')
		};
		const call = (action: 'saveDraft' | 'validate', extra: Record<string, string>) => {
			const { url, request } = post(net, action, c, { ...fields, ...extra });
			// @ts-expect-error a partial request event is enough for these actions
			return actions[action]({ params: { meetingId: net.meetingId }, locals, request, url });
		};
		expect(await call('saveDraft', { revision: '0' })).toMatchObject({
			kind: 'saved',
			revision: 1
		});
		const stale = await call('saveDraft', { revision: '0' });
		expect(stale).toMatchObject({ status: 409, data: { stale: true, revision: 1 } });
		// What a decision needs is said before confirming (here the conformity), the draft kept.
		const incomplete = await call('validate', { revision: '1', conformity: '' });
		expect(incomplete).toMatchObject({
			status: 400,
			data: { errors: { conformity: expect.any(String) }, revision: 2 }
		});
		const preview = await call('validate', { revision: '2' });
		expect(preview).toMatchObject({ kind: 'preview', preview: { outcome: 'validated' } });
		expect((await getLatestDecision(c))?.status).toBe('draft');
		const done = await call('validate', { revision: '3', expected: 'validated' });
		expect(done).toMatchObject({ kind: 'recorded', outcome: 'validated' });
		expect((await getLatestDecision(c))?.status).toBe('validated');
	});
});

describe('the decision reaches the GP and the referring doctor', () => {
	it('queues a mail to the referring doctor, the GP of the case and its GP guest; the fiche names the GP', async () => {
		process.env.FHIR_BASE_URL = 'http://127.0.0.1:9/fhir';
		try {
			const net = await openMeeting('gp-1', new Date(Date.now() - 60_000));
			const c = net.caseIds[1]; // the case with the GP guest « Dr Pierre Renaud »
			await db
				.update(cases)
				.set({ referringEmail: 'dr.adresseur@test.mssante.fr' })
				.where(eq(cases.id, c));
			const r = await validateDecision(
				c,
				net.meetingId,
				proposal(),
				net.audit('chair'),
				new Date(),
				{
					expected: 'validated'
				}
			);
			expect(r.ok).toBe(true);
			const rows = (
				await db
					.select()
					.from(outbox)
					.where(and(eq(outbox.decisionId, r.ok ? r.decisionId : ''), eq(outbox.channel, 'mail')))
			)
				.map((o) => o.recipient)
				.sort();
			expect(rows).toEqual(['dr.adresseur@test.mssante.fr', 'drpierrerenaud@test.mssante.fr']);
			const doc = (await loadDecisionDocumentData(r.ok ? r.decisionId : ''))!;
			expect(doc.caseInfo.gpName).toBe('Dr Pierre Renaud');

			// The case's own GP comes first on the fiche, and is mailed too.
			const other = net.caseIds[2];
			await db
				.update(cases)
				.set({ gpName: 'Dr Sophie Lambert', gpEmail: 'sophie.lambert@test.mssante.fr' })
				.where(eq(cases.id, other));
			await db.update(meetings).set({ currentCaseId: other }).where(eq(meetings.id, net.meetingId));
			const r2 = await validateDecision(other, net.meetingId, proposal(), net.audit('chair'));
			expect(r2.ok).toBe(true);
			const recipients = (
				await db
					.select()
					.from(outbox)
					.where(eq(outbox.decisionId, r2.ok ? r2.decisionId : ''))
			)
				.map((o) => `${o.channel}:${o.recipient}`)
				.sort();
			expect(recipients).toEqual([
				'fhir:http://127.0.0.1:9/fhir',
				// the requester (no referring doctor on this case), the GP guest, the case's GP
				'mail:Julien.gp-1@test.pluri.fr',
				'mail:drchlovincent@test.mssante.fr',
				'mail:sophie.lambert@test.mssante.fr'
			]);
			expect((await loadDecisionDocumentData(r2.ok ? r2.decisionId : ''))!.caseInfo.gpName).toBe(
				'Dr Sophie Lambert'
			);
		} finally {
			delete process.env.FHIR_BASE_URL;
		}
	});
});
