import { describe, expect, it } from 'vitest';
import { evaluateQuorum } from './quorum';
import {
	checkRcpProfile,
	findLooserFields,
	getDefaultQuorumRule,
	type RcpProfile
} from './rcp-types';

const profile = (p: Partial<RcpProfile>): RcpProfile => ({
	area: 'oncology_organ',
	rcpType: 'standard',
	recoursCategory: null,
	organ: null,
	cellTherapyAuthorised: false,
	...p
});

describe('getDefaultQuorumRule (INCa 2023)', () => {
	it('standard organ RCP: surgeon, medical and radiation oncologists required; imaging and pathology recommended', () => {
		const rule = getDefaultQuorumRule(profile({ organ: 'urological' }));
		expect(rule.requiredSpecialties).toEqual(['urology', 'medical_oncology', 'radiation_oncology']);
		expect(rule.recommendedSpecialties).toEqual(['radiology', 'pathology']);
		expect(rule.minDistinctSpecialties).toBe(3);
		expect(rule.countedSpecialties).toBeNull();
	});

	it('standard digestive RCP: the organ specialist is recommended, not required', () => {
		const rule = getDefaultQuorumRule(profile({ organ: 'digestive' }));
		expect(rule.requiredSpecialties).toEqual([
			'visceral_surgery',
			'medical_oncology',
			'radiation_oncology'
		]);
		expect(rule.recommendedSpecialties).toContain('gastroenterology');
	});

	it('digestive and thoracic recours RCPs require the organ specialist', () => {
		expect(
			getDefaultQuorumRule(profile({ rcpType: 'recours', recoursCategory: 'thoracic' }))
				.requiredSpecialties
		).toEqual(['thoracic_surgery', 'medical_oncology', 'radiation_oncology', 'pulmonology']);
		expect(
			getDefaultQuorumRule(profile({ rcpType: 'recours', recoursCategory: 'digestive' }))
				.requiredSpecialties
		).toContain('gastroenterology');
		expect(
			getDefaultQuorumRule(profile({ rcpType: 'recours', recoursCategory: 'ent' }))
				.requiredSpecialties
		).toEqual(['ent_surgery', 'medical_oncology', 'radiation_oncology']);
	});

	it('haematology recours of a cell-therapy establishment recommends the biotherapy pharmacist', () => {
		const authorised = getDefaultQuorumRule(
			profile({ area: 'haematology', rcpType: 'recours', cellTherapyAuthorised: true })
		);
		expect(authorised.requiredSpecialties).toEqual(['haematology']);
		expect(authorised.recommendedSpecialties).toContain('biotherapy_pharmacist');
		const other = getDefaultQuorumRule(profile({ area: 'haematology', rcpType: 'recours' }));
		expect(other.recommendedSpecialties).not.toContain('biotherapy_pharmacist');
		// No surgeon outside organ oncology.
		expect(authorised.requiredSpecialties).not.toContain('visceral_surgery');
	});

	it('heart failure keeps the DESIGN §3 default', () => {
		const rule = getDefaultQuorumRule(profile({ area: 'heart_failure' }));
		expect(rule.requiredSpecialties).toEqual(['hf_cardiology']);
		expect(rule.minDistinctSpecialties).toBe(3);
		expect(rule.countedSpecialties).toContain('cardiac_surgery');
		expect(rule.countedSpecialties).not.toContain('radiology');
	});

	it('a missing recommended specialty warns but does not block; a missing required one blocks', () => {
		const rule = getDefaultQuorumRule(
			profile({ area: 'haematology', rcpType: 'recours', cellTherapyAuthorised: true })
		);
		const doctors = [
			{ personId: 'a', specialty: 'haematology', isGp: false },
			{ personId: 'b', specialty: 'radiology', isGp: false },
			{ personId: 'c', specialty: 'pathology', isGp: false }
		];
		const without = evaluateQuorum(rule, doctors, []);
		expect(without.reached).toBe(true);
		expect(without.missingRecommended).toEqual(['biotherapy_pharmacist']);
		const withOpinion = evaluateQuorum(rule, doctors, [
			{ authorId: 'p', specialty: 'biotherapy_pharmacist' }
		]);
		expect(withOpinion.missingRecommended).toEqual([]);
		// The pharmacist's opinion does not count as a fourth doctor.
		expect(withOpinion.distinctCount).toBe(3);
		const noHaematologist = evaluateQuorum(rule, doctors.slice(1), []);
		expect(noHaematologist.reached).toBe(false);
		expect(noHaematologist.missingRequired).toEqual(['haematology']);
	});
});

describe('findLooserFields', () => {
	const base = getDefaultQuorumRule(profile({ organ: 'thoracic' }));

	it('accepts the default and a tighter rule', () => {
		expect(findLooserFields(base, base)).toEqual({});
		expect(
			findLooserFields(
				{
					...base,
					minDistinctSpecialties: 4,
					requiredSpecialties: [...base.requiredSpecialties, 'radiology'],
					recommendedSpecialties: ['pathology', 'pulmonology']
				},
				base
			)
		).toEqual({});
	});

	it('refuses each looser field with its own French message', () => {
		const errors = findLooserFields(
			{
				requiredSpecialties: ['medical_oncology', 'radiation_oncology'],
				minDistinctSpecialties: 2,
				countedSpecialties: null,
				recommendedSpecialties: []
			},
			base
		);
		expect(errors.minDistinctSpecialties).toBe(
			'Le type de RCP exige au moins 3 spécialités distinctes : une valeur plus basse n’est pas permise.'
		);
		expect(errors.requiredSpecialties).toBe(
			'Le référentiel exige Chirurgie thoracique pour ce type de RCP : elle ne peut pas être retirée.'
		);
		expect(errors.recommendedSpecialties).toContain('Radiologie');
	});

	it('refuses counting more specialties than the heart-failure default', () => {
		const hf = getDefaultQuorumRule(profile({ area: 'heart_failure' }));
		expect(
			findLooserFields({ ...hf, countedSpecialties: [...hf.countedSpecialties!, 'radiology'] }, hf)
				.countedSpecialties
		).toContain('Radiologie');
		expect(
			findLooserFields({ ...hf, countedSpecialties: null }, hf).countedSpecialties
		).toBeDefined();
		expect(
			findLooserFields({ ...hf, countedSpecialties: hf.countedSpecialties!.slice(0, 5) }, hf)
		).toEqual({});
	});
});

describe('checkRcpProfile', () => {
	it('asks for the recours category and the organ of a standard organ RCP', () => {
		expect(checkRcpProfile(profile({ rcpType: 'recours' }))).toEqual({
			ok: false,
			errors: { recoursCategory: 'Choisissez la catégorie de la RCP de recours.' }
		});
		expect(checkRcpProfile(profile({})).ok).toBe(false);
	});

	it('normalizes fields that do not apply', () => {
		const r = checkRcpProfile(
			profile({ area: 'heart_failure', organ: 'digestive', cellTherapyAuthorised: true })
		);
		expect(r).toEqual({
			ok: true,
			profile: profile({ area: 'heart_failure' })
		});
		const recours = checkRcpProfile(profile({ rcpType: 'recours', recoursCategory: 'urological' }));
		expect(recours.ok && recours.profile.organ).toBe('urological');
	});
});
