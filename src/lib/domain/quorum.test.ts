import { describe, it, expect } from 'vitest';
import {
	computeGraceUntil,
	describeQuorum,
	evaluateQuorum,
	isStayCounted,
	selectCountedStays,
	validateQuorumRule,
	type QuorumAttendee,
	type QuorumRule
} from './quorum';

const digestiveRule: QuorumRule = {
	requiredSpecialties: ['visceral_surgery', 'medical_oncology', 'radiation_oncology'],
	minDistinctSpecialties: 3,
	countedSpecialties: null
};

const heartFailureRule: QuorumRule = {
	requiredSpecialties: ['hf_cardiology'],
	minDistinctSpecialties: 3,
	countedSpecialties: [
		'cardiology',
		'hf_cardiology',
		'cardiac_surgery',
		'electrophysiology',
		'interventional_cardiology',
		'cardiac_rehabilitation',
		'geriatrics',
		'nephrology',
		'palliative_care'
	]
};

function doctor(personId: string, specialty: string | null): QuorumAttendee {
	return { personId, specialty, isGp: false };
}

describe('evaluateQuorum — oncology', () => {
	it('is reached with surgeon, medical oncologist and radiation oncologist', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[
				doctor('a', 'radiation_oncology'),
				doctor('b', 'visceral_surgery'),
				doctor('c', 'medical_oncology')
			],
			[]
		);
		expect(r.reached).toBe(true);
		expect(r.distinctCount).toBe(3);
		expect(r.missingRequired).toEqual([]);
		expect(r.missingCount).toBe(0);
		expect(r.minDistinct).toBe(3);
		// Catalog order, whatever the input order.
		expect(r.presentSpecialties).toEqual([
			'medical_oncology',
			'radiation_oncology',
			'visceral_surgery'
		]);
	});

	it('is not reached when a required specialty is missing, even with many others', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[
				doctor('a', 'visceral_surgery'),
				doctor('b', 'medical_oncology'),
				doctor('c', 'radiology'),
				doctor('d', 'pathology'),
				doctor('e', 'gastroenterology')
			],
			[]
		);
		expect(r.reached).toBe(false);
		expect(r.distinctCount).toBe(5);
		expect(r.missingRequired).toEqual(['radiation_oncology']);
		expect(r.missingCount).toBe(1);
	});

	it('counts one doctor for one specialty only, even if listed twice', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[
				doctor('a', 'visceral_surgery'),
				doctor('b', 'medical_oncology'),
				doctor('b', 'radiation_oncology')
			],
			[]
		);
		expect(r.reached).toBe(false);
		expect(r.distinctCount).toBe(2);
		expect(r.presentSpecialties).toEqual(['medical_oncology', 'visceral_surgery']);
		expect(r.missingRequired).toEqual(['radiation_oncology']);
	});

	it('does not count the same doctor checked in twice with the same specialty twice', () => {
		const r = evaluateQuorum(
			{ requiredSpecialties: [], minDistinctSpecialties: 2, countedSpecialties: null },
			[doctor('a', 'radiology'), doctor('a', 'radiology')],
			[]
		);
		expect(r.distinctCount).toBe(1);
		expect(r.reached).toBe(false);
	});

	it('uses the specialty of a double-listed doctor that is not yet covered', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[
				doctor('a', 'medical_oncology'),
				doctor('b', 'medical_oncology'),
				doctor('b', 'radiation_oncology'),
				doctor('c', 'visceral_surgery')
			],
			[]
		);
		expect(r.reached).toBe(true);
		expect(r.distinctCount).toBe(3);
	});

	it('counts several doctors of the same specialty once', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[
				doctor('a', 'visceral_surgery'),
				doctor('b', 'visceral_surgery'),
				doctor('c', 'medical_oncology')
			],
			[]
		);
		expect(r.distinctCount).toBe(2);
		expect(r.missingCount).toBe(1);
	});

	it('never counts GPs, whether flagged or by specialty', () => {
		const r = evaluateQuorum(
			{ requiredSpecialties: [], minDistinctSpecialties: 1, countedSpecialties: null },
			[
				{ personId: 'gp1', specialty: 'general_practice', isGp: false },
				{ personId: 'gp2', specialty: 'cardiology', isGp: true }
			],
			[]
		);
		expect(r.distinctCount).toBe(0);
		expect(r.presentSpecialties).toEqual([]);
		expect(r.reached).toBe(false);
	});

	it('ignores attendees without a specialty', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[doctor('a', null), doctor('b', 'medical_oncology')],
			[]
		);
		expect(r.distinctCount).toBe(1);
		expect(r.missingCount).toBe(2);
	});

	it('lets a written opinion cover a missing required specialty', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[doctor('a', 'visceral_surgery'), doctor('b', 'medical_oncology')],
			[{ authorId: 'x', specialty: 'radiation_oncology' }]
		);
		expect(r.reached).toBe(true);
		expect(r.coveredByOpinion).toEqual(['radiation_oncology']);
		expect(r.presentSpecialties).toEqual(['medical_oncology', 'visceral_surgery']);
		expect(r.distinctCount).toBe(3);
	});

	it('lets a written opinion add to the distinct count', () => {
		const r = evaluateQuorum(
			{ requiredSpecialties: [], minDistinctSpecialties: 3, countedSpecialties: null },
			[doctor('a', 'radiology'), doctor('b', 'pathology')],
			[{ authorId: 'x', specialty: 'pulmonology' }]
		);
		expect(r.reached).toBe(true);
		expect(r.distinctCount).toBe(3);
	});

	it('does not double count an opinion for a specialty already present', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[doctor('a', 'visceral_surgery'), doctor('b', 'medical_oncology')],
			[{ authorId: 'x', specialty: 'medical_oncology' }]
		);
		expect(r.coveredByOpinion).toEqual([]);
		expect(r.distinctCount).toBe(2);
		expect(r.reached).toBe(false);
	});

	it('counts a present author once only, through their presence', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[doctor('a', 'visceral_surgery'), doctor('b', 'medical_oncology')],
			[{ authorId: 'b', specialty: 'radiation_oncology' }]
		);
		expect(r.coveredByOpinion).toEqual([]);
		expect(r.distinctCount).toBe(2);
		expect(r.missingRequired).toEqual(['radiation_oncology']);
		expect(r.reached).toBe(false);
	});

	it('counts an absent author for one specialty only, even with two opinions', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[doctor('a', 'visceral_surgery')],
			[
				{ authorId: 'x', specialty: 'medical_oncology' },
				{ authorId: 'x', specialty: 'radiation_oncology' }
			]
		);
		expect(r.coveredByOpinion).toEqual(['medical_oncology']);
		expect(r.distinctCount).toBe(2);
		expect(r.reached).toBe(false);
	});

	it('counts two opinions of the same specialty once', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[doctor('a', 'visceral_surgery'), doctor('b', 'medical_oncology')],
			[
				{ authorId: 'x', specialty: 'pathology' },
				{ authorId: 'y', specialty: 'pathology' }
			]
		);
		expect(r.coveredByOpinion).toEqual(['pathology']);
		expect(r.distinctCount).toBe(3);
		expect(r.reached).toBe(false);
	});

	it('ignores a GP opinion', () => {
		const r = evaluateQuorum(
			{ requiredSpecialties: [], minDistinctSpecialties: 1, countedSpecialties: null },
			[],
			[{ authorId: 'gp', specialty: 'general_practice' }]
		);
		expect(r.distinctCount).toBe(0);
	});

	it('reports how many more specialties are needed when nobody is there', () => {
		const r = evaluateQuorum(digestiveRule, [], []);
		expect(r.reached).toBe(false);
		expect(r.missingCount).toBe(3);
		expect(r.missingRequired).toEqual([
			'medical_oncology',
			'radiation_oncology',
			'visceral_surgery'
		]);
	});

	it('needs more than the missing required ones when the minimum is higher', () => {
		const r = evaluateQuorum(
			{ requiredSpecialties: ['radiology'], minDistinctSpecialties: 4, countedSpecialties: null },
			[doctor('a', 'pathology')],
			[]
		);
		expect(r.missingRequired).toEqual(['radiology']);
		expect(r.missingCount).toBe(3);
	});
});

describe('evaluateQuorum — heart failure (counted specialties)', () => {
	it('only counts specialties in the counted list', () => {
		const r = evaluateQuorum(
			heartFailureRule,
			[doctor('a', 'hf_cardiology'), doctor('b', 'radiology'), doctor('c', 'pathology')],
			[]
		);
		expect(r.presentSpecialties).toEqual(['hf_cardiology']);
		expect(r.distinctCount).toBe(1);
		expect(r.reached).toBe(false);
		expect(r.missingCount).toBe(2);
	});

	it('is reached with the HF cardiologist and two counted specialties', () => {
		const r = evaluateQuorum(
			heartFailureRule,
			[doctor('a', 'electrophysiology'), doctor('b', 'hf_cardiology')],
			[{ authorId: 'c', specialty: 'cardiac_surgery' }]
		);
		expect(r.reached).toBe(true);
		expect(r.presentSpecialties).toEqual(['hf_cardiology', 'electrophysiology']);
		expect(r.coveredByOpinion).toEqual(['cardiac_surgery']);
	});

	it('is not reached without the HF cardiologist', () => {
		const r = evaluateQuorum(
			heartFailureRule,
			[doctor('a', 'cardiology'), doctor('b', 'nephrology'), doctor('c', 'geriatrics')],
			[]
		);
		expect(r.distinctCount).toBe(3);
		expect(r.missingRequired).toEqual(['hf_cardiology']);
		expect(r.reached).toBe(false);
	});

	it('always counts required specialties, even when absent from the counted list', () => {
		const r = evaluateQuorum(
			{
				requiredSpecialties: ['radiology'],
				minDistinctSpecialties: 2,
				countedSpecialties: ['cardiology']
			},
			[doctor('a', 'radiology'), doctor('b', 'cardiology')],
			[]
		);
		expect(r.reached).toBe(true);
	});

	it('ignores opinions of specialties that are not counted', () => {
		const r = evaluateQuorum(
			heartFailureRule,
			[doctor('a', 'hf_cardiology'), doctor('b', 'cardiology')],
			[{ authorId: 'x', specialty: 'radiology' }]
		);
		expect(r.coveredByOpinion).toEqual([]);
		expect(r.reached).toBe(false);
	});
});

describe('describeQuorum', () => {
	it('describes a reached quorum with its count', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[
				doctor('a', 'visceral_surgery'),
				doctor('b', 'medical_oncology'),
				doctor('c', 'radiation_oncology'),
				doctor('d', 'radiology')
			],
			[]
		);
		expect(describeQuorum(r)).toBe('Quorum atteint (4 spécialités)');
	});

	it('uses the singular for one specialty', () => {
		const r = evaluateQuorum(
			{ requiredSpecialties: [], minDistinctSpecialties: 1, countedSpecialties: null },
			[doctor('a', 'radiology')],
			[]
		);
		expect(describeQuorum(r)).toBe('Quorum atteint (1 spécialité)');
	});

	it('names the missing required specialties in French', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[doctor('a', 'medical_oncology'), doctor('b', 'radiology'), doctor('c', 'pathology')],
			[]
		);
		expect(describeQuorum(r)).toBe(
			'Quorum non atteint : manquent Oncologie radiothérapie, Chirurgie viscérale et digestive'
		);
	});

	it('uses « manque » for a single missing specialty', () => {
		const r = evaluateQuorum(
			digestiveRule,
			[doctor('a', 'medical_oncology'), doctor('b', 'visceral_surgery'), doctor('c', 'pathology')],
			[]
		);
		expect(describeQuorum(r)).toBe('Quorum non atteint : manque Oncologie radiothérapie');
	});

	it('states the count when only the minimum is not met', () => {
		const r = evaluateQuorum(
			heartFailureRule,
			[doctor('a', 'hf_cardiology'), doctor('b', 'cardiology')],
			[]
		);
		expect(describeQuorum(r)).toBe(
			'Quorum non atteint : 2 spécialités représentées sur 3 requises'
		);
	});

	it('states both when required specialties and count are missing', () => {
		const r = evaluateQuorum(heartFailureRule, [doctor('a', 'cardiology')], []);
		expect(describeQuorum(r)).toBe(
			'Quorum non atteint : manque Cardiologie – insuffisance cardiaque ; 1 spécialité représentée sur 3 requises'
		);
	});
});

describe('validateQuorumRule', () => {
	it('accepts and copies a valid rule', () => {
		const input = {
			requiredSpecialties: ['visceral_surgery', 'medical_oncology'],
			minDistinctSpecialties: 3,
			countedSpecialties: null
		};
		const v = validateQuorumRule(input);
		expect(v).toEqual({ ok: true, rule: input });
		if (v.ok) expect(v.rule.requiredSpecialties).not.toBe(input.requiredSpecialties);
	});

	it('treats a missing counted list as every specialty', () => {
		const v = validateQuorumRule({ requiredSpecialties: [], minDistinctSpecialties: 2 });
		expect(v).toEqual({
			ok: true,
			rule: { requiredSpecialties: [], minDistinctSpecialties: 2, countedSpecialties: null }
		});
	});

	it('accepts more required specialties than the minimum', () => {
		const v = validateQuorumRule({
			requiredSpecialties: ['radiology', 'pathology', 'pulmonology'],
			minDistinctSpecialties: 1,
			countedSpecialties: null
		});
		expect(v.ok).toBe(true);
	});

	it.each([0, 11, 2.5, -1, '3', null])('refuses minimum %s', (min) => {
		const v = validateQuorumRule({ requiredSpecialties: [], minDistinctSpecialties: min });
		expect(v).toEqual({
			ok: false,
			error:
				'Le nombre minimal de spécialités distinctes doit être un entier compris entre 1 et 10.'
		});
	});

	it('accepts the bounds 1 and 10', () => {
		expect(validateQuorumRule({ requiredSpecialties: [], minDistinctSpecialties: 1 }).ok).toBe(
			true
		);
		expect(validateQuorumRule({ requiredSpecialties: [], minDistinctSpecialties: 10 }).ok).toBe(
			true
		);
	});

	it('refuses unknown specialty codes', () => {
		const v = validateQuorumRule({ requiredSpecialties: ['surgery'], minDistinctSpecialties: 3 });
		expect(v).toEqual({ ok: false, error: 'La spécialité « surgery » est inconnue.' });
	});

	it('refuses duplicates', () => {
		const v = validateQuorumRule({
			requiredSpecialties: ['radiology', 'pathology', 'radiology'],
			minDistinctSpecialties: 3
		});
		expect(v.ok).toBe(false);
		if (!v.ok) expect(v.error).toContain('Radiologie');
	});

	it('refuses general practice, which never counts', () => {
		const v = validateQuorumRule({
			requiredSpecialties: ['general_practice'],
			minDistinctSpecialties: 1
		});
		expect(v.ok).toBe(false);
	});

	it('refuses a counted list too short to ever reach the minimum', () => {
		const v = validateQuorumRule({
			requiredSpecialties: ['hf_cardiology'],
			minDistinctSpecialties: 3,
			countedSpecialties: ['cardiology']
		});
		expect(v.ok).toBe(false);
	});

	it.each([
		null,
		'rule',
		[],
		{ minDistinctSpecialties: 3 },
		{ requiredSpecialties: [1], minDistinctSpecialties: 3 }
	])('refuses malformed input %j', (input) => {
		expect(validateQuorumRule(input).ok).toBe(false);
	});
});

describe('presence grace period', () => {
	const t0 = new Date('2026-12-02T16:30:00Z');
	const at = (s: number) => new Date(t0.getTime() + s * 1000);

	it('counts an open stay, and a closed one only until its grace ends', () => {
		expect(isStayCounted({ leftAt: null, graceUntil: null }, t0)).toBe(true);
		const dropped = { leftAt: t0, graceUntil: computeGraceUntil(t0, 120) };
		expect(dropped.graceUntil).toEqual(at(120));
		expect(isStayCounted(dropped, at(1))).toBe(true);
		expect(isStayCounted(dropped, at(119))).toBe(true);
		expect(isStayCounted(dropped, at(120))).toBe(false);
		// A check-out or a removal leaves no grace.
		expect(isStayCounted({ leftAt: t0, graceUntil: null }, at(1))).toBe(false);
	});

	it('takes the pathway setting, none at 0, and bounds it', () => {
		expect(computeGraceUntil(t0, 0)).toBeNull();
		expect(computeGraceUntil(t0, -5)).toBeNull();
		expect(computeGraceUntil(t0, 30)).toEqual(at(30));
		expect(computeGraceUntil(t0, 100_000)).toEqual(at(900));
	});

	it('keeps one stay per person, the open one first', () => {
		const stays = [
			{ personKey: 'a', leftAt: t0, graceUntil: at(120), id: 'a-old' },
			{ personKey: 'a', leftAt: null, graceUntil: null, id: 'a-new' },
			{ personKey: 'b', leftAt: t0, graceUntil: at(60), id: 'b-1' },
			{ personKey: 'b', leftAt: at(10), graceUntil: at(130), id: 'b-2' },
			{ personKey: 'c', leftAt: t0, graceUntil: at(5), id: 'c-gone' }
		];
		expect(selectCountedStays(stays, at(30)).map((s) => s.id)).toEqual(['a-new', 'b-2']);
		expect(selectCountedStays(stays, at(3)).map((s) => s.id)).toEqual(['a-new', 'b-2', 'c-gone']);
	});

	it('keeps the quorum through a blip and loses it once the grace is over', () => {
		const stays = [
			{ personKey: 's', specialty: 'visceral_surgery', leftAt: null, graceUntil: null },
			{ personKey: 'o', specialty: 'medical_oncology', leftAt: t0, graceUntil: at(120) },
			{ personKey: 'r', specialty: 'radiation_oncology', leftAt: null, graceUntil: null }
		];
		const quorumAt = (now: Date) =>
			evaluateQuorum(
				digestiveRule,
				selectCountedStays(stays, now).map((s) => ({
					personId: s.personKey,
					specialty: s.specialty,
					isGp: false
				})),
				[]
			);
		expect(quorumAt(at(60)).reached).toBe(true);
		expect(quorumAt(at(121))).toMatchObject({
			reached: false,
			missingRequired: ['medical_oncology']
		});
	});
});
