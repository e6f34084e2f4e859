/**
 * Specialties and roles that take part in an RCP: the built-in catalog (seeded into the
 * `specialty` table at install) and a pure lookup layer over the catalog in use.
 *
 * Codes are Pluri's own stable keys (stored on users, attendance, opinions and quorum rules).
 * Each physician entry lists the RPPS « savoir-faire » codes it stands for, from the ANS
 * nomenclature TRE_R38-SpecialiteOrdinale as the value set JDV_J107-EnsembleSavoirFaire-RASS
 * publishes it (ANS terminologies IG 1.12.0, July 2026): SM01–SM95 are all mapped. Quorum needs
 * finer roles than that nomenclature (thoracic and cardiac surgery share SM11; heart-failure
 * cardiology and cardiac rehabilitation have no code), so the mapping is many-to-one and these
 * are judgement calls: SM05 (general surgery) → visceral surgery, SM33 (neuro-psychiatry) →
 * neurology, SM35 (oncology, onco-haematology option) → haematology, SM29 → physical medicine
 * (not cardiac rehabilitation). An RPPS code listed under several entries resolves to the first
 * in catalog order. Palliative care uses the DNQ/DEC/SST codes of the same value set.
 * Non-physician roles carry no savoir-faire code and never count toward the quorum (which
 * counts doctors, DESIGN §3), though a rule may recommend them.
 */

export const specialtyCategories = [
	'physician',
	'pharmacist',
	'nurse',
	'other_professional'
] as const;
export type SpecialtyCategory = (typeof specialtyCategories)[number];

export interface SpecialtyEntry {
	code: string;
	label: string;
	category: SpecialtyCategory;
	rppsCodes: readonly string[];
	countsTowardQuorum: boolean;
	active: boolean;
}

export const GENERAL_PRACTICE = 'general_practice';

type Seed = [code: string, label: string, rppsCodes: string[]];

const physicians: Seed[] = [
	// The twenty codes Pluri had before the table, labels unchanged (demo data and stored rules).
	['medical_oncology', 'Oncologie médicale', ['SM36']],
	['radiation_oncology', 'Oncologie radiothérapie', ['SM37', 'SM45']],
	['visceral_surgery', 'Chirurgie viscérale et digestive', ['SM14', 'SM78', 'SM05']],
	['thoracic_surgery', 'Chirurgie thoracique', ['SM11']],
	['gynaecological_surgery', 'Chirurgie gynécologique et sénologique', ['SM20', 'SM51']],
	['radiology', 'Radiologie', ['SM44', 'SM74', 'SM94', 'SM55']],
	['pathology', 'Anatomie et cytologie pathologiques', ['SM01']],
	['gastroenterology', 'Hépato-gastro-entérologie', ['SM24']],
	['pulmonology', 'Pneumologie', ['SM41', 'SM91']],
	['nuclear_medicine', 'Médecine nucléaire', ['SM28']],
	['cardiology', 'Cardiologie', ['SM04', 'SM73', 'SM80']],
	['hf_cardiology', 'Cardiologie – insuffisance cardiaque', []],
	['cardiac_surgery', 'Chirurgie cardiaque', ['SM11']],
	['electrophysiology', 'Rythmologie', ['SM81']],
	['interventional_cardiology', 'Cardiologie interventionnelle', ['SM79']],
	['cardiac_rehabilitation', 'Réadaptation cardiaque', []],
	['geriatrics', 'Gériatrie', ['SM18']],
	['nephrology', 'Néphrologie', ['SM30', 'SM83']],
	['palliative_care', 'Soins palliatifs', ['DSM235', 'DEC12', 'SST17']],
	[GENERAL_PRACTICE, 'Médecine générale', ['SM26', 'SM53', 'SM54']],
	// Added with the table: the rest of the nomenclature.
	['haematology', 'Hématologie', ['SM21', 'SM22', 'SM23', 'SM71', 'SM35']],
	['urology', 'Chirurgie urologique', ['SM12']],
	['ent_surgery', 'ORL et chirurgie cervico-faciale', ['SM34', 'SM39', 'SM86']],
	['maxillofacial_surgery', 'Chirurgie maxillo-faciale', ['SM06', 'SM07', 'SM68', 'SM77']],
	['dermatology', 'Dermatologie et vénéréologie', ['SM15']],
	['neurology', 'Neurologie', ['SM32', 'SM84', 'SM33']],
	['neurosurgery', 'Neurochirurgie', ['SM31']],
	['paediatrics', 'Pédiatrie', ['SM40', 'SM87', 'SM88', 'SM89', 'SM90']],
	['paediatric_oncology', 'Hémato-oncologie pédiatrique', ['SST03']],
	['paediatric_surgery', 'Chirurgie pédiatrique', ['SM09', 'SM69', 'SM70']],
	['orthopaedic_surgery', 'Chirurgie orthopédique et traumatologie', ['SM08']],
	['plastic_surgery', 'Chirurgie plastique, reconstructrice et esthétique', ['SM10']],
	['vascular_surgery', 'Chirurgie vasculaire', ['SM13']],
	['endocrinology', 'Endocrinologie, diabétologie, nutrition', ['SM16', 'SM62']],
	['internal_medicine', 'Médecine interne', ['SM27', 'SM72']],
	['medical_genetics', 'Génétique médicale', ['SM17']],
	['medical_gynaecology', 'Gynécologie médicale', ['SM19', 'SM52']],
	['anaesthesiology', 'Anesthésie-réanimation', ['SM02', 'SM76']],
	['intensive_care', 'Médecine intensive-réanimation', ['SM46', 'SM82']],
	['medical_biology', 'Biologie médicale', ['SM03', 'SM63', 'SM64', 'SM65', 'SM66', 'SM67']],
	['psychiatry', 'Psychiatrie', ['SM42', 'SM43', 'SM92', 'SM93']],
	['rheumatology', 'Rhumatologie', ['SM48']],
	['ophthalmology', 'Ophtalmologie', ['SM38', 'SM85']],
	['infectious_diseases', 'Maladies infectieuses et tropicales', ['SM58']],
	['physical_medicine', 'Médecine physique et de réadaptation', ['SM29']],
	['stomatology', 'Stomatologie et chirurgie orale', ['SM50', 'SM56']],
	['vascular_medicine', 'Médecine vasculaire', ['SM61']],
	['allergology', 'Allergologie', ['SM57']],
	['emergency_medicine', 'Médecine d’urgence', ['SM59']],
	['occupational_medicine', 'Médecine du travail', ['SM25']],
	['forensic_medicine', 'Médecine légale et expertises médicales', ['SM60']],
	['public_health', 'Santé publique', ['SM49', 'SM75', 'SM95']],
	['medical_research', 'Recherche médicale', ['SM47']]
];

const otherRoles: [code: string, label: string, category: SpecialtyCategory, rpps: string[]][] = [
	['pharmacist', 'Pharmacien(ne)', 'pharmacist', []],
	['biotherapy_pharmacist', 'Pharmacien(ne) référent(e) en biothérapies', 'pharmacist', []],
	['nurse', 'Infirmier(e)', 'nurse', []],
	['coordinating_nurse', 'Infirmier(e) de coordination', 'nurse', []],
	[
		'advanced_practice_nurse',
		'Infirmier(e) en pratique avancée',
		'nurse',
		['SI01', 'SI02', 'SI03', 'SI04', 'SI05']
	],
	['psychologist', 'Psychologue', 'other_professional', []],
	['dietitian', 'Diététicien(ne)', 'other_professional', []],
	['social_worker', 'Assistant(e) de service social', 'other_professional', []],
	['genetic_counsellor', 'Conseiller(ère) en génétique', 'other_professional', []],
	['clinical_research_associate', 'Attaché(e) de recherche clinique', 'other_professional', []]
];

/** The built-in catalog, in display order: what a new install's `specialty` table holds. */
export const specialtyCatalog: readonly SpecialtyEntry[] = Object.freeze([
	...physicians.map(([code, label, rppsCodes]) => ({
		code,
		label,
		category: 'physician' as const,
		rppsCodes,
		countsTowardQuorum: code !== GENERAL_PRACTICE,
		active: true
	})),
	...otherRoles.map(([code, label, category, rppsCodes]) => ({
		code,
		label,
		category,
		rppsCodes,
		countsTowardQuorum: false,
		active: true
	}))
]);

/** Kept for the forms that list the catalog; the server installs the table's rows below. */
export const specialties = specialtyCatalog;

/** RPPS profession codes (TRE_G15) that need no savoir-faire to be placed (judgement call). */
export const professionDefaults: Readonly<Record<string, string>> = {
	'21': 'pharmacist',
	'60': 'nurse',
	'93': 'psychologist'
};

export const specialtyCategoryLabels: Record<SpecialtyCategory, string> = {
	physician: 'Médecin',
	pharmacist: 'Pharmacien',
	nurse: 'Infirmier',
	other_professional: 'Autre professionnel'
};

interface Registry {
	entries: readonly SpecialtyEntry[];
	byCode: ReadonlyMap<string, SpecialtyEntry>;
	order: ReadonlyMap<string, number>;
	byRpps: ReadonlyMap<string, SpecialtyEntry>;
}

function buildRegistry(entries: readonly SpecialtyEntry[]): Registry {
	const byRpps = new Map<string, SpecialtyEntry>();
	for (const e of entries) {
		if (!e.active) continue;
		for (const r of e.rppsCodes) if (!byRpps.has(r.toUpperCase())) byRpps.set(r.toUpperCase(), e);
	}
	return {
		entries,
		byCode: new Map(entries.map((e) => [e.code, e])),
		order: new Map(entries.map((e, i) => [e.code, i])),
		byRpps
	};
}

let registry = buildRegistry(specialtyCatalog);

/** Replaces the catalog in use (the server calls it with the table's rows, in display order). */
export function installSpecialties(entries: readonly SpecialtyEntry[]): void {
	registry = buildRegistry(entries.length > 0 ? [...entries] : specialtyCatalog);
}

/** Every entry of the catalog in use, inactive ones included, in display order. */
export function listSpecialtyEntries(): readonly SpecialtyEntry[] {
	return registry.entries;
}

export function getSpecialtyEntry(code: string): SpecialtyEntry | undefined {
	return registry.byCode.get(code);
}

/** A known, active code: what new input (forms, imports, rules) may use. */
export function isSpecialtyCode(x: string): boolean {
	return registry.byCode.get(x)?.active === true;
}

/** Unknown codes count (stale data stays counted as before); GPs and non-physicians do not. */
export function countsTowardQuorum(code: string): boolean {
	if (code === GENERAL_PRACTICE || code === '') return false;
	return registry.byCode.get(code)?.countsTowardQuorum ?? true;
}

/** The entry an RPPS savoir-faire code (SM36…) stands for, or a Pluri code given as is. */
export function findSpecialtyForRppsCode(code: string): SpecialtyEntry | undefined {
	const trimmed = code.trim();
	const direct = registry.byCode.get(trimmed);
	if (direct?.active) return direct;
	return registry.byRpps.get(trimmed.toUpperCase());
}

/** French label; an unknown code is shown as is so that stale data stays readable. */
export function getSpecialtyLabel(code: string | null | undefined): string {
	if (code === null || code === undefined || code === '') return 'Spécialité non renseignée';
	return registry.byCode.get(code)?.label ?? code;
}

/** Sorts codes by catalog order, unknown codes last in alphabetical order; returns a new array. */
export function sortSpecialtyCodes(codes: Iterable<string>): string[] {
	const order = registry.order;
	return [...codes].sort((a, b) => {
		const ia = order.get(a) ?? Number.POSITIVE_INFINITY;
		const ib = order.get(b) ?? Number.POSITIVE_INFINITY;
		if (ia !== ib) return ia < ib ? -1 : 1;
		return a < b ? -1 : a > b ? 1 : 0;
	});
}

export type SpecialtyCodeCheck = { ok: true; code: string } | { ok: false; error: string };

/** Checks a new code typed by the admin: lower-case letters, digits and underscores. */
export function checkNewSpecialtyCode(code: string): SpecialtyCodeCheck {
	const c = code.trim();
	if (!/^[a-z][a-z0-9_]{1,39}$/.test(c))
		return {
			ok: false,
			error:
				'Le code comporte de 2 à 40 caractères : lettres minuscules sans accent, chiffres et « _ », en commençant par une lettre.'
		};
	if (registry.byCode.has(c)) return { ok: false, error: 'Une spécialité porte déjà ce code.' };
	return { ok: true, code: c };
}

/** Parses « SM36, SM37 » into a clean list; refuses what is not a savoir-faire code. */
export function parseRppsCodes(
	text: string
): { ok: true; codes: string[] } | { ok: false; error: string } {
	const codes = [
		...new Set(
			text
				.split(/[\s,;]+/)
				.map((s) => s.trim().toUpperCase())
				.filter(Boolean)
		)
	];
	const bad = codes.find((c) => !/^[A-Z]{1,4}\d{2,3}$/.test(c));
	if (bad !== undefined)
		return {
			ok: false,
			error: `« ${bad} » n’est pas un code de savoir-faire RPPS (exemple : SM36).`
		};
	return { ok: true, codes };
}
