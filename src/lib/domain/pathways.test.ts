import { describe, it, expect } from 'vitest';
import {
	defaultPathways,
	getPathwayDefinition,
	getProposalTypeLabel,
	getProposalTypes,
	heartFailureProposalTypes,
	isProposalType,
	oncologyProposalTypes
} from './pathways';
import { isSpecialtyCode } from './specialties';
import { evaluateQuorum, validateQuorumRule } from './quorum';

describe('defaultPathways', () => {
	it('lists the four default pathways', () => {
		expect(defaultPathways.map((p) => p.code)).toEqual([
			'onco-digestive',
			'onco-thoracic',
			'onco-breast',
			'heart-failure'
		]);
	});

	it.each([
		[
			'onco-digestive',
			'RCP oncologie digestive',
			'visceral_surgery',
			['radiology', 'pathology', 'gastroenterology']
		],
		[
			'onco-thoracic',
			'RCP oncologie thoracique',
			'thoracic_surgery',
			['radiology', 'pathology', 'pulmonology']
		],
		[
			'onco-breast',
			'RCP sénologie',
			'gynaecological_surgery',
			['radiology', 'pathology', 'nuclear_medicine']
		]
	])('%s follows the INCa oncology defaults', (code, name, surgery, recommended) => {
		const p = getPathwayDefinition(code);
		expect(p).toBeDefined();
		expect(p?.name).toBe(name);
		expect(p?.kind).toBe('oncology');
		expect(p?.quorumRule).toEqual({
			requiredSpecialties: [surgery, 'medical_oncology', 'radiation_oncology'],
			minDistinctSpecialties: 3,
			countedSpecialties: null
		});
		expect(p?.submissionDeadlineHours).toBe(48);
		expect(p?.freshnessDays).toBe(90);
		expect(p?.recommendedSpecialties).toEqual(recommended);
	});

	it('heart failure requires the HF cardiologist among 3 counted specialties', () => {
		const p = getPathwayDefinition('heart-failure');
		expect(p?.name).toBe('RCP insuffisance cardiaque');
		expect(p?.kind).toBe('heart_failure');
		expect(p?.quorumRule.requiredSpecialties).toEqual(['hf_cardiology']);
		expect(p?.quorumRule.minDistinctSpecialties).toBe(3);
		expect([...(p?.quorumRule.countedSpecialties ?? [])].sort()).toEqual(
			[
				'cardiac_rehabilitation',
				'cardiac_surgery',
				'cardiology',
				'electrophysiology',
				'geriatrics',
				'hf_cardiology',
				'interventional_cardiology',
				'nephrology',
				'palliative_care'
			].sort()
		);
		expect(p?.freshnessDays).toBe(180);
	});

	it('has rules that pass validation and codes that exist', () => {
		for (const p of defaultPathways) {
			expect(validateQuorumRule(p.quorumRule).ok).toBe(true);
			for (const s of p.recommendedSpecialties) expect(isSpecialtyCode(s)).toBe(true);
		}
	});

	it('cannot be reached by a radiologist and pathologist in heart failure', () => {
		const rule = getPathwayDefinition('heart-failure')?.quorumRule;
		if (rule === undefined) throw new Error('missing pathway');
		const r = evaluateQuorum(
			rule,
			[
				{ personId: 'a', specialty: 'hf_cardiology', isGp: false },
				{ personId: 'b', specialty: 'radiology', isGp: false },
				{ personId: 'c', specialty: 'pathology', isGp: false }
			],
			[]
		);
		expect(r.reached).toBe(false);
	});

	it('returns undefined for an unknown code', () => {
		expect(getPathwayDefinition('onco-haematology')).toBeUndefined();
	});

	it('returns copies, so the shared catalog cannot be altered', () => {
		const p = getPathwayDefinition('onco-digestive');
		p?.quorumRule.requiredSpecialties.push('radiology');
		expect(getPathwayDefinition('onco-digestive')?.quorumRule.requiredSpecialties).toHaveLength(3);
		expect(() => {
			(defaultPathways[0]?.recommendedSpecialties as string[]).push('x');
		}).toThrow(TypeError);
	});
});

describe('proposal types', () => {
	it('has the 18 oncology proposal types of CI-SIS', () => {
		expect(oncologyProposalTypes).toHaveLength(18);
		const labels = oncologyProposalTypes.map((t) => t.label);
		for (const label of [
			'Chirurgie',
			'Radiothérapie',
			'Curiethérapie',
			'Chimiothérapie',
			'Thérapie ciblée',
			'Hormonothérapie',
			'Immunothérapie',
			'Radiologie interventionnelle',
			'Fenêtre thérapeutique',
			'Surveillance active',
			'Surveillance simple',
			'Endoscopie interventionnelle',
			'IRA-thérapie (radio-iode)',
			'Allogreffe',
			'Autogreffe',
			'Soins de support',
			'Soins palliatifs',
			'Examens complémentaires'
		]) {
			expect(labels).toContain(label);
		}
	});

	it('has the 8 heart-failure proposal types', () => {
		expect(heartFailureProposalTypes.map((t) => t.label)).toEqual([
			'Titration du traitement',
			'Implantation de dispositif',
			'Ablation',
			'Intervention valvulaire',
			'Réadaptation cardiaque',
			'Évaluation transplantation / assistance ventriculaire',
			'Soins palliatifs',
			'Examens complémentaires'
		]);
	});

	it('uses unique snake_case codes', () => {
		for (const list of [oncologyProposalTypes, heartFailureProposalTypes]) {
			const codes = list.map((t) => t.code);
			expect(new Set(codes).size).toBe(codes.length);
			for (const c of codes) expect(c).toMatch(/^[a-z]+(?:_[a-z]+)*$/);
		}
	});

	it('picks the value set by pathway kind', () => {
		expect(getProposalTypes('oncology')).toBe(oncologyProposalTypes);
		expect(getProposalTypes('heart_failure')).toBe(heartFailureProposalTypes);
	});

	it('checks and labels codes per kind', () => {
		expect(isProposalType('oncology', 'chemotherapy')).toBe(true);
		expect(isProposalType('heart_failure', 'chemotherapy')).toBe(false);
		expect(isProposalType('heart_failure', 'ablation')).toBe(true);
		expect(getProposalTypeLabel('oncology', 'brachytherapy')).toBe('Curiethérapie');
		expect(getProposalTypeLabel('oncology', 'unknown_code')).toBe('unknown_code');
	});
});
