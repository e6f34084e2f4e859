/**
 * The haematology clinical form (issue 11): what a French haematology RCP expects to read
 * before discussing a case — diagnosis with its CIM-10 code (C81–C96), phase, stage or risk
 * score, line of treatment, eligibility for intensive treatment, WHO status.
 */
import { cim10Codes, findCim10, type Cim10Entry } from './cim10';
import type { CaseFieldDef, FieldOption } from './case-forms';

/** Malignant haemopathies in CIM-10 chapter II: categories C81 to C96. */
export const HAEMATOLOGY_CIM10_RANGE: readonly [number, number] = [81, 96];

export const haematologyPhases: readonly FieldOption[] = [
	{ value: 'initial', label: 'Diagnostic initial' },
	{ value: 'relapse', label: 'Rechute' },
	{ value: 'refractory', label: 'Maladie réfractaire' }
];

const annArbor = ['I', 'II', 'III', 'IV'].flatMap((s) =>
	['A', 'B'].map((b) => ({ value: `aa_${s}${b}`, label: `Ann Arbor ${s}${b}` }))
);
const iss = ['I', 'II', 'III'].map((s) => ({ value: `iss_${s}`, label: `ISS ${s}` }));
const riss = ['I', 'II', 'III'].map((s) => ({ value: `riss_${s}`, label: `R-ISS ${s}` }));

export const haematologyStages: readonly FieldOption[] = [
	...annArbor,
	...iss,
	...riss,
	{ value: 'other', label: 'Autre classification ou score (à préciser)' }
];

export const treatmentLines: readonly FieldOption[] = [
	{ value: '1', label: '1re ligne' },
	{ value: '2', label: '2e ligne' },
	{ value: '3', label: '3e ligne ou plus' }
];

export const intensiveEligibility: readonly FieldOption[] = [
	{ value: 'yes', label: 'Oui' },
	{ value: 'no', label: 'Non' },
	{ value: 'discuss', label: 'À discuter en RCP' }
];

export function buildHaematologyFields(who: readonly FieldOption[]): readonly CaseFieldDef[] {
	return [
		{
			name: 'diagnosisCode',
			label: 'Diagnostic (CIM-10)',
			kind: 'cim10',
			cim10Range: HAEMATOLOGY_CIM10_RANGE,
			requiredFor: 'submit',
			group: 'Hémopathie'
		},
		{
			name: 'diagnosis',
			label: 'Diagnostic précis',
			kind: 'text',
			requiredFor: 'meeting',
			hint: 'Selon la classification OMS, par exemple : lymphome B diffus à grandes cellules.',
			group: 'Hémopathie'
		},
		{
			name: 'phase',
			label: 'Phase de la maladie',
			kind: 'select',
			options: haematologyPhases,
			requiredFor: 'submit',
			group: 'Hémopathie'
		},
		{
			name: 'stage',
			label: 'Stade ou score pronostique',
			kind: 'select',
			options: haematologyStages,
			requiredFor: 'meeting',
			hint: 'Ann Arbor pour les lymphomes, ISS ou R-ISS pour le myélome.',
			group: 'Hémopathie'
		},
		{
			name: 'stageOther',
			label: 'Autre classification ou score',
			kind: 'text',
			requiredFor: 'meeting',
			requiredWhen: { field: 'stage', values: ['other'] },
			hint: 'Si vous avez choisi « Autre » : par exemple IPI 3, ELN 2022 défavorable, Binet B.',
			group: 'Hémopathie'
		},
		{
			name: 'treatmentLine',
			label: 'Ligne de traitement discutée',
			kind: 'select',
			options: treatmentLines,
			requiredFor: 'meeting',
			group: 'Traitement'
		},
		{
			name: 'priorTreatments',
			label: 'Traitements antérieurs',
			kind: 'textarea',
			requiredFor: 'meeting',
			requiredWhen: { field: 'phase', values: ['relapse', 'refractory'] },
			hint: 'Protocoles, nombre de cycles, réponse obtenue et date de la dernière administration.',
			group: 'Traitement'
		},
		{
			name: 'intensiveEligible',
			label: 'Éligible à un traitement intensif ou à une autogreffe',
			kind: 'select',
			options: intensiveEligibility,
			requiredFor: 'meeting',
			group: 'Traitement'
		},
		{
			name: 'who',
			label: 'État général (OMS)',
			kind: 'select',
			options: who,
			requiredFor: 'meeting',
			group: 'Patient'
		},
		{ name: 'comorbidities', label: 'Comorbidités', kind: 'textarea', group: 'Patient' }
	];
}

/** The CIM-10 catalog entries of a category range (C81–C96 for haematology). */
export function listCim10InRange(range: readonly [number, number]): Cim10Entry[] {
	return cim10Codes.filter((e) => isCim10InRange(e.code, range));
}

export function isCim10InRange(code: string, range: readonly [number, number]): boolean {
	const n = Number(code.slice(1, 3));
	return code.startsWith('C') && n >= range[0] && n <= range[1];
}

const LEUKAEMIA_OR_MYELOMA = [90, 95] as const;

/**
 * Values that contradict each other (not missing ones: a draft may stay incomplete), keyed by
 * the field to correct, with a French message.
 */
export function checkHaematologyCoherence(data: Record<string, unknown>): Record<string, string> {
	const errors: Record<string, string> = {};
	const code = typeof data.diagnosisCode === 'string' ? findCim10(data.diagnosisCode)?.code : null;
	const stage = typeof data.stage === 'string' ? data.stage : '';
	if (code && (stage.startsWith('iss_') || stage.startsWith('riss_')) && !code.startsWith('C90')) {
		errors.stage =
			'Stade ou score pronostique : les scores ISS et R-ISS concernent le myélome (C90). Choisissez « Autre » pour cette hémopathie.';
	}
	if (code && stage.startsWith('aa_') && isCim10InRange(code, LEUKAEMIA_OR_MYELOMA)) {
		errors.stage =
			'Stade ou score pronostique : la classification d’Ann Arbor concerne les lymphomes, pas le myélome ni les leucémies.';
	}
	if (data.phase === 'initial' && (data.treatmentLine === '2' || data.treatmentLine === '3')) {
		errors.treatmentLine =
			'Ligne de traitement discutée : au diagnostic initial, il s’agit de la 1re ligne. Choisissez « Rechute » ou « Maladie réfractaire » pour une ligne ultérieure.';
	}
	return errors;
}
