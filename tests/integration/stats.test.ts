import { describe, expect, it } from 'vitest';
import { seedDemoNetwork } from '$lib/server/demo/network';
import { cases, decisions, meetings, pathways, patients, users } from '$lib/server/db/schema';
import { loadPathwayIndicators } from '$lib/server/stats';
import { migratedDb, queryOne } from '../support/db';

const db = await migratedDb();

describe('pathway indicators from the database', () => {
	it('counts the year’s validated decisions of the pathway only', async () => {
		await seedDemoNetwork();
		const [digestive, thoracic] = await Promise.all(
			['onco-digestive', 'onco-thoracic'].map(async (code) =>
				(await db.select().from(pathways)).find((p) => p.code === code)!
			)
		);
		const patient = (await queryOne(db.select().from(patients)))!;
		const requester = (await db.select().from(users)).find((u) => u.rpps)!;
		const from = new Date('2030-01-01T00:00:00Z');
		const to = new Date('2031-01-01T00:00:00Z');
		const meetingId = crypto.randomUUID();
		await db.insert(meetings).values({
			id: meetingId,
			pathwayId: digestive!.id,
			startsAt: new Date('2030-03-03T16:30:00Z'),
			endsAt: new Date('2030-03-03T18:00:00Z'),
			deadlineAt: new Date('2030-03-01T16:30:00Z'),
			status: 'closed',
			place: 'Salle 1'
		});
		async function addCase(
			pathwayId: string,
			status: 'validated' | 'superseded' | 'provisional',
			validatedAt: Date,
			version = 1,
			caseId: string = crypto.randomUUID()
		): Promise<string> {
			if (version === 1)
				await db.insert(cases).values({
					id: caseId,
					patientId: patient.id,
					pathwayId,
					requesterId: requester.id,
					question: 'Q',
					summary: 'S',
					status: 'decided',
					submittedAt: new Date('2030-02-20T10:00:00Z')
				});
			await db.insert(decisions).values({
				caseId,
				version,
				status,
				proposalTypes: ['surgery'],
				conformity: 'conform',
				quorumReached: true,
				validatedAt,
				meetingId
			});
			return caseId;
		}
		const amended = await addCase(digestive!.id, 'superseded', new Date('2030-03-03T17:00:00Z'));
		await addCase(digestive!.id, 'validated', new Date('2030-03-05T17:00:00Z'), 2, amended);
		await addCase(digestive!.id, 'validated', new Date('2030-03-03T17:10:00Z'));
		await addCase(digestive!.id, 'provisional', new Date('2030-03-03T17:20:00Z'));
		await addCase(digestive!.id, 'validated', new Date('2031-01-02T10:00:00Z')); // next year
		await addCase(thoracic!.id, 'validated', new Date('2030-03-03T17:00:00Z')); // other pathway

		const i = await loadPathwayIndicators(digestive!.id, from, to);
		expect(i.meetingsHeld).toBe(1);
		expect(i.casesDecided).toBe(2);
		expect(i.provisionalOpinions).toBe(1);
		expect(i.patients).toBe(1);
		expect(i.conformRate).toBe(100);
		expect(i.proposalCounts).toEqual([{ code: 'surgery', count: 2 }]);
		expect(i.medianDaysToDecision).toBeGreaterThan(10);
	});
});
