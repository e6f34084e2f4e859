import { describe, expect, it } from 'vitest';
import { getDefaultQuorumRule } from '$lib/domain/rcp-types';
import { loadPathwayActivity } from '$lib/server/activity';
import { seedDemoNetwork } from '$lib/server/demo/network';
import {
	caseEvents,
	cases,
	decisions,
	meetings,
	outbox,
	pathways,
	patients,
	users
} from '$lib/server/db/schema';
import { migratedDb, queryOne } from '../support/db';

const db = await migratedDb();
const at = (d: number, h = 17): Date => new Date(Date.UTC(2026, 2, d, h));

describe('activity report loader', () => {
	it('reads presentations, decisions and deliveries of a pathway into the report', async () => {
		await seedDemoNetwork();
		const patient = (await queryOne(db.select().from(patients)))!;
		const requester = (await db.select().from(users)).find((u) => u.rpps !== null)!;
		const profile = {
			area: 'haematology' as const,
			rcpType: 'standard' as const,
			recoursCategory: null,
			organ: null,
			cellTherapyAuthorised: false
		};
		const pathwayId = crypto.randomUUID();
		await db.insert(pathways).values({
			id: pathwayId,
			code: 'hemato-test',
			name: 'RCP hématologie (test)',
			kind: 'oncology',
			...profile,
			clinicalForm: 'haematology',
			quorumRule: getDefaultQuorumRule(profile)
		});
		const meeting = async (d: number) => {
			const id = crypto.randomUUID();
			await db.insert(meetings).values({
				id,
				pathwayId,
				startsAt: at(d),
				endsAt: at(d, 18),
				deadlineAt: at(d - 2),
				place: 'Salle',
				status: 'closed'
			});
			return id;
		};
		const m1 = await meeting(3);
		const m2 = await meeting(10);
		const newCase = async (requested: number) => {
			const id = crypto.randomUUID();
			await db.insert(cases).values({
				id,
				patientId: patient.id,
				pathwayId,
				requesterId: requester.id,
				question: 'Conduite à tenir ?',
				summary: 'Résumé',
				status: 'decided',
				submittedAt: at(requested)
			});
			return id;
		};
		const presented = async (caseId: string, meetingId: string, d: number) =>
			await db
				.insert(caseEvents)
				.values({ caseId, meetingId, kind: 'presented', at: at(d), toStatus: 'presented' });
		const decide = async (
			caseId: string,
			meetingId: string,
			version: number,
			status: 'validated' | 'provisional',
			d: number
		) => {
			const id = crypto.randomUUID();
			await db.insert(decisions).values({
				id,
				caseId,
				meetingId,
				version,
				status,
				quorumReached: status === 'validated',
				conformity: 'conform',
				validatedAt: at(d)
			});
			return id;
		};
		// A: decided at its first meeting and delivered a day later.
		const a = await newCase(1);
		await presented(a, m1, 3);
		const da = await decide(a, m1, 1, 'validated', 3);
		await db.insert(outbox).values({
			decisionId: da,
			channel: 'mail',
			recipient: 'x@y.fr',
			idempotencyKey: `${da}:mail`,
			status: 'delivered',
			nextAttemptAt: at(3),
			deliveredAt: at(4)
		});
		// B: provisional (no quorum), presented again and decided a week later.
		const b = await newCase(2);
		await presented(b, m1, 3);
		await presented(b, m1, 3); // shown twice at the same meeting: one presentation
		await decide(b, m1, 1, 'provisional', 3);
		await presented(b, m2, 10);
		await decide(b, m2, 2, 'validated', 10);

		const report = await loadPathwayActivity(pathwayId, at(1, 0), at(31, 0));
		expect(report.months).toHaveLength(1);
		expect(report.total).toMatchObject({
			casesPresented: 2,
			firstPresentationWithProposal: 2,
			quorumAtFirstPresentation: 1,
			quorumAtFirstPresentationRate: 50,
			representedForQuorum: 1,
			representedOtherReason: 0,
			conformRate: 100,
			gpParticipationRate: 0,
			requestToPresentation: { count: 2, medianDays: 1.5, p90Days: 2 },
			presentationToValidation: { count: 2, medianDays: 3.5, p90Days: 7 },
			validationToDelivery: { count: 1, medianDays: 1, p90Days: 1 }
		});
		expect(report.months[0]?.month).toBe('2026-03');
		// Outside the range: nothing.
		expect((await loadPathwayActivity(pathwayId, at(20), at(31))).total.casesPresented).toBe(0);
	});
});
