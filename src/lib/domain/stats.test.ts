import { describe, expect, it } from 'vitest';
import { computeIndicators, median, type DecisionFact } from './stats';

const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));

function decision(over: Partial<DecisionFact>): DecisionFact {
	return {
		caseId: 'c1',
		patientId: 'p1',
		status: 'validated',
		conformity: 'conform',
		quorumReached: true,
		trialProposed: false,
		proposalTypes: ['surgery'],
		requestedAt: day(0),
		validatedAt: day(10),
		...over
	};
}

describe('median', () => {
	it('handles empty, odd and even lists', () => {
		expect(median([])).toBeNull();
		expect(median([5, 1, 3])).toBe(3);
		expect(median([4, 1, 3, 2])).toBe(2.5);
	});
});

describe('computeIndicators', () => {
	it('counts meetings by status', () => {
		const r = computeIndicators(
			[
				{ status: 'closed' },
				{ status: 'closed' },
				{ status: 'cancelled' },
				{ status: 'scheduled' }
			],
			[]
		);
		expect(r).toMatchObject({ meetingsHeld: 2, meetingsCancelled: 1, casesDecided: 0 });
		expect(r.conformRate).toBeNull();
		expect(r.medianDaysToDecision).toBeNull();
	});

	it('keeps only the latest validated version of each case', () => {
		const r = computeIndicators(
			[],
			[
				decision({ caseId: 'c1', conformity: 'off_guideline', validatedAt: day(5) }),
				decision({ caseId: 'c1', conformity: 'conform', validatedAt: day(9) }),
				decision({
					caseId: 'c2',
					patientId: 'p1',
					conformity: 'off_guideline',
					proposalTypes: ['chemotherapy', 'surgery']
				})
			]
		);
		expect(r.casesDecided).toBe(2);
		expect(r.patients).toBe(1);
		expect(r.conformRate).toBe(50);
		expect(r.offGuideline).toBe(1);
		expect(r.proposalCounts).toEqual([
			{ code: 'surgery', count: 2 },
			{ code: 'chemotherapy', count: 1 }
		]);
	});

	it('counts provisional opinions apart and computes rates and median delay', () => {
		const r = computeIndicators(
			[],
			[
				decision({ caseId: 'a', requestedAt: day(0), validatedAt: day(4), trialProposed: true }),
				decision({ caseId: 'b', requestedAt: day(0), validatedAt: day(10), quorumReached: false }),
				decision({ caseId: 'c', requestedAt: day(0), validatedAt: day(21) }),
				decision({ caseId: 'd', status: 'provisional' })
			]
		);
		expect(r.casesDecided).toBe(3);
		expect(r.provisionalOpinions).toBe(1);
		expect(r.medianDaysToDecision).toBe(10);
		expect(r.quorumRate).toBe(66.7);
		expect(r.trialRate).toBe(33.3);
	});
});
