import { describe, it, expect } from 'vitest';
import { assessAdvancedHeartFailure, type HeartFailureData } from './advanced-hf';

// A patient meeting each criterion through one element only.
const advancedPatient: HeartFailureData = {
	nyha: 3,
	nyhaPersistent: true,
	lvef: 25,
	isolatedRvFailure: false,
	nonOperableSevereValve: false,
	highNtProBnpWithDiastolicDysfunction: false,
	unplannedVisits12m: 2,
	inabilityToExercise: false,
	sixMinuteWalkM: 250,
	peakVo2: null
};

const noCriterion: HeartFailureData = {
	nyha: null,
	nyhaPersistent: false,
	lvef: null,
	isolatedRvFailure: false,
	nonOperableSevereValve: false,
	highNtProBnpWithDiastolicDysfunction: false,
	unplannedVisits12m: null,
	inabilityToExercise: false,
	sixMinuteWalkM: null,
	peakVo2: null
};

function metFlags(d: HeartFailureData): boolean[] {
	return assessAdvancedHeartFailure(d).criteria.map((c) => c.met);
}

describe('assessAdvancedHeartFailure', () => {
	it('flags a patient meeting all four criteria', () => {
		const r = assessAdvancedHeartFailure(advancedPatient);
		expect(r.advanced).toBe(true);
		expect(r.criteria).toHaveLength(4);
		expect(r.criteria.every((c) => c.met)).toBe(true);
	});

	it('returns four French labels even when nothing is known', () => {
		const r = assessAdvancedHeartFailure(noCriterion);
		expect(r.advanced).toBe(false);
		expect(r.criteria.map((c) => c.met)).toEqual([false, false, false, false]);
		expect(r.criteria[0]?.label).toMatch(/NYHA III–IV/);
		expect(r.criteria[1]?.label).toMatch(/FEVG ≤ 30 %/);
		expect(r.criteria[3]?.label).toMatch(/300 m/);
	});

	it('does not flag when only three criteria hold', () => {
		expect(assessAdvancedHeartFailure({ ...advancedPatient, unplannedVisits12m: 1 }).advanced).toBe(
			false
		);
	});

	describe('criterion 1: NYHA III–IV, persistent', () => {
		it.each([
			[1, true, false],
			[2, true, false],
			[3, true, true],
			[4, true, true],
			[4, false, false],
			[null, true, false]
		] as const)('NYHA %s persistent %s → %s', (nyha, nyhaPersistent, met) => {
			expect(metFlags({ ...noCriterion, nyha, nyhaPersistent })[0]).toBe(met);
		});
	});

	describe('criterion 2: severe cardiac dysfunction', () => {
		it('holds at LVEF 30 % and not at 31 %', () => {
			expect(metFlags({ ...noCriterion, lvef: 30 })[1]).toBe(true);
			expect(metFlags({ ...noCriterion, lvef: 31 })[1]).toBe(false);
		});

		it('holds with any of the other three findings', () => {
			expect(metFlags({ ...noCriterion, lvef: 55, isolatedRvFailure: true })[1]).toBe(true);
			expect(metFlags({ ...noCriterion, nonOperableSevereValve: true })[1]).toBe(true);
			expect(metFlags({ ...noCriterion, highNtProBnpWithDiastolicDysfunction: true })[1]).toBe(
				true
			);
		});
	});

	describe('criterion 3: more than one unplanned visit in 12 months', () => {
		it.each([
			[0, false],
			[1, false],
			[2, true],
			[null, false]
		] as const)('%s visits → %s', (unplannedVisits12m, met) => {
			expect(metFlags({ ...noCriterion, unplannedVisits12m })[2]).toBe(met);
		});
	});

	describe('criterion 4: severely reduced exercise capacity', () => {
		it('holds when exercise is impossible', () => {
			expect(metFlags({ ...noCriterion, inabilityToExercise: true })[3]).toBe(true);
		});

		it('uses a strict 300 m threshold for the 6-minute walk', () => {
			expect(metFlags({ ...noCriterion, sixMinuteWalkM: 299 })[3]).toBe(true);
			expect(metFlags({ ...noCriterion, sixMinuteWalkM: 300 })[3]).toBe(false);
		});

		it('uses a strict 14 ml/kg/min threshold for peak VO₂', () => {
			expect(metFlags({ ...noCriterion, peakVo2: 13.9 })[3]).toBe(true);
			expect(metFlags({ ...noCriterion, peakVo2: 14 })[3]).toBe(false);
		});

		it('holds when one measure is low and the other is not', () => {
			expect(metFlags({ ...noCriterion, sixMinuteWalkM: 450, peakVo2: 11 })[3]).toBe(true);
		});
	});
});
