/**
 * Codes the CI-SIS Fiche RCP (volet CANCER-FRCP 2022.01) and the XDS metadata of the DMP take,
 * picked from the CI-SIS value sets (JDV_*_CISIS) for what Pluri records. Pure data and the
 * pure check of what a fiche needs before it may be produced.
 */

export interface Coded {
	code: string;
	codeSystem: string;
	displayName: string;
}

export const OID = Object.freeze({
	loinc: '2.16.840.1.113883.6.1',
	snomed: '2.16.840.1.113883.6.96',
	ncit: '2.16.840.1.113883.3.26.1.1',
	cim10: '2.16.840.1.113883.6.3',
	taAsip: '1.2.250.1.213.1.1.4.322',
	tnmUicc: '2.16.840.1.113883.15.6',
	rpps: '1.2.250.1.71.4.2.1',
	finess: '1.2.250.1.71.4.2.2',
	facilityType: '1.2.250.1.71.4.2.4',
	practiceSetting: '1.2.250.1.213.1.1.4.9',
	specialty: '1.2.250.1.213.1.1.4.5',
	confidentiality: '2.16.840.1.113883.5.25',
	classCode: '1.2.250.1.213.1.1.4.1',
	formatCode: '1.2.250.1.213.1.1.4.2.282'
});

const ta = (code: string, displayName: string): Coded => ({
	code,
	codeSystem: OID.taAsip,
	displayName
});
const ncit = (code: string, displayName: string): Coded => ({
	code,
	codeSystem: OID.ncit,
	displayName
});
const sct = (code: string, displayName: string): Coded => ({
	code,
	codeSystem: OID.snomed,
	displayName
});

/** Pluri's oncology proposal types in JDV_TypeTraitement_FRCP_CISIS; « exam » is a request for tests. */
export const frcpTreatmentCodes: Readonly<Record<string, Coded | 'exam'>> = Object.freeze({
	surgery: sct('387713003', 'intervention chirurgicale'),
	radiotherapy: ncit('C15313', 'radiothérapie'),
	brachytherapy: ncit('C15195', 'curiethérapie'),
	chemotherapy: ncit('C15632', 'chimiothérapie'),
	targeted_therapy: ncit('C93352', 'thérapie ciblée'),
	hormone_therapy: ncit('C547', 'Hormonothérapie'),
	immunotherapy: ncit('C15262', 'immunothérapie'),
	interventional_radiology: ncit('C63334', 'Radiologie interventionnelle'),
	therapeutic_window: ta('MED-556', 'Fenêtre thérapeutique'),
	active_surveillance: ta('MED-227', 'Surveillance active'),
	surveillance_alone: ta('MED-226', 'Surveillance seule'),
	interventional_endoscopy: ncit('C157891', 'endoscopie interventionnelle'),
	radioiodine_therapy: ta('MED-232', 'Irathérapie'),
	allograft: ta('MED-126', 'Allogreffe / Autogreffe'),
	autograft: ta('MED-126', 'Allogreffe / Autogreffe'),
	supportive_care: ncit('C15747', 'soins de support'),
	palliative_care: ncit('C15252', 'soins palliatifs'),
	further_investigations: 'exam'
});

export const EXAM_REQUEST = ta('ORG-064', "Demande d'examen ou de suivi");
export const OTHER_TREATMENT = ta('GEN-092.03.01', 'Autre(s) traitement(s)');

/** JDV_StatutQuorum_CISIS */
export function quorumCode(reached: boolean | null): Coded {
	if (reached === null) return ta('GEN-010', 'Ne sait pas');
	return reached ? ta('ORG-126', 'Quorum atteint') : ta('ORG-133', 'Quorum non atteint');
}

/** JDV_StatutCasPresente_CISIS: a fiche is only produced for a case the meeting discussed. */
export const CASE_DISCUSSED = ta('ORG-134', 'Cas discuté');
/** JDV_StatutDoc_CISIS: the chair validated the fiche. */
export const DOCUMENT_APPROVED = sct('9571008', 'approuvé');
/** JDV_NatureDiscussion_CISIS: organ RCPs. */
export const ORGAN_RCP = ta('ORG-117', 'RCP Appareil - Organes');

/** JDV_PhaseCancer_CISIS */
export const cancerPhaseCodes: Readonly<Record<string, Coded>> = Object.freeze({
	initial: ta('MED-268', 'Phase initiale du cancer'),
	relapse: ta('MED-244', 'Rechute du cancer')
});

/** JDV_OMSEchPerf_CISIS and JDV_OMSInterpret_CISIS, by WHO grade. */
export const whoPerformanceCodes: readonly { value: Coded; interpretation: Coded }[] = [
	[
		'MED-240',
		'LA9622-7',
		"Capable d'une activité identique à celle précédant la maladie sans aucune restriction."
	],
	[
		'MED-264',
		'LA9623-5',
		'Activité physique diminuée mais ambulatoire et capable de mener un travail'
	],
	[
		'MED-265',
		'LA9624-3',
		'Ambulatoire et capable de prendre soin de soi-même, incapable de travailler. Alité moins de 50 % de son temps'
	],
	[
		'MED-266',
		'LA9625-0',
		'Capable seulement de quelques soins. Alité ou en chaise plus de 50 % du temps'
	],
	[
		'MED-267',
		'LA9626-8',
		'Incapable de prendre soins de soi-même. Alité ou en chaise en permanence'
	]
].map(([code, interp, label], grade) => ({
	value: ta(code!, `Echelle de performance OMS Stade ${grade}`),
	interpretation: { code: interp!, codeSystem: OID.loinc, displayName: label! }
}));

/**
 * The apparatus and organ of the RCP (JDV_RCP_Appareil_CISIS, JDV_RCP_Organe_CISIS), from the
 * CIM-10 code of the primary site; null when Pluri has no mapping for it.
 */
export function rcpOrganOf(cim10: string): { apparatus: Coded; organ: Coded } | null {
	const c = cim10.toUpperCase();
	const n = Number.parseInt(c.slice(1, 3), 10);
	if (!c.startsWith('C') || Number.isNaN(n)) return null;
	const digestive = sct('86762007', 'système digestif');
	const thorax = sct('312419003', 'appareil respiratoire et/ou cavité thoracique');
	if (n === 15) return { apparatus: digestive, organ: sct('32849002', 'œsophage') };
	if (n === 16) return { apparatus: digestive, organ: sct('69695003', 'estomac') };
	if (n === 17) return { apparatus: digestive, organ: sct('30315005', 'intestin grêle') };
	if (n >= 18 && n <= 21)
		return { apparatus: digestive, organ: ta('MED-251', 'Colon-Rectum-Anus') };
	if (n >= 22 && n <= 24)
		return { apparatus: digestive, organ: sct('303270005', 'foie et/ou voies biliaires') };
	if (n === 25) return { apparatus: digestive, organ: sct('15776009', 'pancréas') };
	if (n === 26) return { apparatus: digestive, organ: digestive };
	if (n === 33 || n === 34)
		return { apparatus: thorax, organ: ta('MED-255', 'Trachée, Bronches, Poumon') };
	if (n === 45) return { apparatus: thorax, organ: sct('3120008', 'plèvre') };
	if (n === 37 || n === 38) return { apparatus: thorax, organ: sct('72410000', 'médiastin') };
	if (n === 39) return { apparatus: thorax, organ: thorax };
	if (n === 50) return { apparatus: sct('76752008', 'sein'), organ: sct('76752008', 'sein') };
	return null;
}

/** JDV_J01_XdsAuthorSpecialty_CISIS (RPPS specialties) for Pluri's specialties. */
const specialtyCodes: Readonly<Record<string, [string, string]>> = {
	medical_oncology: ['SM36', 'Oncologie, opt médicale'],
	radiation_oncology: ['SM37', 'Oncologie, opt radiothérapie'],
	visceral_surgery: ['SM14', 'Chirurgie viscérale et digestive'],
	thoracic_surgery: ['SM11', 'Chirurgie thoracique et cardio-vasculaire'],
	gynaecological_surgery: ['SM20', 'Gynécologie-obstétrique'],
	radiology: ['SM44', 'Radio-diagnostic'],
	pathology: ['SM01', 'Anatomie et Cytologie pathologiques'],
	gastroenterology: ['SM24', 'Gastro-entérologie et hépatologie'],
	pulmonology: ['SM41', 'Pneumologie'],
	nuclear_medicine: ['SM28', 'Médecine nucléaire'],
	cardiology: ['SM04', 'Cardiologie et maladies vasculaires'],
	hf_cardiology: ['SM04', 'Cardiologie et maladies vasculaires'],
	electrophysiology: ['SM04', 'Cardiologie et maladies vasculaires'],
	interventional_cardiology: [
		'SM79',
		'Médecine cardiovasculaire option cardiologie interventionnelle'
	],
	cardiac_surgery: ['SM11', 'Chirurgie thoracique et cardio-vasculaire'],
	cardiac_rehabilitation: ['SM29', 'Médecine physique et réadaptation'],
	geriatrics: ['SM18', 'Gériatrie'],
	nephrology: ['SM30', 'Néphrologie'],
	general_practice: ['SM26', 'Qualifié en Médecine Générale']
};

/** The author's profession and specialty; a doctor without a mapped specialty is « Médecin ». */
export function authorSpecialtyCode(specialty: string | null | undefined): Coded {
	const s = specialty ? specialtyCodes[specialty] : undefined;
	return s
		? { code: `G15_10/${s[0]}`, codeSystem: OID.specialty, displayName: `Médecin - ${s[1]} (SM)` }
		: { code: 'G15_10', codeSystem: OID.specialty, displayName: 'Médecin' };
}

/** JDV_J02_XdsHealthcareFacilityTypeCode_CISIS by establishment kind. */
export function facilityTypeCode(kind: string | null | undefined): Coded {
	const byKind: Record<string, [string, string]> = {
		hospital: ['SA01', 'Etablissement public de santé'],
		clinic: ['SA04', 'Etablissement privé non PSPH'],
		health_centre: ['SA05', 'Centre de santé'],
		practice: ['SA08', 'Cabinet de groupe']
	};
	const [code, displayName] = byKind[kind ?? ''] ?? ['SA30', 'Autre établissement sanitaire'];
	return { code, codeSystem: OID.facilityType, displayName };
}

/** JDV_J04_XdsPracticeSettingCode_CISIS: an RCP is held by an establishment (or a practice). */
export function practiceSettingCode(kind: string | null | undefined): Coded {
	return kind === 'practice'
		? { code: 'AMBULATOIRE', codeSystem: OID.practiceSetting, displayName: 'Ambulatoire' }
		: {
				code: 'ETABLISSEMENT',
				codeSystem: OID.practiceSetting,
				displayName: 'Etablissement de santé'
			};
}

/** XDS classCode (TRE_A03 ClasseDocument), typeCode (J07), confidentiality (J08), formatCode (J10). */
export const XDS_CLASS_CODE: Coded = {
	code: '10',
	codeSystem: OID.classCode,
	displayName: 'Compte rendu'
};
export const FRCP_TYPE_CODE: Coded = {
	code: '34794-8',
	codeSystem: OID.loinc,
	displayName: 'CR de réunion de concertation pluridisciplinaire'
};
export const CONFIDENTIALITY_NORMAL: Coded = {
	code: 'N',
	codeSystem: OID.confidentiality,
	displayName: 'Normal'
};
export const FRCP_FORMAT_CODE: Coded = {
	code: 'urn:asip:ci-sis:frcp:2011',
	codeSystem: OID.formatCode,
	displayName: 'Fiche de réunion de concertation pluridisciplinaire'
};

/** What the fiche is produced from, reduced to what the volet makes mandatory. */
export interface CdaReadinessInput {
	pathwayKind: 'oncology' | 'heart_failure' | string;
	decisionStatus: string;
	identityStatus: string;
	insMatricule: string | null;
	insOid: string | null;
	authorRpps: string | null;
	establishmentFiness: string | null;
	hasMeeting: boolean;
	primarySite: string | null;
	tnm: { cT?: string | null; cN?: string | null; cM?: string | null };
}

/**
 * Why a Fiche RCP (CDA) cannot be produced, in French for the coordinator; empty when it can.
 * Heart failure has no CI-SIS volet: it is not a blocker, the fiche simply does not exist.
 */
export function listCdaBlockers(i: CdaReadinessInput): string[] {
	const out: string[] = [];
	if (i.pathwayKind !== 'oncology') return out;
	if (i.decisionStatus !== 'validated' && i.decisionStatus !== 'superseded') {
		out.push('Un avis provisoire (quorum non atteint) ne fait pas l’objet d’une fiche RCP CDA.');
		return out;
	}
	if (i.identityStatus !== 'qualified' || !i.insMatricule || !i.insOid) {
		out.push(
			'L’identité du patient n’est pas qualifiée (INS) : elle ne peut pas alimenter le DMP. Qualifiez l’identité puis renvoyez la fiche.'
		);
	}
	if (!i.authorRpps) {
		out.push('Le président de séance n’a pas de numéro RPPS : la fiche ne peut pas être signée.');
	}
	if (!i.establishmentFiness) {
		out.push('L’établissement organisateur de la RCP n’a pas de numéro FINESS.');
	}
	if (!i.hasMeeting) out.push('La décision n’est rattachée à aucune séance.');
	if (!i.primarySite) {
		out.push('La localisation primitive (CIM-10) n’est pas renseignée.');
	} else if (!rcpOrganOf(i.primarySite)) {
		out.push(
			`La localisation primitive « ${i.primarySite} » ne correspond à aucun organe du volet Fiche RCP.`
		);
	}
	if (!i.tnm.cT && !i.tnm.cN && !i.tnm.cM) {
		out.push(
			'Le stade TNM clinique (cT, cN, cM) n’est pas renseigné : le volet Fiche RCP l’exige.'
		);
	}
	return out;
}
