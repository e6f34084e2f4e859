import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '$lib/server/audit';
import { closeMeeting } from '$lib/server/carry-over';
import { auditEvents, caseEvents, cases, decisions, meetings, outbox } from '$lib/server/db/schema';
import { listDecisionVersions, saveDecisionDraft } from '$lib/server/decisions';
import { migratedDb, queryOne } from '../support/db';
import { createDecisionWorld, proposal } from './decisions-fixtures';
import { amendDecision } from '$lib/server/decision-amendment';
import { validateDecision } from '$lib/server/decision-validation';

const db = await migratedDb();
const world = await createDecisionWorld(db);

beforeAll(() => {
	process.env.FHIR_BASE_URL = 'http://127.0.0.1:9/fhir';
});
afterAll(() => {
	delete process.env.FHIR_BASE_URL;
});

const caseRow = async (id: string) =>
	(await queryOne(db.select().from(cases).where(eq(cases.id, id))))!;
const rowsOf = async (decisionId: string) =>
	await db.select().from(outbox).where(eq(outbox.decisionId, decisionId));
const auditFor = async (action: string, objectId: string) =>
	await db
		.select()
		.from(auditEvents)
		.where(and(eq(auditEvents.action, action), eq(auditEvents.objectId, objectId)));

describe('the chair types the decision during the meeting', () => {
	it('saves version 1 as a draft, then updates it in place, audited with the patient', async () => {
		const m = await world.newMeeting();
		const c = await world.newCase(m);
		const first = await saveDecisionDraft(c, m, proposal({ text: 'Radiochimio' }), world.chair);
		expect(first).toMatchObject({ ok: true, version: 1, status: 'draft' });
		const second = await saveDecisionDraft(c, m, proposal(), world.chair);
		expect(second).toMatchObject({ ok: true, version: 1 });
		const versions = await listDecisionVersions(c);
		expect(versions).toHaveLength(1);
		expect(versions[0]!.text).toBe(proposal().text);
		expect((await caseRow(c)).status).toBe('presented');
		if (!first.ok) throw new Error();
		const audits = await auditFor('decision.draft', first.decisionId);
		expect(audits).toHaveLength(2);
		expect(
			audits.every((a) => a.patientId === world.patientId && a.actorId === world.chairId)
		).toBe(true);
	});

	it('refuses a type from the other pathway kind and a case of another meeting', async () => {
		const m = await world.newMeeting();
		const c = await world.newCase(m);
		const bad = await saveDecisionDraft(
			c,
			m,
			proposal({ proposalTypes: ['ablation'] }),
			world.chair
		);
		expect(bad).toMatchObject({ ok: false, code: 'invalid' });
		if (bad.ok) throw new Error();
		expect(bad.errors?.proposalTypes).toContain('ablation');
		const other = await world.newMeeting();
		expect(await saveDecisionDraft(c, other, proposal(), world.chair)).toMatchObject({
			ok: false,
			code: 'not_found'
		});
		expect(await listDecisionVersions(c)).toHaveLength(0);
	});

	it('refuses to write while the meeting is not open', async () => {
		for (const status of ['scheduled', 'closed'] as const) {
			const m = await world.newMeeting(status);
			const c = await world.newCase(m);
			const r = await saveDecisionDraft(c, m, proposal(), world.chair);
			expect(r).toMatchObject({ ok: false, code: 'conflict' });
			expect(await validateDecision(c, m, proposal(), world.chair)).toMatchObject({ ok: false });
			expect(await listDecisionVersions(c)).toHaveLength(0);
		}
	});
});

describe('validation under quorum', () => {
	it('with quorum: locked final decision, attendees and quorum recorded, case decided, deliveries queued', async () => {
		const m = await world.newMeeting();
		const c = await world.newCase(m);
		await world.checkIn(m, world.quorumPeople);
		await saveDecisionDraft(c, m, proposal({ text: 'brouillon' }), world.chair);
		const r = await validateDecision(c, m, proposal(), world.chair);
		expect(r).toMatchObject({ ok: true, status: 'validated', version: 1, quorumReached: true });
		if (!r.ok) throw new Error();
		const d = (await queryOne(db.select().from(decisions).where(eq(decisions.id, r.decisionId))))!;
		expect(d).toMatchObject({
			status: 'validated',
			quorumReached: true,
			missingSpecialties: [],
			validatedBy: world.chairId,
			text: proposal().text
		});
		expect(d.validatedAt).toBeInstanceOf(Date);
		expect(d.attendeesSnapshot!.map((a) => a.specialty).sort()).toEqual([
			'medical_oncology',
			'radiation_oncology',
			'visceral_surgery'
		]);
		expect(d.attendeesSnapshot!.every((a) => a.rpps !== null)).toBe(true);
		expect((await caseRow(c)).status).toBe('decided');
		const rows = await rowsOf(r.decisionId);
		expect(rows.map((o) => `${o.channel}:${o.recipient}`).sort()).toEqual([
			'fhir:http://127.0.0.1:9/fhir',
			expect.stringMatching(/^mail:gp\.\d+@test\.mssante\.fr$/),
			expect.stringMatching(/^mail:julien\.\d+@test\.mssante\.fr$/)
		]);
		expect(rows.every((o) => o.status === 'pending' && o.attempts === 0)).toBe(true);
		expect(new Set(rows.map((o) => o.idempotencyKey)).size).toBe(3);
		expect((await auditFor('decision.validate', r.decisionId))[0]?.patientId).toBe(world.patientId);
		expect((await verifyAuditTrail()).ok).toBe(true);
	});

	it('a second click or a second chair gets a clear message, and nothing is duplicated', async () => {
		const m = await world.newMeeting();
		const c = await world.newCase(m);
		await world.checkIn(m, world.quorumPeople);
		const first = await validateDecision(c, m, proposal(), world.chair);
		expect(first.ok).toBe(true);
		const again = await validateDecision(c, m, proposal(), world.chair);
		expect(again).toMatchObject({ ok: false, code: 'conflict' });
		if (again.ok) throw new Error();
		expect(again.message).toMatch(/déjà été validée par Dr Helene Rousseau à \d+ h/);
		const otherChair = await validateDecision(
			c,
			m,
			proposal({ text: 'Autre avis' }),
			world.otherChair
		);
		expect(otherChair).toMatchObject({ ok: false, code: 'conflict' });
		expect(
			await saveDecisionDraft(c, m, proposal({ text: 'retouche' }), world.chair)
		).toMatchObject({
			ok: false,
			code: 'conflict'
		});
		const versions = await listDecisionVersions(c);
		expect(versions).toHaveLength(1);
		expect(versions[0]!.text).toBe(proposal().text);
		expect(await rowsOf(versions[0]!.id)).toHaveLength(3);
	});

	it('without quorum: a provisional opinion, the case deferred then carried to the next meeting, nothing sent', async () => {
		// A pathway of its own, so that « the next meeting » is the one made here.
		const world = await createDecisionWorld(db);
		const m = await world.newMeeting('open', new Date(Date.now() - 3_600_000));
		const next = await world.newMeeting('scheduled');
		const c = await world.newCase(m);
		await world.checkIn(m, [world.chairId, world.surgeonId]);
		const r = await validateDecision(c, m, proposal({ conformity: null }), world.chair);
		expect(r).toMatchObject({ ok: true, status: 'provisional', quorumReached: false });
		if (!r.ok) throw new Error();
		const d = (await queryOne(db.select().from(decisions).where(eq(decisions.id, r.decisionId))))!;
		expect(d.missingSpecialties).toEqual(['radiation_oncology']);
		expect((await caseRow(c)).status).toBe('deferred');
		expect(await rowsOf(r.decisionId)).toHaveLength(0);
		expect(await validateDecision(c, m, proposal(), world.chair)).toMatchObject({
			ok: false,
			code: 'conflict'
		});

		expect((await closeMeeting(m, world.chair)).ok).toBe(true);
		expect(await caseRow(c)).toMatchObject({ status: 'scheduled', meetingId: next });
		// At the next meeting the case gets a new version; the opinion stays in its history.
		await db.update(cases).set({ status: 'scheduled' }).where(eq(cases.id, c));
		await db.update(meetings).set({ status: 'open' }).where(eq(meetings.id, next));
		await world.checkIn(next, world.quorumPeople);
		const final = await validateDecision(c, next, proposal(), world.chair);
		expect(final).toMatchObject({ ok: true, status: 'validated', version: 2 });
		expect((await listDecisionVersions(c)).map((v) => `${v.version}:${v.status}`)).toEqual([
			'2:validated',
			'1:provisional'
		]);
	});

	it('an incomplete validation keeps what was typed and says what is missing', async () => {
		const m = await world.newMeeting();
		const c = await world.newCase(m);
		await world.checkIn(m, world.quorumPeople);
		const r = await validateDecision(
			c,
			m,
			proposal({ conformity: 'off_guideline', justification: null }),
			world.chair
		);
		expect(r).toMatchObject({ ok: false, code: 'invalid' });
		if (r.ok) throw new Error();
		expect(r.errors?.justification).toBe('Justifiez une proposition hors référentiel.');
		const [draft] = await listDecisionVersions(c);
		expect(draft).toMatchObject({
			status: 'draft',
			conformity: 'off_guideline',
			text: proposal().text
		});
		expect(await rowsOf(draft!.id)).toHaveLength(0);
		expect((await caseRow(c)).status).toBe('presented');
	});
});

describe('amendments', () => {
	it('needs a reason and a change; creates version n + 1, supersedes n, delivers again', async () => {
		const m = await world.newMeeting();
		const c = await world.newCase(m);
		await world.checkIn(m, world.quorumPeople);
		const v1 = await validateDecision(c, m, proposal(), world.chair);
		if (!v1.ok) throw new Error();
		expect(
			await amendDecision(c, proposal({ text: 'Chirurgie seule' }), '', world.chair)
		).toMatchObject({
			ok: false,
			code: 'invalid'
		});
		expect(
			await amendDecision(c, proposal(), 'Aucune modification en fait', world.chair)
		).toMatchObject({
			ok: false,
			message: 'L’amendement ne change rien à la proposition validée.'
		});
		const v2 = await amendDecision(
			c,
			proposal({ proposalTypes: ['surgery'], text: 'Résection antérieure du rectum d’emblée.' }),
			'Réponse complète à l’IRM relue après la séance',
			world.chair
		);
		expect(v2).toMatchObject({ ok: true, version: 2, status: 'validated' });
		if (!v2.ok) throw new Error();
		const [second, first] = await listDecisionVersions(c);
		expect(first).toMatchObject({ id: v1.decisionId, status: 'superseded' });
		expect(second).toMatchObject({
			status: 'validated',
			amendsId: v1.decisionId,
			amendReason: 'Réponse complète à l’IRM relue après la séance',
			quorumReached: true
		});
		expect(second!.attendeesSnapshot).toEqual(first!.attendeesSnapshot);
		expect(await rowsOf(v2.decisionId)).toHaveLength(3);
		expect(await rowsOf(v1.decisionId)).toHaveLength(3);
		const events = await db.select().from(caseEvents).where(eq(caseEvents.caseId, c));
		expect(events.some((e) => e.kind === 'amended' && e.note?.startsWith('Version 2'))).toBe(true);
		// The replaced version is no longer amendable; the new one is.
		expect(
			await amendDecision(c, proposal({ text: 'x' }), 'Motif suffisamment long', world.chair)
		).toMatchObject({
			ok: true,
			version: 3
		});
	});

	it('refuses to amend a draft or a provisional opinion', async () => {
		const m = await world.newMeeting();
		const c = await world.newCase(m);
		await saveDecisionDraft(c, m, proposal(), world.chair);
		expect(
			await amendDecision(c, proposal({ text: 'autre' }), 'Motif suffisamment long', world.chair)
		).toMatchObject({
			ok: false,
			code: 'conflict'
		});
	});
});
