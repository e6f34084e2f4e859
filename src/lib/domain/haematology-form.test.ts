import { describe, expect, it } from 'vitest';
import {
	describeCaseData,
	getCaseFields,
	getCaseFormKind,
	groupCaseFields,
	listMissingCaseFields
} from './case-forms';
import { checkCompleteness, requiredDocumentKinds } from './completeness';
import { checkHaematologyCoherence, isCim10InRange, listCim10InRange } from './haematology-form';

const common = { question: 'Autogreffe en consolidation ?', summary: 'Myélome IgG kappa.' };
const complete = {
	diagnosisCode: 'C90',
	diagnosis: 'Myélome multiple IgG kappa',
	phase: 'relapse',
	stage: 'riss_II',
	treatmentLine: '2',
	priorTreatments: 'VRd x 4, autogreffe 2024',
	intensiveEligible: 'discuss',
	who: '1'
};

describe('haematology clinical form', () => {
	it('is the form of an RCP created with the haematology clinical form', () => {
		expect(getCaseFormKind({ kind: 'oncology', clinicalForm: 'haematology' })).toBe('haematology');
		expect(getCaseFormKind({ kind: 'oncology', clinicalForm: 'oncology_organ' })).toBe('oncology');
		expect(getCaseFormKind({ kind: 'heart_failure', clinicalForm: 'heart_failure' })).toBe(
			'heart_failure'
		);
		// Rows without the column (older callers) keep their kind.
		expect(getCaseFormKind({ kind: 'oncology' })).toBe('oncology');
	});

	it('has its own fields, not the organ form’s TNM', () => {
		const names = getCaseFields('haematology').map((f) => f.name);
		expect(names).toEqual([
			'diagnosisCode',
			'diagnosis',
			'phase',
			'stage',
			'stageOther',
			'treatmentLine',
			'priorTreatments',
			'intensiveEligible',
			'who',
			'comorbidities'
		]);
		expect(names).not.toContain('cT');
		expect(groupCaseFields('haematology').map((g) => g.group)).toEqual([
			'Hémopathie',
			'Traitement',
			'Patient'
		]);
	});

	it('offers Ann Arbor I–IV A/B, ISS and R-ISS I–III and « autre »', () => {
		const stage = getCaseFields('haematology').find((f) => f.name === 'stage')!;
		const values = stage.options!.map((o) => o.value);
		expect(values).toHaveLength(8 + 3 + 3 + 1);
		expect(values).toContain('aa_IVB');
		expect(values).toContain('iss_III');
		expect(values).toContain('riss_I');
		expect(values.at(-1)).toBe('other');
	});

	it('lists only C81 to C96 codes', () => {
		const codes = listCim10InRange([81, 96]).map((e) => e.code);
		expect(codes[0]).toBe('C81');
		expect(codes.at(-1)).toBe('C96');
		expect(codes).toContain('C90');
		expect(codes).not.toContain('C80');
		expect(codes).not.toContain('C97');
		expect(isCim10InRange('C18.7', [81, 96])).toBe(false);
	});

	it('needs the CIM-10 code and phase to submit, the rest before the meeting', () => {
		expect(listMissingCaseFields('haematology', common, {}, 'submit').map((f) => f.name)).toEqual([
			'diagnosisCode',
			'phase'
		]);
		const meeting = listMissingCaseFields(
			'haematology',
			common,
			{ diagnosisCode: 'C83', phase: 'initial' },
			'meeting'
		).map((f) => f.name);
		expect(meeting).toEqual(['diagnosis', 'stage', 'treatmentLine', 'intensiveEligible', 'who']);
	});

	it('asks for prior treatments at relapse and for the other score when « autre » is chosen', () => {
		const missing = listMissingCaseFields(
			'haematology',
			common,
			{ ...complete, priorTreatments: '', stage: 'other' },
			'meeting'
		).map((f) => f.name);
		expect(missing).toEqual(['stageOther', 'priorTreatments']);
		expect(listMissingCaseFields('haematology', common, complete, 'meeting')).toEqual([]);
	});

	it('refuses contradictory values on the field to correct', () => {
		expect(checkHaematologyCoherence(complete)).toEqual({});
		expect(checkHaematologyCoherence({ diagnosisCode: 'C83', stage: 'iss_I' }).stage).toMatch(
			/ISS et R-ISS concernent le myélome/
		);
		expect(checkHaematologyCoherence({ diagnosisCode: 'C92', stage: 'aa_IIA' }).stage).toMatch(
			/Ann Arbor concerne les lymphomes/
		);
		expect(checkHaematologyCoherence({ diagnosisCode: 'C81', stage: 'aa_IIA' })).toEqual({});
		expect(
			checkHaematologyCoherence({ phase: 'initial', treatmentLine: '3' }).treatmentLine
		).toMatch(/au diagnostic initial, il s’agit de la 1re ligne/);
	});

	it('is shown with French labels on the case page and the fiche', () => {
		const lines = describeCaseData('haematology', complete);
		const byName = Object.fromEntries(lines.map((l) => [l.name, l]));
		expect(byName.diagnosisCode).toEqual({
			name: 'diagnosisCode',
			label: 'Diagnostic (CIM-10)',
			value: 'C90 — Myélome multiple et tumeurs malignes à plasmocytes'
		});
		expect(byName.phase!.value).toBe('Rechute');
		expect(byName.stage!.value).toBe('R-ISS II');
		expect(byName.treatmentLine!.value).toBe('2e ligne');
		expect(byName.intensiveEligible!.value).toBe('À discuter en RCP');
		expect(byName.who!.value).toMatch(/^1 — /);
	});
});

describe('haematology completeness', () => {
	const input = {
		kind: 'haematology' as const,
		question: common.question,
		summary: common.summary,
		data: complete,
		hasIns: true,
		identityStatus: 'qualified' as const,
		documents: [{ kind: 'biology', date: '2026-11-20' }],
		referenceDate: '2026-12-01',
		freshnessDays: 90,
		quorumRule: null,
		confirmed: [],
		opinions: [],
		neededSpecialties: []
	};

	it('needs recent biology, not TNM nor imaging', () => {
		expect(requiredDocumentKinds('haematology')).toEqual(['biology']);
		expect(checkCompleteness(input)).toEqual({ ready: true, issues: [] });
	});

	it('reports the missing mandatory fields and the missing biology', () => {
		const result = checkCompleteness({
			...input,
			data: { diagnosisCode: 'C90', phase: 'refractory', stage: 'iss_III' },
			documents: []
		});
		expect(result.ready).toBe(false);
		expect(result.issues.map((i) => i.field ?? i.code)).toEqual([
			'diagnosis',
			'treatmentLine',
			'priorTreatments',
			'intensiveEligible',
			'who',
			'missing_document'
		]);
		expect(result.issues[0]!.message).toBe('Champ à renseigner : Diagnostic précis.');
		expect(result.issues.at(-1)!.message).toBe('Aucune biologie jointe.');
	});
});
