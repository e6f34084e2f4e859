/**
 * The pathway-specific part of a case request (DESIGN §4), as data: the form draws its fields
 * from here, the completeness check reads which ones the meeting needs, and the case page
 * shows the values with the same labels.
 */
import { assessAdvancedHeartFailure, type AdvancedHeartFailureAssessment } from './advanced-hf';
import { formatCim10 } from './cim10';
import { buildHaematologyFields } from './haematology-form';
import type { PathwayKind } from './pathways';
import type { ClinicalForm } from './rcp-types';

/** The form a case is entered with: the pathway kind, refined by the RCP's clinical form. */
export type CaseFormKind = PathwayKind | 'haematology';

export interface FieldOption {
	value: string;
	label: string;
}

export type CaseFieldKind =
	'text' | 'textarea' | 'select' | 'number' | 'checkbox' | 'tnm' | 'cim10';

export interface CaseFieldDef {
	name: string;
	label: string;
	kind: CaseFieldKind;
	/** 'submit': needed to submit the request; 'meeting': needed before the meeting (completeness). */
	requiredFor?: 'submit' | 'meeting';
	options?: readonly FieldOption[];
	hint?: string;
	unit?: string;
	min?: number;
	max?: number;
	/** Decimal numbers allowed (with a comma or a point). */
	decimal?: boolean;
	/** Fieldset the field belongs to, in display order. */
	group: string;
	/** CIM-10 categories offered and accepted (e.g. [81, 96] for C81–C96). */
	cim10Range?: readonly [number, number];
	/** Needed (at `requiredFor`) only when another field holds one of these values. */
	requiredWhen?: { field: string; values: readonly string[] };
}

export const cancerPhases: readonly FieldOption[] = [
	{ value: 'initial', label: 'Prise en charge initiale' },
	{ value: 'relapse', label: 'Rechute ou progression' }
];

export const whoStatuses: readonly FieldOption[] = [
	{ value: '0', label: '0 — activité normale' },
	{ value: '1', label: '1 — symptômes, activité légère possible' },
	{ value: '2', label: '2 — alité moins de 50 % de la journée' },
	{ value: '3', label: '3 — alité plus de 50 % de la journée' },
	{ value: '4', label: '4 — alité en permanence' }
];

export const nyhaClasses: readonly FieldOption[] = [
	{ value: '1', label: 'I — pas de limitation' },
	{ value: '2', label: 'II — limitation légère' },
	{ value: '3', label: 'III — limitation marquée' },
	{ value: '4', label: 'IV — symptômes au repos' }
];

export const etiologies: readonly FieldOption[] = [
	{ value: 'ischemic', label: 'Ischémique' },
	{ value: 'dilated', label: 'Cardiomyopathie dilatée non ischémique' },
	{ value: 'hypertensive', label: 'Hypertensive' },
	{ value: 'valvular', label: 'Valvulaire' },
	{ value: 'toxic', label: 'Toxique (alcool, chimiothérapie)' },
	{ value: 'infiltrative', label: 'Infiltrative (amylose…)' },
	{ value: 'rhythmic', label: 'Rythmique' },
	{ value: 'other', label: 'Autre ou indéterminée' }
];

export const raasClasses: readonly FieldOption[] = [
	{ value: 'arni', label: 'ARNI (sacubitril/valsartan)' },
	{ value: 'acei', label: 'IEC' },
	{ value: 'arb', label: 'ARA II' },
	{ value: 'none', label: 'Aucun' }
];

export const titrationStatuses: readonly FieldOption[] = [
	{ value: 'none', label: 'Non prescrit' },
	{ value: 'titrating', label: 'En cours de titration' },
	{ value: 'target', label: 'Dose cible atteinte' },
	{ value: 'max_tolerated', label: 'Dose maximale tolérée' },
	{ value: 'contraindicated', label: 'Contre-indiqué ou non toléré' }
];

export const devices: readonly FieldOption[] = [
	{ value: 'none', label: 'Aucun' },
	{ value: 'pacemaker', label: 'Stimulateur cardiaque' },
	{ value: 'icd', label: 'Défibrillateur automatique implantable (DAI)' },
	{ value: 'crt_p', label: 'Resynchronisation (CRT-P)' },
	{ value: 'crt_d', label: 'Resynchronisation avec défibrillateur (CRT-D)' },
	{ value: 'lvad', label: 'Assistance ventriculaire gauche' }
];

export const rhythms: readonly FieldOption[] = [
	{ value: 'sinus', label: 'Sinusal' },
	{ value: 'af', label: 'Fibrillation atriale' },
	{ value: 'flutter', label: 'Flutter atrial' },
	{ value: 'paced', label: 'Rythme électro-entraîné' },
	{ value: 'other', label: 'Autre' }
];

export const oncologyFields: readonly CaseFieldDef[] = [
	{
		name: 'primarySite',
		label: 'Localisation primitive (CIM-10)',
		kind: 'cim10',
		requiredFor: 'submit',
		group: 'Tumeur'
	},
	{
		name: 'histology',
		label: 'Type histologique',
		kind: 'text',
		requiredFor: 'meeting',
		hint: 'Par exemple : adénocarcinome lieberkühnien moyennement différencié.',
		group: 'Tumeur'
	},
	{
		name: 'phase',
		label: 'Phase de la maladie',
		kind: 'select',
		options: cancerPhases,
		requiredFor: 'submit',
		group: 'Tumeur'
	},
	{
		name: 'cT',
		label: 'cT',
		kind: 'tnm',
		requiredFor: 'meeting',
		hint: 'T0 à T4, Tis, TX',
		group: 'Stade TNM'
	},
	{
		name: 'cN',
		label: 'cN',
		kind: 'tnm',
		requiredFor: 'meeting',
		hint: 'N0 à N3, NX',
		group: 'Stade TNM'
	},
	{
		name: 'cM',
		label: 'cM',
		kind: 'tnm',
		requiredFor: 'meeting',
		hint: 'M0 ou M1',
		group: 'Stade TNM'
	},
	{ name: 'pT', label: 'pT (si opéré)', kind: 'tnm', group: 'Stade TNM' },
	{ name: 'pN', label: 'pN (si opéré)', kind: 'tnm', group: 'Stade TNM' },
	{
		name: 'who',
		label: 'État général (OMS)',
		kind: 'select',
		options: whoStatuses,
		requiredFor: 'meeting',
		group: 'Patient'
	},
	{
		name: 'priorTreatments',
		label: 'Traitements antérieurs',
		kind: 'textarea',
		group: 'Patient'
	},
	{ name: 'comorbidities', label: 'Comorbidités', kind: 'textarea', group: 'Patient' }
];

export const heartFailureFields: readonly CaseFieldDef[] = [
	{
		name: 'nyha',
		label: 'Classe NYHA',
		kind: 'select',
		options: nyhaClasses,
		requiredFor: 'submit',
		group: 'Évaluation clinique'
	},
	{
		name: 'nyhaPersistent',
		label: 'Symptômes persistants malgré un traitement optimal',
		kind: 'checkbox',
		group: 'Évaluation clinique'
	},
	{
		name: 'lvef',
		label: 'FEVG',
		kind: 'number',
		unit: '%',
		min: 5,
		max: 80,
		requiredFor: 'submit',
		group: 'Évaluation clinique'
	},
	{
		name: 'ntProBnp',
		label: 'NT-proBNP',
		kind: 'number',
		unit: 'ng/L',
		min: 0,
		max: 100000,
		requiredFor: 'meeting',
		group: 'Évaluation clinique'
	},
	{
		name: 'etiology',
		label: 'Étiologie',
		kind: 'select',
		options: etiologies,
		requiredFor: 'meeting',
		group: 'Évaluation clinique'
	},
	{
		name: 'hospitalisations12m',
		label: 'Hospitalisations ou consultations non programmées (12 derniers mois)',
		kind: 'number',
		min: 0,
		max: 50,
		requiredFor: 'meeting',
		hint: 'Pour congestion, bas débit ou trouble du rythme grave.',
		group: 'Évaluation clinique'
	},
	{
		name: 'sixMinuteWalk',
		label: 'Test de marche de 6 minutes',
		kind: 'number',
		unit: 'm',
		min: 0,
		max: 1000,
		group: 'Capacité d’effort'
	},
	{
		name: 'peakVo2',
		label: 'VO₂ max',
		kind: 'number',
		unit: 'ml/kg/min',
		min: 3,
		max: 60,
		decimal: true,
		group: 'Capacité d’effort'
	},
	{
		name: 'inabilityToExercise',
		label: 'Effort impossible',
		kind: 'checkbox',
		group: 'Capacité d’effort'
	},
	{
		name: 'isolatedRvFailure',
		label: 'Insuffisance ventriculaire droite isolée',
		kind: 'checkbox',
		group: 'Dysfonction cardiaque'
	},
	{
		name: 'nonOperableSevereValve',
		label: 'Valvulopathie sévère non opérable',
		kind: 'checkbox',
		group: 'Dysfonction cardiaque'
	},
	{
		name: 'highNtProBnpWithDiastolicDysfunction',
		label: 'NT-proBNP élevé persistant avec dysfonction diastolique sévère',
		kind: 'checkbox',
		group: 'Dysfonction cardiaque'
	},
	{
		name: 'raasClass',
		label: 'Inhibiteur du système rénine-angiotensine',
		kind: 'select',
		options: raasClasses,
		requiredFor: 'meeting',
		group: 'Traitement et titration'
	},
	{
		name: 'raasTitration',
		label: 'Titration ARNI / IEC / ARA II',
		kind: 'select',
		options: titrationStatuses,
		requiredFor: 'meeting',
		group: 'Traitement et titration'
	},
	{
		name: 'betaBlockerTitration',
		label: 'Bêtabloquant',
		kind: 'select',
		options: titrationStatuses,
		requiredFor: 'meeting',
		group: 'Traitement et titration'
	},
	{
		name: 'mraTitration',
		label: 'Antagoniste des récepteurs minéralocorticoïdes (ARM)',
		kind: 'select',
		options: titrationStatuses,
		requiredFor: 'meeting',
		group: 'Traitement et titration'
	},
	{
		name: 'sglt2Titration',
		label: 'Inhibiteur de SGLT2 (gliflozine)',
		kind: 'select',
		options: titrationStatuses,
		requiredFor: 'meeting',
		group: 'Traitement et titration'
	},
	{
		name: 'device',
		label: 'Dispositif implanté',
		kind: 'select',
		options: devices,
		requiredFor: 'meeting',
		group: 'Dispositifs et rythme'
	},
	{
		name: 'rhythm',
		label: 'Rythme',
		kind: 'select',
		options: rhythms,
		requiredFor: 'meeting',
		group: 'Dispositifs et rythme'
	}
];

export const haematologyFields: readonly CaseFieldDef[] = buildHaematologyFields(whoStatuses);

/**
 * The case form of a pathway row: its clinical form when it names the haematology one (RCPs
 * created by the admin), else its kind (heart failure, oncology by organ).
 */
export function getCaseFormKind(pathway: {
	kind: string;
	clinicalForm?: ClinicalForm | string | null;
}): CaseFormKind {
	if (pathway.clinicalForm === 'haematology') return 'haematology';
	return pathway.kind === 'heart_failure' ? 'heart_failure' : 'oncology';
}

export function getCaseFields(kind: CaseFormKind): readonly CaseFieldDef[] {
	return kind === 'oncology'
		? oncologyFields
		: kind === 'haematology'
			? haematologyFields
			: heartFailureFields;
}

/** Fields grouped in display order, for the form's fieldsets. */
export function groupCaseFields(kind: CaseFormKind): { group: string; fields: CaseFieldDef[] }[] {
	const groups: { group: string; fields: CaseFieldDef[] }[] = [];
	for (const f of getCaseFields(kind)) {
		const last = groups[groups.length - 1];
		if (last?.group === f.group) last.fields.push(f);
		else groups.push({ group: f.group, fields: [f] });
	}
	return groups;
}

export interface CommonCaseFields {
	question: string;
	summary: string;
}

function isEmpty(v: unknown): boolean {
	return v === undefined || v === null || v === '' || v === false;
}

/** Fields still empty that the given stage needs (the meeting stage includes the submit one). */
export function listMissingCaseFields(
	kind: CaseFormKind,
	common: CommonCaseFields,
	data: Record<string, unknown>,
	stage: 'submit' | 'meeting'
): { name: string; label: string }[] {
	const missing: { name: string; label: string }[] = [];
	if (!common.question.trim()) missing.push({ name: 'question', label: 'Question posée' });
	if (!common.summary.trim()) missing.push({ name: 'summary', label: 'Résumé clinique' });
	for (const f of getCaseFields(kind)) {
		const needed =
			(f.requiredFor === 'submit' || (stage === 'meeting' && f.requiredFor === 'meeting')) &&
			(!f.requiredWhen || f.requiredWhen.values.includes(String(data[f.requiredWhen.field] ?? '')));
		if (needed && isEmpty(data[f.name])) missing.push({ name: f.name, label: f.label });
	}
	return missing;
}

function optionLabel(options: readonly FieldOption[] | undefined, value: string): string {
	return options?.find((o) => o.value === value)?.label ?? value;
}

/** The filled pathway fields as label/value pairs, for the case page. */
export function describeCaseData(
	kind: CaseFormKind,
	data: Record<string, unknown>
): { name: string; label: string; value: string }[] {
	const lines: { name: string; label: string; value: string }[] = [];
	for (const f of getCaseFields(kind)) {
		const v = data[f.name];
		if (isEmpty(v)) continue;
		let value: string;
		if (f.kind === 'checkbox') value = 'Oui';
		else if (f.kind === 'select') value = optionLabel(f.options, String(v));
		else if (f.kind === 'cim10') value = formatCim10(String(v));
		else if (f.kind === 'number')
			value = `${String(v).replace('.', ',')}${f.unit ? ` ${f.unit}` : ''}`;
		else value = String(v);
		lines.push({ name: f.name, label: f.label, value });
	}
	return lines;
}

function toNumber(v: unknown): number | null {
	if (typeof v === 'number') return Number.isFinite(v) ? v : null;
	if (typeof v === 'string' && v.trim() !== '') {
		const n = Number(v.replace(',', '.'));
		return Number.isFinite(n) ? n : null;
	}
	return null;
}

function toFlag(v: unknown): boolean {
	return v === true || v === 'on' || v === 'true';
}

/**
 * The HFA-ESC 2018 assessment from heart-failure case data, stored (numbers, booleans) or as
 * typed in the form (strings, « on »): the form shows it live, the case page after saving.
 */
export function assessHeartFailureCase(
	data: Record<string, unknown>
): AdvancedHeartFailureAssessment {
	const nyha = toNumber(data.nyha);
	return assessAdvancedHeartFailure({
		nyha: nyha === 1 || nyha === 2 || nyha === 3 || nyha === 4 ? nyha : null,
		nyhaPersistent: toFlag(data.nyhaPersistent),
		lvef: toNumber(data.lvef),
		isolatedRvFailure: toFlag(data.isolatedRvFailure),
		nonOperableSevereValve: toFlag(data.nonOperableSevereValve),
		highNtProBnpWithDiastolicDysfunction: toFlag(data.highNtProBnpWithDiastolicDysfunction),
		unplannedVisits12m: toNumber(data.hospitalisations12m),
		inabilityToExercise: toFlag(data.inabilityToExercise),
		sixMinuteWalkM: toNumber(data.sixMinuteWalk),
		peakVo2: toNumber(data.peakVo2)
	});
}
