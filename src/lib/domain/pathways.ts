import type { QuorumRule } from './quorum';

export type PathwayKind = 'oncology' | 'heart_failure';

export interface PathwayDefinition {
	code: string;
	name: string;
	kind: PathwayKind;
	organ: string | null;
	quorumRule: QuorumRule;
	submissionDeadlineHours: number;
	freshnessDays: number;
	recommendedSpecialties: string[];
}

export interface ProposalType {
	code: string;
	label: string;
}

// INCa 2023 defaults: surgeon + medical oncologist + radiation oncologist, 3 distinct specialties.
function oncologyRule(surgery: string): QuorumRule {
	return {
		requiredSpecialties: [surgery, 'medical_oncology', 'radiation_oncology'],
		minDistinctSpecialties: 3,
		countedSpecialties: null
	};
}

/** The four pathways seeded on a new instance; the admin may edit their rules afterwards. */
export const defaultPathways: readonly PathwayDefinition[] = deepFreeze([
	{
		code: 'onco-digestive',
		name: 'RCP oncologie digestive',
		kind: 'oncology',
		organ: 'digestive',
		quorumRule: oncologyRule('visceral_surgery'),
		submissionDeadlineHours: 48,
		freshnessDays: 90,
		recommendedSpecialties: ['radiology', 'pathology', 'gastroenterology']
	},
	{
		code: 'onco-thoracic',
		name: 'RCP oncologie thoracique',
		kind: 'oncology',
		organ: 'thoracic',
		quorumRule: oncologyRule('thoracic_surgery'),
		submissionDeadlineHours: 48,
		freshnessDays: 90,
		recommendedSpecialties: ['radiology', 'pathology', 'pulmonology']
	},
	{
		code: 'onco-breast',
		name: 'RCP sénologie',
		kind: 'oncology',
		organ: 'breast',
		quorumRule: oncologyRule('gynaecological_surgery'),
		submissionDeadlineHours: 48,
		freshnessDays: 90,
		recommendedSpecialties: ['radiology', 'pathology', 'nuclear_medicine']
	},
	{
		// No national text: judgement call documented in DESIGN §3.
		code: 'heart-failure',
		name: 'RCP insuffisance cardiaque',
		kind: 'heart_failure',
		organ: null,
		quorumRule: {
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
		},
		submissionDeadlineHours: 48,
		freshnessDays: 180,
		recommendedSpecialties: ['cardiac_surgery', 'electrophysiology', 'interventional_cardiology']
	}
]);

/** Returns a mutable copy, so that editing a pathway can never alter the shared catalog. */
export function getPathwayDefinition(code: string): PathwayDefinition | undefined {
	const found = defaultPathways.find((p) => p.code === code);
	return found === undefined ? undefined : structuredClone(found);
}

function deepFreeze<T>(value: T): T {
	if (typeof value === 'object' && value !== null) {
		for (const v of Object.values(value)) deepFreeze(v);
		Object.freeze(value);
	}
	return value;
}

/** Oncology proposal types, after the CI-SIS fiche RCP value set. */
export const oncologyProposalTypes: readonly ProposalType[] = deepFreeze([
	{ code: 'surgery', label: 'Chirurgie' },
	{ code: 'radiotherapy', label: 'Radiothérapie' },
	{ code: 'brachytherapy', label: 'Curiethérapie' },
	{ code: 'chemotherapy', label: 'Chimiothérapie' },
	{ code: 'targeted_therapy', label: 'Thérapie ciblée' },
	{ code: 'hormone_therapy', label: 'Hormonothérapie' },
	{ code: 'immunotherapy', label: 'Immunothérapie' },
	{ code: 'interventional_radiology', label: 'Radiologie interventionnelle' },
	{ code: 'therapeutic_window', label: 'Fenêtre thérapeutique' },
	{ code: 'active_surveillance', label: 'Surveillance active' },
	{ code: 'surveillance_alone', label: 'Surveillance simple' },
	{ code: 'interventional_endoscopy', label: 'Endoscopie interventionnelle' },
	{ code: 'radioiodine_therapy', label: 'IRA-thérapie (radio-iode)' },
	{ code: 'allograft', label: 'Allogreffe' },
	{ code: 'autograft', label: 'Autogreffe' },
	{ code: 'supportive_care', label: 'Soins de support' },
	{ code: 'palliative_care', label: 'Soins palliatifs' },
	{ code: 'further_investigations', label: 'Examens complémentaires' }
]);

export const heartFailureProposalTypes: readonly ProposalType[] = deepFreeze([
	{ code: 'therapy_titration', label: 'Titration du traitement' },
	{ code: 'device_implantation', label: 'Implantation de dispositif' },
	{ code: 'ablation', label: 'Ablation' },
	{ code: 'valve_intervention', label: 'Intervention valvulaire' },
	{ code: 'cardiac_rehabilitation', label: 'Réadaptation cardiaque' },
	{
		code: 'transplant_lvad_evaluation',
		label: 'Évaluation transplantation / assistance ventriculaire'
	},
	{ code: 'palliative_care', label: 'Soins palliatifs' },
	{ code: 'further_investigations', label: 'Examens complémentaires' }
]);

export function getProposalTypes(kind: PathwayKind): readonly ProposalType[] {
	return kind === 'oncology' ? oncologyProposalTypes : heartFailureProposalTypes;
}

/** Label of a proposal type for a pathway kind; unknown codes are shown as is. */
export function getProposalTypeLabel(kind: PathwayKind, code: string): string {
	return getProposalTypes(kind).find((t) => t.code === code)?.label ?? code;
}

export function isProposalType(kind: PathwayKind, code: string): boolean {
	return getProposalTypes(kind).some((t) => t.code === code);
}
