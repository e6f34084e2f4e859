/** Catalog of medical specialties used for attendance and quorum, in display order. */
export const specialties = [
	{ code: 'medical_oncology', label: 'Oncologie médicale' },
	{ code: 'radiation_oncology', label: 'Oncologie radiothérapie' },
	{ code: 'visceral_surgery', label: 'Chirurgie viscérale et digestive' },
	{ code: 'thoracic_surgery', label: 'Chirurgie thoracique' },
	{ code: 'gynaecological_surgery', label: 'Chirurgie gynécologique et sénologique' },
	{ code: 'radiology', label: 'Radiologie' },
	{ code: 'pathology', label: 'Anatomie et cytologie pathologiques' },
	{ code: 'gastroenterology', label: 'Hépato-gastro-entérologie' },
	{ code: 'pulmonology', label: 'Pneumologie' },
	{ code: 'nuclear_medicine', label: 'Médecine nucléaire' },
	{ code: 'cardiology', label: 'Cardiologie' },
	{ code: 'hf_cardiology', label: 'Cardiologie – insuffisance cardiaque' },
	{ code: 'cardiac_surgery', label: 'Chirurgie cardiaque' },
	{ code: 'electrophysiology', label: 'Rythmologie' },
	{ code: 'interventional_cardiology', label: 'Cardiologie interventionnelle' },
	{ code: 'cardiac_rehabilitation', label: 'Réadaptation cardiaque' },
	{ code: 'geriatrics', label: 'Gériatrie' },
	{ code: 'nephrology', label: 'Néphrologie' },
	{ code: 'palliative_care', label: 'Soins palliatifs' },
	{ code: 'general_practice', label: 'Médecine générale' }
] as const;

export type SpecialtyCode = (typeof specialties)[number]['code'];

const labelsByCode: ReadonlyMap<string, string> = new Map(
	specialties.map((s) => [s.code, s.label])
);
const orderByCode: ReadonlyMap<string, number> = new Map(specialties.map((s, i) => [s.code, i]));

export function isSpecialtyCode(x: string): x is SpecialtyCode {
	return labelsByCode.has(x);
}

/** French label; an unknown code is shown as is so that stale data stays readable. */
export function getSpecialtyLabel(code: string | null | undefined): string {
	if (code === null || code === undefined || code === '') return 'Spécialité non renseignée';
	return labelsByCode.get(code) ?? code;
}

/** Sorts codes by catalog order, unknown codes last in alphabetical order; returns a new array. */
export function sortSpecialtyCodes(codes: Iterable<string>): string[] {
	return [...codes].sort((a, b) => {
		const ia = orderByCode.get(a) ?? Number.POSITIVE_INFINITY;
		const ib = orderByCode.get(b) ?? Number.POSITIVE_INFINITY;
		if (ia !== ib) return ia < ib ? -1 : 1;
		return a < b ? -1 : a > b ? 1 : 0;
	});
}
