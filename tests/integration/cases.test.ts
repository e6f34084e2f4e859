import { readFileSync } from 'node:fs';
import { and, eq, gt } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { computeInsKey } from '$lib/domain/ins';
import { verifyAuditTrail } from '$lib/server/audit';
import {
	getCase,
	listMeetingCases,
	listMyRequests,
	loadCaseRef,
	saveCaseRequest,
	submitCase,
	withdrawCase
} from '$lib/server/cases';
import { seedDemoNetwork } from '$lib/server/demo/network';
import {
	auditEvents,
	caseEvents,
	cases,
	documents,
	mailMessages,
	meetings,
	memberships,
	pathways,
	patients,
	users
} from '$lib/server/db/schema';
import { uploadFilePath } from '$lib/server/documents';
import { assessCaseReadiness } from '$lib/server/readiness';
import {
	listPathwaySpecialties,
	listPresenterChoices,
	loadAgenda,
	moveAgendaCase,
	reorderAgenda,
	updateAgendaItem
} from '$lib/server/agenda';
import { toActor, toSessionUser } from '$lib/server/users';
import { searchPatients } from '$lib/server/patients';
import { countWorklist, listWorklist, refuseCase, scheduleCase } from '$lib/server/worklist';
import type { CaseRequestInput } from '$lib/validation/cases';
import { migratedDb, queryOne } from '../support/db';

const db = await migratedDb();
await seedDemoNetwork();

const byEmail = async (key: string) =>
	(await queryOne(
		db
			.select()
			.from(users)
			.where(eq(users.email, `${key}@demo.pluri.fr`))
	))!;
const digestive = (await queryOne(
	db.select().from(pathways).where(eq(pathways.code, 'onco-digestive'))
))!;
const moreau = await byEmail('j.moreau');
const coordinator = await byEmail('coordination');
const auditOf = (u: { id: string }) => ({
	actorType: 'user' as const,
	actorId: u.id,
	ip: '127.0.0.1'
});
const now = new Date();
const upcoming = (
	await db
		.select()
		.from(meetings)
		.where(
			and(
				eq(meetings.pathwayId, digestive.id),
				eq(meetings.status, 'scheduled'),
				gt(meetings.startsAt, now)
			)
		)
).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());

function ins(sex: 1 | 2, birth: string, order: string): string {
	const first13 = `${sex}${birth.slice(2, 4)}${birth.slice(5, 7)}71076${order}`;
	return first13 + computeInsKey(first13);
}

function request(over: Partial<CaseRequestInput> = {}): CaseRequestInput {
	return {
		intent: 'submit',
		patient: {
			kind: 'new',
			identity: {
				ins: ins(1, '1960-04-10', '901'),
				birthName: 'TESTARD',
				firstNames: ['Marc'],
				sex: 'M',
				birthDate: '1960-04-10',
				birthplaceCode: '71076',
				identityStatus: 'validated'
			}
		},
		confirmNewPatient: false,
		common: {
			question: 'Chirurgie d’emblée ?',
			summary: 'Adénocarcinome du sigmoïde.',
			referringName: null,
			referringRpps: null,
			referringEmail: null,
			gpName: null,
			gpRpps: null,
			gpEmail: null,
			meetingChoice: 'next'
		},
		data: { primarySite: 'C18.7', phase: 'initial' },
		...over
	};
}

describe('the demo agenda', () => {
	it('has a 15-case agenda on the next digestive meeting, each with its readiness', async () => {
		const agenda = await listMeetingCases(upcoming[0]!.id);
		expect(agenda).toHaveLength(15);
		expect(agenda.map((c) => c.agendaPosition)).toEqual(
			Array.from({ length: 15 }, (_, i) => i + 1)
		);
		const readiness = await assessCaseReadiness(agenda);
		const ready = agenda.filter((c) => readiness.get(c.id)!.ready);
		expect(ready.length).toBeGreaterThanOrEqual(8);
		expect(ready.length).toBeLessThan(15);
		const codes = new Set([...readiness.values()].flatMap((r) => r.issues.map((i) => i.code)));
		// Quorum and replies are the meeting's problems (issue #15), no longer counted per case.
		expect([...codes].sort()).toEqual(
			['identity', 'missing_document', 'missing_field', 'stale_document'].sort()
		);
	});

	it('stores real PDF documents under content-hash names in the upload folder', async () => {
		const rows = await db.select().from(documents);
		expect(rows.length).toBeGreaterThan(30);
		for (const d of rows.slice(0, 5)) {
			const path = uploadFilePath(d.storedPath)!;
			expect(path.startsWith(process.env.UPLOAD_DIR!)).toBe(true);
			expect(path.endsWith(d.sha256)).toBe(true);
			const bytes = readFileSync(path);
			expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
			expect(bytes.toString('latin1').trimEnd().endsWith('%%EOF')).toBe(true);
		}
	});

	it('keeps the audit chain valid', async () => {
		expect((await verifyAuditTrail()).ok).toBe(true);
	});
});

describe('case requests', () => {
	it('creates the patient and submits the request in one go', async () => {
		const result = await saveCaseRequest(
			{ caseId: null, pathwayId: digestive.id, requesterId: moreau.id, input: request() },
			auditOf(moreau)
		);
		expect(result).toMatchObject({ ok: true, submitted: true });
		if (!result.ok) return;
		const c = (await getCase(result.caseId))!;
		expect(c).toMatchObject({ status: 'submitted', wantsNextMeeting: true, meetingId: null });
		const history = await db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id));
		expect(history.map((e) => `${e.fromStatus ?? ''}>${e.toStatus}`)).toEqual([
			'>draft',
			'draft>submitted'
		]);
		const audit = await db.select().from(auditEvents).where(eq(auditEvents.objectId, c.id));
		expect(audit.map((a) => a.action)).toEqual(['case.create']);
		expect(audit[0]!.patientId).toBe(c.patientId);
	});

	it('warns on a patient with the same INS, without saving anything', async () => {
		const before = (await db.select().from(cases)).length;
		const result = await saveCaseRequest(
			{ caseId: null, pathwayId: digestive.id, requesterId: moreau.id, input: request() },
			auditOf(moreau)
		);
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.errors.ins).toMatch(
			/^Ce matricule INS est déjà enregistré pour TESTARD Marc, né le 10\/04\/1960/
		);
		expect(result.duplicates).toHaveLength(1);
		expect((await db.select().from(cases)).length).toBe(before);
	});

	it('warns on the same traits without INS, unless confirmed as another patient', async () => {
		const identity = {
			ins: null,
			birthName: 'Testard',
			firstNames: ['MARC', 'André'],
			sex: 'M' as const,
			birthDate: '1960-04-10',
			birthplaceCode: null,
			identityStatus: 'provisional' as const
		};
		const input = request({ patient: { kind: 'new', identity } });
		const warned = await saveCaseRequest(
			{ caseId: null, pathwayId: digestive.id, requesterId: moreau.id, input },
			auditOf(moreau)
		);
		expect(warned.ok).toBe(false);
		if (!warned.ok) {
			expect(Object.keys(warned.errors)).toEqual(['confirmNewPatient']);
			expect(warned.duplicates?.[0]?.label).toContain('TESTARD Marc');
		}
		const patientsBefore = (await db.select().from(patients)).length;
		const confirmed = await saveCaseRequest(
			{
				caseId: null,
				pathwayId: digestive.id,
				requesterId: moreau.id,
				input: { ...input, confirmNewPatient: true }
			},
			auditOf(moreau)
		);
		expect(confirmed.ok).toBe(true);
		expect((await db.select().from(patients)).length).toBe(patientsBefore + 1);
	});

	it('finds patients by INS or by exact name and birth date, and audits what it shows', async () => {
		const actor = toActor(await toSessionUser(moreau));
		const found = await searchPatients(
			{ ins: ins(1, '1960-04-10', '901'), name: null, birthDate: null },
			actor,
			auditOf(moreau)
		);
		expect(found.patients.map((p) => p.label)).toEqual(['TESTARD Marc, né le 10/04/1960']);
		expect(found.knownByIns).toBe(false);
		const byTraits = await searchPatients(
			{ ins: null, name: 'testard', birthDate: '1960-04-10' },
			actor,
			auditOf(moreau)
		);
		expect(byTraits.patients).toHaveLength(2);
		expect(
			(
				await searchPatients(
					{ ins: null, name: 'TEST', birthDate: '1960-04-10' },
					actor,
					auditOf(moreau)
				)
			).patients
		).toEqual([]);
		const searches = await db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.action, 'patient.search'));
		expect(searches).toHaveLength(3);
	});

	it('a draft is submitted from the case page once complete', async () => {
		const draft = await saveCaseRequest(
			{
				caseId: null,
				pathwayId: digestive.id,
				requesterId: moreau.id,
				input: request({
					intent: 'draft',
					patient: { kind: 'existing', id: (await queryOne(db.select().from(patients)))!.id },
					common: { ...request().common, summary: '', meetingChoice: null }
				})
			},
			auditOf(moreau)
		);
		expect(draft).toMatchObject({ ok: true, submitted: false });
		if (!draft.ok) return;
		const missing = await submitCase(draft.caseId, auditOf(moreau));
		expect(missing.ok).toBe(false);
		if (!missing.ok) expect(missing.message).toContain('Résumé clinique');
		await db
			.update(cases)
			.set({ summary: 'Complété.', wantsNextMeeting: true })
			.where(eq(cases.id, draft.caseId));
		expect(await submitCase(draft.caseId, auditOf(moreau))).toEqual({ ok: true });
		expect((await getCase(draft.caseId))!.status).toBe('submitted');
	});
});

describe('the coordinator’s worklist', () => {
	const mine = async () =>
		(await listMyRequests(moreau.id, auditOf(moreau))).find((r) =>
			r.patientLabel.startsWith('TESTARD Marc,')
		)!;

	it('lists submitted requests and schedules one before the deadline, at the end of the agenda', async () => {
		const counts = await countWorklist(digestive.id);
		expect(counts.submitted).toBeGreaterThanOrEqual(5);
		const mineId = (await mine()).id;
		const line = (await listWorklist(digestive.id, 'submitted', auditOf(coordinator))).find(
			(l) => l.id === mineId
		)!;
		expect(line.wantsNextMeeting).toBe(true);
		const target = upcoming[2]!;
		const before = (await listMeetingCases(target.id)).length;
		const result = await scheduleCase(
			{
				caseId: line.id,
				pathwayId: digestive.id,
				meetingId: target.id,
				late: false,
				overrideReason: null
			},
			'accept',
			auditOf(coordinator)
		);
		expect(result).toMatchObject({ ok: true, late: false });
		const c = (await getCase(line.id))!;
		expect(c).toMatchObject({
			status: 'scheduled',
			meetingId: target.id,
			agendaPosition: before + 1
		});
		const mail = await db
			.select()
			.from(mailMessages)
			.where(eq(mailMessages.kind, 'case_scheduled'));
		expect(mail.at(-1)!.to).toBe('j.moreau@demo.mssante.fr');
		// The mail names the patient discreetly.
		expect(mail.at(-1)!.text).toContain('M. M. T., né en 1960');
		expect(mail.at(-1)!.text).not.toContain('TESTARD');
	});

	it('after the deadline, moving needs an override and its reason', async () => {
		const c = await mine();
		const target = upcoming[1]!;
		const late = new Date(target.deadlineAt.getTime() + 60_000);
		const input = { caseId: c.id, pathwayId: digestive.id, meetingId: target.id };
		const refused = await scheduleCase(
			{ ...input, late: false, overrideReason: null },
			'move',
			auditOf(coordinator),
			late
		);
		expect(refused).toEqual({
			ok: false,
			errors: {
				meetingId:
					'La date limite d’inscription de cette séance est dépassée : cochez l’inscription hors délai et indiquez-en le motif.'
			}
		});
		const noReason = await scheduleCase(
			{ ...input, late: true, overrideReason: '' },
			'move',
			auditOf(coordinator),
			late
		);
		expect(noReason.ok).toBe(false);
		if (!noReason.ok) expect(Object.keys(noReason.errors)).toEqual(['overrideReason']);
		const moved = await scheduleCase(
			{ ...input, late: true, overrideReason: 'Urgence thérapeutique' },
			'move',
			auditOf(coordinator),
			late
		);
		expect(moved).toMatchObject({ ok: true, late: true });
		const row = (await getCase(c.id))!;
		expect(row.meetingId).toBe(target.id);
		expect(row.lateOverrideReason).toBe('Urgence thérapeutique');
		// The agenda it left is renumbered without a gap.
		const left = (await listMeetingCases(upcoming[2]!.id)).map((x) => x.agendaPosition);
		expect(left).toEqual(left.map((_, i) => i + 1));
		const last = (await db.select().from(caseEvents).where(eq(caseEvents.caseId, c.id))).at(-1)!;
		expect(last).toMatchObject({
			kind: 'moved',
			meetingId: target.id,
			note: 'Inscription hors délai : Urgence thérapeutique'
		});
	});

	it('refuses with a reason the requester reads', async () => {
		const waiting = (await listWorklist(digestive.id, 'submitted', auditOf(coordinator)))[0]!;
		const result = await refuseCase(
			waiting.id,
			digestive.id,
			'Relève de la RCP de recours.',
			auditOf(coordinator)
		);
		expect(result).toEqual({ ok: true });
		const c = (await getCase(waiting.id))!;
		expect(c).toMatchObject({ status: 'refused', refusalReason: 'Relève de la RCP de recours.' });
		const requester = (await queryOne(db.select().from(users).where(eq(users.id, c.requesterId))))!;
		const lines = (await listMyRequests(requester.id, auditOf(requester))).find(
			(r) => r.id === c.id
		)!;
		expect(lines.refusalReason).toBe('Relève de la RCP de recours.');
		expect(
			await refuseCase(waiting.id, digestive.id, 'encore', auditOf(coordinator))
		).toMatchObject({ ok: false });
	});

	it('the access facts of a case list the users invited to it', async () => {
		const gpCase = (await queryOne(
			db.select().from(cases).where(eq(cases.gpName, 'Dr Pierre Renaud'))
		))!;
		const ref = (await loadCaseRef(gpCase.id))!.ref;
		expect(ref.caseInviteeIds).toEqual([(await byEmail('p.renaud')).id]);
		expect(ref.meeting?.id).toBe(gpCase.meetingId);
		expect(await loadCaseRef('nope')).toBeNull();
	});

	it('a withdrawn case leaves the agenda, which closes the gap', async () => {
		const agenda = await listMeetingCases(upcoming[0]!.id);
		expect(await withdrawCase(agenda[3]!.id, 'Patient décédé', auditOf(coordinator))).toEqual({
			ok: true
		});
		const after = await listMeetingCases(upcoming[0]!.id);
		expect(after).toHaveLength(14);
		expect(after.map((c) => c.agendaPosition)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
		expect(await withdrawCase(agenda[3]!.id, null, auditOf(coordinator))).toMatchObject({
			ok: false
		});
	});
});

describe('agenda building', () => {
	const coordinatorActor = async () => toActor(await toSessionUser(coordinator));

	it('shows each case with its expected time, readiness and the GP’s slot, and audits each read', async () => {
		const meeting = upcoming[0]!;
		const before = (await db.select().from(auditEvents).where(eq(auditEvents.action, 'case.list')))
			.length;
		const view = await loadAgenda(meeting, await coordinatorActor(), auditOf(coordinator));
		expect(view.items.map((i) => i.position)).toEqual(view.items.map((_, i) => i + 1));
		expect(view.items[0]!.expectedAt).toEqual(meeting.startsAt);
		expect(view.items.every((i) => i.visible && i.readiness !== null)).toBe(true);
		expect(view.totalMinutes).toBe(view.items.reduce((s, i) => s + i.minutes, 0));
		const gp = view.items.find((i) => i.guests.length)!;
		expect(gp.guests[0]).toMatchObject({
			name: 'Dr Pierre Renaud',
			reply: 'accepted',
			expectedAt: gp.expectedAt
		});
		const needing = view.items.find((i) => i.needed.length)!;
		expect(needing.needed[0]).toMatchObject({ code: 'gastroenterology', confirmed: [] });
		expect(view.summary.total).toBe(view.items.length);
		const after = (await db.select().from(auditEvents).where(eq(auditEvents.action, 'case.list')))
			.length;
		expect(after - before).toBe(view.items.length);
	});

	it('hides the identity of cases the viewer may not see, but keeps their place', async () => {
		// A member of the pathway who is not invited to this meeting sees only their own case.
		const newcomer = crypto.randomUUID();
		await db.insert(users).values({
			id: newcomer,
			email: 'nouveau@example.fr',
			firstName: 'Noé',
			lastName: 'Nouveau',
			sector: 'establishment',
			specialty: 'radiology',
			rpps: '10099009999'
		});
		await db
			.insert(memberships)
			.values({ userId: newcomer, pathwayId: digestive.id, role: 'member' });
		const mine = (await listMeetingCases(upcoming[0]!.id))[0]!;
		await db.update(cases).set({ presenterId: newcomer }).where(eq(cases.id, mine.id));
		const member = toActor(
			await toSessionUser((await queryOne(db.select().from(users).where(eq(users.id, newcomer))))!)
		);
		const view = await loadAgenda(upcoming[0]!, member, auditOf(moreau));
		const own = view.items.filter((i) => i.visible);
		expect(own.map((i) => i.id)).toEqual([mine.id]);
		const hidden = view.items.filter((i) => !i.visible);
		expect(hidden.length).toBeGreaterThan(0);
		expect(
			hidden.every((i) => i.patientLabel === null && i.readiness === null && i.question === null)
		).toBe(true);
	});

	it('moves one step, refuses past the ends, and takes a whole new order only if current', async () => {
		const meeting = upcoming[0]!;
		const ids = async () => (await listMeetingCases(meeting.id)).map((c) => c.id);
		const start = await ids();
		expect(await moveAgendaCase(meeting, start[2]!, 'up', auditOf(coordinator))).toEqual({
			ok: true,
			position: 2,
			total: start.length
		});
		expect((await ids()).slice(0, 3)).toEqual([start[0], start[2], start[1]]);
		expect(await moveAgendaCase(meeting, start[0]!, 'up', auditOf(coordinator))).toEqual({
			ok: false,
			message: 'Ce dossier est déjà le premier.'
		});
		const reversed = [...(await ids())].reverse();
		expect(await reorderAgenda(meeting, reversed, auditOf(coordinator))).toMatchObject({
			ok: true
		});
		expect(await ids()).toEqual(reversed);
		expect(await reorderAgenda(meeting, reversed.slice(1), auditOf(coordinator))).toMatchObject({
			ok: false
		});
		expect((await listMeetingCases(meeting.id)).map((c) => c.agendaPosition)).toEqual(
			reversed.map((_, i) => i + 1)
		);
	});

	it('records minutes, presenter and needed specialties, with a presenter from the pathway only', async () => {
		const meeting = upcoming[0]!;
		const c = (await listMeetingCases(meeting.id))[0]!;
		const choices = (await listPresenterChoices(meeting.pathwayId, [c.requesterId])).map(
			(o) => o.value
		);
		expect(choices).toContain(moreau.id);
		expect(choices).not.toContain((await byEmail('a.lefevre')).id);
		expect(
			await updateAgendaItem(
				meeting,
				{
					caseId: c.id,
					minutes: 12,
					presenterId: (await byEmail('a.lefevre')).id,
					neededSpecialties: []
				},
				choices,
				auditOf(coordinator)
			)
		).toMatchObject({ ok: false });
		expect(
			await updateAgendaItem(
				meeting,
				{
					caseId: c.id,
					minutes: 12,
					presenterId: moreau.id,
					neededSpecialties: ['radiology', 'radiology']
				},
				choices,
				auditOf(coordinator)
			)
		).toEqual({ ok: true });
		expect(await getCase(c.id)).toMatchObject({
			estimatedMinutes: 12,
			presenterId: moreau.id,
			neededSpecialties: ['radiology']
		});
		expect((await listPathwaySpecialties(meeting.pathwayId)).map((s) => s.code)).toEqual(
			expect.arrayContaining([
				'visceral_surgery',
				'medical_oncology',
				'radiation_oncology',
				'pathology',
				'radiology',
				'gastroenterology'
			])
		);
	});
});
