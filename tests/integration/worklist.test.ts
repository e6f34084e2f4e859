import { describe, expect, it } from 'vitest';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { parseWorklistQuery } from '$lib/domain/worklist-query';
import { getCase, listMeetingCases } from '$lib/server/cases';
import { seedDemoNetwork } from '$lib/server/demo/network';
import { auditEvents, cases, meetings, pathways, users } from '$lib/server/db/schema';
import { toActor, toSessionUser } from '$lib/server/users';
import { queryWorklist } from '$lib/server/worklist';
import {
	bulkDeferCases,
	bulkRefuseCases,
	bulkScheduleCases,
	saveWorklistPlan
} from '$lib/server/worklist-bulk';
import { bulkRefuseSchema, parsePlanForm } from '$lib/validation/worklist';
import { migratedDb, queryOne } from '../support/db';

const db = await migratedDb();
await seedDemoNetwork();

const byKey = async (key: string) =>
	(await queryOne(
		db
			.select()
			.from(users)
			.where(eq(users.email, `${key}@demo.pluri.fr`))
	))!;
const digestive = (await queryOne(
	db.select().from(pathways).where(eq(pathways.code, 'onco-digestive'))
))!;
const coordinator = await byKey('coordination');
const member = await byKey('j.moreau');
const actorOf = async (u: typeof coordinator) => toActor(await toSessionUser(u));
const auditOf = (u: { id: string }) => ({
	actorType: 'user' as const,
	actorId: u.id,
	ip: '127.0.0.1'
});
const upcoming = await db
	.select()
	.from(meetings)
	.where(
		and(
			eq(meetings.pathwayId, digestive.id),
			eq(meetings.status, 'scheduled'),
			gt(meetings.startsAt, new Date())
		)
	)
	.orderBy(asc(meetings.startsAt));
const target = upcoming[2]!;
const submitted = async () =>
	await db
		.select()
		.from(cases)
		.where(and(eq(cases.pathwayId, digestive.id), eq(cases.status, 'submitted')));
const refused = (await queryOne(
	db
		.select()
		.from(cases)
		.where(and(eq(cases.pathwayId, digestive.id), eq(cases.status, 'refused')))
))!;

describe('the worklist table', () => {
	it('filters by completeness and requester and sorts by a column', async () => {
		const q = parseWorklistQuery(new URLSearchParams('status=open&sort=patient'));
		const all = await queryWorklist(digestive.id, q, auditOf(coordinator));
		expect(all.length).toBeGreaterThan(15);
		const labels = all.map((l) => l.patientLabel);
		expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, 'fr')));
		const incomplete = await queryWorklist(
			digestive.id,
			{ ...q, completeness: 'incomplete' },
			auditOf(coordinator)
		);
		expect(incomplete.length).toBeGreaterThan(0);
		expect(incomplete.every((l) => l.readiness && !l.readiness.ready)).toBe(true);
		// Per-case points no longer include the meeting's replies.
		expect(
			all.every((l) => !l.readiness || l.readiness.issues.every((i) => i.code !== 'specialty'))
		).toBe(true);
		const mine = await queryWorklist(
			digestive.id,
			{ ...q, requesterId: member.id },
			auditOf(coordinator)
		);
		expect(mine.length).toBeGreaterThan(0);
		expect(mine.every((l) => l.requesterId === member.id)).toBe(true);
	});
});

describe('bulk actions', () => {
	it('refuses every case to a non-coordinator, audits each refusal and changes nothing', async () => {
		const ids = (await submitted()).map((c) => c.id);
		const result = await bulkScheduleCases(
			await actorOf(member),
			digestive.id,
			{ caseIds: ids, meetingId: target.id, late: false, overrideReason: null },
			auditOf(member)
		);
		expect('outcomes' in result && result.outcomes.every((o) => !o.ok)).toBe(true);
		if ('outcomes' in result)
			expect(result.outcomes[0]!.message).toBe('Vous n’avez pas accès à ce dossier.');
		expect((await submitted()).map((c) => c.id)).toEqual(ids);
		const denied = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.actorId, member.id)));
		expect(denied.map((d) => d.objectId).sort()).toEqual([...ids].sort());
	});

	it('a wrong meeting refuses the whole action before any case', async () => {
		const ids = (await submitted()).map((c) => c.id);
		const other = await db.select().from(meetings).where(gt(meetings.startsAt, new Date()));
		const foreign = other.find((m) => m.pathwayId !== digestive.id)!;
		const result = await bulkScheduleCases(
			await actorOf(coordinator),
			digestive.id,
			{ caseIds: ids, meetingId: foreign.id, late: false, overrideReason: null },
			auditOf(coordinator)
		);
		expect(result).toEqual({
			ok: false,
			errors: { meetingId: 'Choisissez une séance de la filière.' }
		});
		expect(await submitted()).toHaveLength(ids.length);
	});

	it('inscribes the checked cases in one action, reporting the one that could not be', async () => {
		const ids = (await submitted()).map((c) => c.id);
		const before = (await listMeetingCases(target.id)).length;
		const result = await bulkScheduleCases(
			await actorOf(coordinator),
			digestive.id,
			{ caseIds: [...ids, refused.id], meetingId: target.id, late: false, overrideReason: null },
			auditOf(coordinator)
		);
		if (!('outcomes' in result)) throw new Error(JSON.stringify(result));
		expect(result.summary).toMatch(
			new RegExp(`^${ids.length} dossiers inscrits à la séance du .+\\. 1 dossier n’a pas pu`)
		);
		expect(result.outcomes.filter((o) => !o.ok)).toEqual([
			{
				caseId: refused.id,
				patientLabel: expect.any(String),
				ok: false,
				message: 'Ce dossier n’attend plus d’inscription.'
			}
		]);
		const agenda = await listMeetingCases(target.id);
		expect(agenda).toHaveLength(before + ids.length);
		expect(agenda.map((c) => c.agendaPosition)).toEqual(agenda.map((_, i) => i + 1));
		const scheduled = await db
			.select()
			.from(auditEvents)
			.where(and(eq(auditEvents.action, 'case.schedule'), inArray(auditEvents.objectId, ids)));
		expect(scheduled).toHaveLength(ids.length);
		expect((await getCase(refused.id))!.status).toBe('refused');
	});

	it('sets presenters and times of many lines at once, all or nothing', async () => {
		const agenda = (await listMeetingCases(target.id)).slice(0, 3);
		const doctor = await byKey('c.faure');
		const form = (presenter: string) => ({
			caseId: agenda.map((c) => c.id),
			...Object.fromEntries(agenda.map((c) => [`presenter-${c.id}`, presenter])),
			...Object.fromEntries(agenda.map((c, i) => [`minutes-${c.id}`, String(10 + i)]))
		});
		const bad = parsePlanForm({ ...form(doctor.id), [`minutes-${agenda[0]!.id}`]: '0' });
		expect(bad).toEqual({
			ok: false,
			errors: {
				[`minutes-${agenda[0]!.id}`]:
					'La durée estimée est un nombre entier de minutes entre 1 et 240.'
			}
		});
		// A presenter from another pathway is refused and nothing is written.
		const outsider = await byKey('a.lefevre');
		const refusedPlan = parsePlanForm(form(outsider.id));
		if (!refusedPlan.ok) throw new Error('parse');
		const r1 = await saveWorklistPlan(
			await actorOf(coordinator),
			digestive.id,
			refusedPlan.entries,
			auditOf(coordinator)
		);
		expect(r1.ok).toBe(false);
		expect(await Promise.all(agenda.map(async (c) => (await getCase(c.id))!.presenterId))).toEqual(
			agenda.map((c) => c.presenterId)
		);
		const good = parsePlanForm(form(doctor.id));
		if (!good.ok) throw new Error('parse');
		expect(
			await saveWorklistPlan(
				await actorOf(coordinator),
				digestive.id,
				good.entries,
				auditOf(coordinator)
			)
		).toEqual({ ok: true, changed: 3 });
		expect(await Promise.all(agenda.map(async (c) => (await getCase(c.id))!.presenterId))).toEqual([
			doctor.id,
			doctor.id,
			doctor.id
		]);
		expect(
			await Promise.all(agenda.map(async (c) => (await getCase(c.id))!.estimatedMinutes))
		).toEqual([10, 11, 12]);
		// The same plan again changes nothing; a member may not plan.
		expect(
			await saveWorklistPlan(
				await actorOf(coordinator),
				digestive.id,
				good.entries,
				auditOf(coordinator)
			)
		).toEqual({ ok: true, changed: 0 });
		expect(
			(await saveWorklistPlan(await actorOf(member), digestive.id, good.entries, auditOf(member)))
				.ok
		).toBe(false);
	});

	it('defers scheduled cases to the next meeting; a refusal needs its reason', async () => {
		const [first, second] = await listMeetingCases(target.id);
		const result = await bulkDeferCases(
			await actorOf(coordinator),
			digestive.id,
			[first!.id, second!.id, refused.id],
			auditOf(coordinator)
		);
		expect(result.outcomes.map((o) => o.ok)).toEqual([true, true, false]);
		expect(result.outcomes[2]!.message).toBe(
			'Seul un dossier inscrit à une séance peut être reporté.'
		);
		const next = upcoming[3]!;
		expect((await getCase(first!.id))!.meetingId).toBe(next.id);
		expect(bulkRefuseSchema.safeParse({ caseId: [first!.id], reason: '' }).success).toBe(false);
		const refusal = await bulkRefuseCases(
			await actorOf(coordinator),
			digestive.id,
			[first!.id],
			'Relève de la RCP de recours.',
			auditOf(coordinator)
		);
		// A scheduled case is not a request any more: refused per case, with the reason why.
		expect(refusal.outcomes[0]).toMatchObject({
			ok: false,
			message: 'Seule une demande soumise peut être refusée.'
		});
	});
});
