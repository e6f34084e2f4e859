import { describe, expect, it } from 'vitest';
import {
	computeActivity,
	computeActivityTotal,
	monthAfter,
	percentile,
	readMonthRange,
	type CaseActivityFact
} from './activity';

const day = (d: number, h = 17): Date => new Date(Date.UTC(2026, 0, d, h));
const fact = (caseId: string, f: Partial<CaseActivityFact>): CaseActivityFact => ({
	caseId,
	month: '2026-01',
	requestedAt: null,
	presentations: [],
	validatedAt: null,
	conformity: null,
	trialProposed: null,
	deliveredAt: null,
	gpAttended: null,
	...f
});

// Four cases presented in January: A decided at once; B provisional (no quorum) then decided;
// C presented without a proposal then decided; D decided at once, off guideline, with a trial.
const facts: CaseActivityFact[] = [
	fact('A', {
		requestedAt: day(1),
		presentations: [{ at: day(6), outcome: 'validated', quorumReached: true }],
		validatedAt: day(6),
		conformity: 'conform',
		trialProposed: false,
		deliveredAt: day(7),
		gpAttended: true
	}),
	fact('B', {
		requestedAt: day(2),
		presentations: [
			{ at: day(6), outcome: 'provisional', quorumReached: false },
			{ at: day(13), outcome: 'validated', quorumReached: true }
		],
		validatedAt: day(13),
		conformity: 'conform',
		trialProposed: false,
		deliveredAt: day(13, 18),
		gpAttended: false
	}),
	fact('C', {
		requestedAt: day(3),
		presentations: [
			{ at: day(6), outcome: 'none', quorumReached: null },
			{ at: day(20), outcome: 'validated', quorumReached: true }
		],
		validatedAt: day(20),
		conformity: 'conform',
		trialProposed: false,
		deliveredAt: null
	}),
	fact('D', {
		requestedAt: day(4),
		presentations: [{ at: day(13), outcome: 'validated', quorumReached: true }],
		validatedAt: day(13),
		conformity: 'off_guideline',
		trialProposed: true,
		deliveredAt: day(14)
	}),
	// Requested, never presented: not in the report.
	fact('E', { requestedAt: day(5) }),
	fact('F', {
		month: '2026-02',
		requestedAt: day(30),
		presentations: [{ at: day(34), outcome: 'provisional', quorumReached: false }]
	})
];

describe('computeActivity', () => {
	it('computes each indicator on fixed data, by month of first presentation', () => {
		const [jan, feb] = computeActivity(facts);
		expect(jan).toEqual({
			month: '2026-01',
			casesPresented: 4,
			firstPresentationWithProposal: 3,
			quorumAtFirstPresentation: 2,
			quorumAtFirstPresentationRate: 66.7,
			representedForQuorum: 1,
			representedOtherReason: 1,
			conformRate: 75,
			trialRate: 25,
			// A GP attended one of the four decisions.
			gpParticipationRate: 25,
			// 5, 4, 3 and 9 days.
			requestToPresentation: { count: 4, medianDays: 4.5, p90Days: 9 },
			// 0, 7, 14 and 0 days.
			presentationToValidation: { count: 4, medianDays: 3.5, p90Days: 14 },
			// 1 day, 1 hour and 1 day; C was not delivered.
			validationToDelivery: { count: 3, medianDays: 1, p90Days: 1 }
		});
		expect(feb).toMatchObject({
			month: '2026-02',
			casesPresented: 1,
			quorumAtFirstPresentationRate: 0,
			trialRate: null,
			presentationToValidation: { count: 0, medianDays: null, p90Days: null }
		});
	});

	it('totals the period', () => {
		expect(computeActivityTotal(facts)).toMatchObject({
			month: 'total',
			casesPresented: 5,
			firstPresentationWithProposal: 4,
			quorumAtFirstPresentationRate: 50
		});
	});
});

describe('percentile', () => {
	it('takes the nearest rank, and the middle for the median', () => {
		expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
		expect(percentile([3, 1, 2], 50)).toBe(2);
		expect(percentile([], 90)).toBeNull();
	});
});

describe('readMonthRange', () => {
	it('defaults to the calendar year and keeps a valid period', () => {
		expect(readMonthRange(null, null, 2026)).toEqual({ from: '2026-01', to: '2026-12' });
		expect(readMonthRange('2025-10', '2026-03', 2026)).toEqual({ from: '2025-10', to: '2026-03' });
	});

	it('swaps reversed bounds, ignores malformed ones and caps the span at ten years', () => {
		expect(readMonthRange('2026-03', '2025-10', 2026)).toEqual({ from: '2025-10', to: '2026-03' });
		expect(readMonthRange('2026-13', 'x', 2024)).toEqual({ from: '2024-01', to: '2024-12' });
		expect(readMonthRange('2000-01', '2030-12', 2026)).toEqual({ from: '2000-01', to: '2009-12' });
		expect(monthAfter('2026-12')).toBe('2027-01-01');
	});
});
