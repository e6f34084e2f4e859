import { describe, expect, it } from 'vitest';
import { getDefaultQuorumRule } from '$lib/domain/rcp-types';
import { loadPathwayActivity } from '$lib/server/activity';
import { seedDemoNetwork } from '$lib/server/db/seed';
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
import { migratedDb } from '../support/db';

const db = migratedDb();
const at = (d: number, h = 17): Date => new Date(Date.UTC(2026, 2, d, h));

describe('activity report loader', () => {
	it('reads presentations, decisions and deliveries of a pathway into the report', async () => {
		await seedDemoNetwork();
		const patient = db.select().from(patients).get()!;
		const requester = db
			.select()
			.from(users)
			.all()
			.find((u) => u.rpps !== null)!;
		const profile = {
			area: 'haematology' as const,
			rcpType: 'standard' as const,
			recoursCategory: null,
			organ: null,
			cellTherapyAuthorised: false
		};
		const pathwayId = crypto.randomUUID();
		db.insert(pathways)
			.values({
				id: pathwayId,
				code: 'hemato-test',
				name: 'RCP hématologie (test)',
				kind: 'oncology',
				...profile,
				clinicalForm: 'haematology',
				quorumRule: getDefaultQuorumRule(profile)
			})
			.run();
		const meeting = (d: number) => {
			const id = crypto.randomUUID();
			db.insert(meetings)
				.values({
					id,
					pathwayId,
					startsAt: at(d),
					endsAt: at(d, 18),
					deadlineAt: at(d - 2),
					place: 'Salle',
					status: 'closed'
				})
				.run();
			return id;
		};
		const m1 = meeting(3);
		const m2 = meeting(10);
		const newCase = (requested: number) => {
			const id = crypto.randomUUID();
			db.insert(cases)
				.values({
					id,
					patientId: patient.id,
					pathwayId,
					requesterId: requester.id,
					question: 'Conduite à tenir ?',
					summary: 'Résumé',
					status: 'decided',
					submittedAt: at(requested)
				})
				.run();
			return id;
		};
		const presented = (caseId: string, meetingId: string, d: number) =>
			db
				.insert(caseEvents)
				.values({ caseId, meetingId, kind: 'presented', at: at(d), toStatus: 'presented' })
				.run();
		const decide = (
			caseId: string,
			meetingId: string,
			version: number,
			status: 'validated' | 'provisional',
			d: number
		) => {
			const id = crypto.randomUUID();
			db.insert(decisions)
				.values({
					id,
					caseId,
					meetingId,
					version,
					status,
					quorumReached: status === 'validated',
					conformity: 'conform',
					validatedAt: at(d)
				})
				.run();
			return id;
		};
		// A: decided at its first meeting and delivered a day later.
		const a = newCase(1);
		presented(a, m1, 3);
		const da = decide(a, m1, 1, 'validated', 3);
		db.insert(outbox)
			.values({
				decisionId: da,
				channel: 'mail',
				recipient: 'x@y.fr',
				idempotencyKey: `${da}:mail`,
				status: 'delivered',
				nextAttemptAt: at(3),
				deliveredAt: at(4)
			})
			.run();
		// B: provisional (no quorum), presented again and decided a week later.
		const b = newCase(2);
		presented(b, m1, 3);
		presented(b, m1, 3); // shown twice at the same meeting: one presentation
		decide(b, m1, 1, 'provisional', 3);
		presented(b, m2, 10);
		decide(b, m2, 2, 'validated', 10);

		const report = loadPathwayActivity(pathwayId, at(1, 0), at(31, 0));
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
		expect(loadPathwayActivity(pathwayId, at(20), at(31)).total.casesPresented).toBe(0);
	});
});
