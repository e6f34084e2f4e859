import type { QuorumRule } from './quorum';
import { getSpecialtyLabel, sortSpecialtyCodes } from './specialties';

/**
 * RCP types of the INCa référentiel (2023 update, DESIGN §3) and the default quorum rule of
 * each. Sourced: a standard RCP outside haematology requires a surgeon with the medical and the
 * radiation oncologist, 3 distinct specialties at least, radiologist and pathologist
 * recommended; digestive and thoracic recours RCPs require the organ specialist; a haematology
 * recours RCP of an establishment authorised for cell therapies recommends the referent
 * pharmacist in biotherapies. Judgement calls (no text found): the haematology standard rule
 * (haematologist required), the rare-cancer rule (the standard one), the paediatric rule
 * (paediatric haemato-oncologist, paediatric surgeon, radiation oncologist) and the heart-failure
 * rule (DESIGN §3).
 */

export const pathwayAreas = ['oncology_organ', 'haematology', 'heart_failure', 'other'] as const;
export type PathwayArea = (typeof pathwayAreas)[number];

export const rcpTypes = ['standard', 'recours', 'rare_cancer', 'paediatric'] as const;
export type RcpType = (typeof rcpTypes)[number];

export const recoursCategories = [
	'digestive',
	'thoracic',
	'ent',
	'urological',
	'gynaecological'
] as const;
export type RecoursCategory = (typeof recoursCategories)[number];

/** Organs of an oncology RCP: the recours categories plus breast. */
export const organs = [
	'digestive',
	'thoracic',
	'breast',
	'gynaecological',
	'urological',
	'ent'
] as const;
export type Organ = (typeof organs)[number];

export const clinicalForms = ['oncology_organ', 'haematology', 'heart_failure'] as const;
export type ClinicalForm = (typeof clinicalForms)[number];

export const areaLabels: Record<PathwayArea, string> = {
	oncology_organ: 'Oncologie d’organe',
	haematology: 'Hématologie',
	heart_failure: 'Insuffisance cardiaque',
	other: 'Autre'
};

export const rcpTypeLabels: Record<RcpType, string> = {
	standard: 'RCP standard',
	recours: 'RCP de recours',
	rare_cancer: 'RCP cancers rares',
	paediatric: 'RCP pédiatrique'
};

export const recoursCategoryLabels: Record<RecoursCategory, string> = {
	digestive: 'Viscéral et digestif',
	thoracic: 'Thoracique',
	ent: 'ORL, cervico-facial et maxillo-facial',
	urological: 'Urologique',
	gynaecological: 'Gynécologique'
};

export const organLabels: Record<Organ, string> = {
	digestive: 'Digestif',
	thoracic: 'Thoracique',
	breast: 'Sein',
	gynaecological: 'Gynécologique',
	urological: 'Urologique',
	ent: 'ORL et cervico-facial'
};

export const clinicalFormLabels: Record<ClinicalForm, string> = {
	oncology_organ: 'Formulaire d’oncologie d’organe',
	haematology: 'Formulaire d’hématologie',
	heart_failure: 'Formulaire d’insuffisance cardiaque'
};

const surgeonByOrgan: Record<Organ, string> = {
	digestive: 'visceral_surgery',
	thoracic: 'thoracic_surgery',
	breast: 'gynaecological_surgery',
	gynaecological: 'gynaecological_surgery',
	urological: 'urology',
	ent: 'ent_surgery'
};

const organSpecialist: Partial<Record<Organ, string>> = {
	digestive: 'gastroenterology',
	thoracic: 'pulmonology'
};

export const heartFailureCounted = [
	'cardiology',
	'hf_cardiology',
	'cardiac_surgery',
	'electrophysiology',
	'interventional_cardiology',
	'cardiac_rehabilitation',
	'geriatrics',
	'nephrology',
	'palliative_care'
];

export interface RcpProfile {
	area: PathwayArea;
	rcpType: RcpType;
	/** Recours RCPs only; it also fixes the organ. */
	recoursCategory: RecoursCategory | null;
	/** Oncology organ RCPs; null when none is chosen. */
	organ: Organ | null;
	/** Haematology: the organising establishment is authorised for cell therapies. */
	cellTherapyAuthorised: boolean;
}

export type ProfileCheck =
	{ ok: true; profile: RcpProfile } | { ok: false; errors: Record<string, string> };

/** Checks that the parts of a profile fit together; returns a normalized copy. */
export function checkRcpProfile(p: RcpProfile): ProfileCheck {
	const errors: Record<string, string> = {};
	const profile = { ...p };
	if (profile.rcpType === 'recours') {
		if (profile.recoursCategory === null && profile.area !== 'haematology')
			errors.recoursCategory = 'Choisissez la catégorie de la RCP de recours.';
		if (profile.recoursCategory !== null) profile.organ = profile.recoursCategory;
	} else profile.recoursCategory = null;
	if (profile.area === 'heart_failure' && profile.rcpType !== 'standard')
		errors.rcpType = 'Une RCP d’insuffisance cardiaque est une RCP standard.';
	if (profile.area === 'oncology_organ' && profile.rcpType === 'standard' && profile.organ === null)
		errors.organ = 'Choisissez l’organe : il fixe le chirurgien exigé par le quorum.';
	if (profile.area !== 'oncology_organ' && profile.rcpType !== 'recours') profile.organ = null;
	if (profile.area === 'haematology') profile.recoursCategory = null;
	if (profile.area !== 'haematology') profile.cellTherapyAuthorised = false;
	return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, profile };
}

/** The référentiel's rule for a profile (a fresh copy every time). */
export function getDefaultQuorumRule(p: RcpProfile): QuorumRule {
	if (p.area === 'heart_failure')
		return {
			requiredSpecialties: ['hf_cardiology'],
			minDistinctSpecialties: 3,
			countedSpecialties: [...heartFailureCounted],
			recommendedSpecialties: []
		};
	if (p.area === 'haematology') {
		const recommended = ['pathology', 'radiology'];
		if (p.rcpType === 'recours' && p.cellTherapyAuthorised)
			recommended.push('biotherapy_pharmacist');
		return rule(['haematology'], recommended);
	}
	if (p.rcpType === 'paediatric')
		return rule(
			['paediatric_oncology', 'paediatric_surgery', 'radiation_oncology'],
			['radiology', 'pathology']
		);
	const organ = p.rcpType === 'recours' ? p.recoursCategory : p.organ;
	const required = ['medical_oncology', 'radiation_oncology'];
	if (organ !== null) required.unshift(surgeonByOrgan[organ]);
	const recommended = ['radiology', 'pathology'];
	const specialist = organ === null ? undefined : organSpecialist[organ];
	if (specialist !== undefined) {
		if (p.rcpType === 'recours') required.push(specialist);
		else recommended.push(specialist);
	}
	return rule(required, recommended);
}

function rule(required: string[], recommended: string[]): QuorumRule {
	return {
		requiredSpecialties: required,
		minDistinctSpecialties: 3,
		countedSpecialties: null,
		recommendedSpecialties: recommended
	};
}

/** The clinical form a profile uses unless the admin picks another. */
export function getDefaultClinicalForm(area: PathwayArea): ClinicalForm {
	return area === 'heart_failure'
		? 'heart_failure'
		: area === 'haematology'
			? 'haematology'
			: 'oncology_organ';
}

/** The form family the case, decision and fiche code knows (`pathway.kind`). */
export function getPathwayKind(form: ClinicalForm): 'oncology' | 'heart_failure' {
	return form === 'heart_failure' ? 'heart_failure' : 'oncology';
}

/**
 * The fields in which `rule` is looser than the type's default, each with a French message:
 * the admin may tighten a rule, never loosen it without saying so (here: refused).
 */
export function findLooserFields(rule: QuorumRule, base: QuorumRule): Record<string, string> {
	const errors: Record<string, string> = {};
	if (rule.minDistinctSpecialties < base.minDistinctSpecialties)
		errors.minDistinctSpecialties = `Le type de RCP exige au moins ${base.minDistinctSpecialties} spécialités distinctes : une valeur plus basse n’est pas permise.`;

	const required = new Set(rule.requiredSpecialties);
	const dropped = base.requiredSpecialties.filter((c) => !required.has(c));
	if (dropped.length > 0)
		errors.requiredSpecialties = `Le référentiel exige ${labels(dropped)} pour ce type de RCP : ${dropped.length === 1 ? 'elle ne peut pas être retirée' : 'elles ne peuvent pas être retirées'}.`;

	const kept = new Set([...rule.requiredSpecialties, ...(rule.recommendedSpecialties ?? [])]);
	const lost = (base.recommendedSpecialties ?? []).filter((c) => !kept.has(c));
	if (lost.length > 0)
		errors.recommendedSpecialties = `Le référentiel recommande ${labels(lost)} : gardez-la recommandée ou rendez-la obligatoire.`;

	if (base.countedSpecialties !== null) {
		const allowed = new Set([...base.countedSpecialties, ...rule.requiredSpecialties]);
		const extra =
			rule.countedSpecialties === null
				? null
				: rule.countedSpecialties.filter((c) => !allowed.has(c));
		if (extra === null)
			errors.countedSpecialties =
				'Ce type de RCP ne compte que certaines spécialités : cochez celles qui comptent.';
		else if (extra.length > 0)
			errors.countedSpecialties = `Ce type de RCP ne compte pas ${labels(extra)} pour le quorum, sauf si vous la rendez obligatoire.`;
	}
	return errors;
}

function labels(codes: string[]): string {
	return sortSpecialtyCodes(codes)
		.map((c) => getSpecialtyLabel(c))
		.join(', ');
}

/** One line for tables: « RCP de recours — Thoracique ». */
export function describeRcpType(p: Pick<RcpProfile, 'rcpType' | 'recoursCategory'>): string {
	const type = rcpTypeLabels[p.rcpType];
	return p.recoursCategory ? `${type} — ${recoursCategoryLabels[p.recoursCategory]}` : type;
}
