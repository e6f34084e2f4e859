import { describe, expect, it } from 'vitest';
import {
	assessHeartFailureCase,
	describeCaseData,
	groupCaseFields,
	listMissingCaseFields
} from './case-forms';

describe('advanced heart failure flag from the case form', () => {
	// As the form sends them: strings and checkbox « on ».
	const advanced = {
		nyha: '4',
		nyhaPersistent: 'on',
		lvef: '25',
		hospitalisations12m: '2',
		sixMinuteWalk: '250'
	};

	it('is raised when the four HFA-ESC criteria hold', () => {
		expect(assessHeartFailureCase(advanced).advanced).toBe(true);
		// Stored values (numbers, booleans) give the same answer.
		expect(
			assessHeartFailureCase({
				nyha: 3,
				nyhaPersistent: true,
				lvef: 30,
				hospitalisations12m: 3,
				peakVo2: 11.5
			}).advanced
		).toBe(true);
	});

	it('is not raised when any one criterion fails', () => {
		for (const change of [
			{ nyha: '2' },
			{ nyhaPersistent: undefined },
			{ lvef: '35' },
			{ hospitalisations12m: '1' },
			{ sixMinuteWalk: '320' }
		]) {
			const result = assessHeartFailureCase({ ...advanced, ...change });
			expect(result.advanced, JSON.stringify(change)).toBe(false);
			expect(result.criteria.filter((c) => !c.met)).toHaveLength(1);
		}
	});

	it('takes the alternatives of criteria 2 and 4', () => {
		expect(
			assessHeartFailureCase({
				...advanced,
				lvef: '45',
				nonOperableSevereValve: 'on',
				sixMinuteWalk: '',
				inabilityToExercise: 'on'
			}).advanced
		).toBe(true);
		expect(
			assessHeartFailureCase({ ...advanced, sixMinuteWalk: '', peakVo2: '12,5' }).advanced
		).toBe(true);
	});
});

describe('case form definitions', () => {
	it('lists what a submission needs, then what the meeting needs', () => {
		const common = { question: 'Q', summary: '' };
		expect(listMissingCaseFields('oncology', common, { primarySite: 'C20' }, 'submit')).toEqual([
			{ name: 'summary', label: 'Résumé clinique' },
			{ name: 'phase', label: 'Phase de la maladie' }
		]);
		const meeting = listMissingCaseFields(
			'heart_failure',
			{ question: 'Q', summary: 'S' },
			{ nyha: 3, lvef: 25 },
			'meeting'
		).map((f) => f.name);
		expect(meeting).toContain('ntProBnp');
		expect(meeting).not.toContain('lvef');
		expect(meeting).not.toContain('sixMinuteWalk');
	});

	it('groups fields in order and describes stored values in French', () => {
		expect(groupCaseFields('oncology').map((g) => g.group)).toEqual([
			'Tumeur',
			'Stade TNM',
			'Patient'
		]);
		expect(
			describeCaseData('heart_failure', {
				nyha: '3',
				lvef: 25,
				peakVo2: 11.5,
				nyhaPersistent: true
			})
		).toEqual([
			{ name: 'nyha', label: 'Classe NYHA', value: 'III — limitation marquée' },
			{
				name: 'nyhaPersistent',
				label: 'Symptômes persistants malgré un traitement optimal',
				value: 'Oui'
			},
			{ name: 'lvef', label: 'FEVG', value: '25 %' },
			{ name: 'peakVo2', label: 'VO₂ max', value: '11,5 ml/kg/min' }
		]);
		expect(describeCaseData('oncology', { primarySite: 'C20' })[0]!.value).toBe(
			'C20 — Tumeur maligne du rectum'
		);
	});
});
