/** OIDs of the INS identifier systems (ANS). */
export const insOids = {
	nir: '1.2.250.1.213.1.4.8',
	nia: '1.2.250.1.213.1.4.9',
	test: '1.2.250.1.213.1.4.10',
	demo: '1.2.250.1.213.1.4.11'
} as const;

export type InsCheck =
	| {
			ok: true;
			/** normalized, 15 characters */
			matricule: string;
			kind: 'NIR' | 'NIA';
			sex: 'M' | 'F';
			birthYear2: string;
			/** null when the month is not 01–12 (unknown or fictitious month) */
			birthMonth: string | null;
	  }
	| { ok: false; error: string };

// Sex digit, year, month, department (2A/2B for Corsica), commune, order number, key.
const MATRICULE_SHAPE = /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}$/;
const FIRST13_SHAPE = /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{6}$/;

const ERROR_EMPTY = 'Le matricule INS est obligatoire.';
const ERROR_LENGTH =
	'Le matricule INS doit comporter 15 caractères : 13 pour le NIR ou le NIA et 2 pour la clé.';
const ERROR_CHARACTERS =
	'Le matricule INS ne contient que des chiffres, sauf 2A ou 2B (6e et 7e caractères) pour une naissance en Corse.';
// The key is never shown: the typo is usually in the digits, and a shown key invites "fixing" it.
const ERROR_KEY =
	'Le matricule INS ne correspond pas à sa clé (2 derniers chiffres) : une erreur de saisie s’est glissée. Vérifiez chaque chiffre sur la carte Vitale ou l’attestation de droits.';
const ERROR_FIRST_DIGIT =
	'Le premier chiffre du matricule INS doit être 1, 2, 3 ou 4 (NIR) ou 7 ou 8 (NIA).';
const ERROR_MONTH =
	'Le mois de naissance du matricule INS (4e et 5e chiffres) doit être compris entre 01 et 12, entre 20 et 42 ou entre 50 et 99.';

/** « 1er », « 2e »… */
function ordinal(n: number): string {
	return n === 1 ? '1er' : `${n}e`;
}

/**
 * The first letter typed where a digit belongs (2A/2B in 6th-7th position are Corsica's), as
 * a French message naming it; null when there is none. Only what was typed is repeated: the
 * message never says which digit or key was expected.
 */
function findLetterError(matricule: string): string | null {
	const corsican = /^2[AB]$/.test(matricule.slice(5, 7));
	for (let i = 0; i < matricule.length; i++) {
		const c = matricule.charAt(i);
		if (!/\p{L}/u.test(c)) continue;
		if (corsican && (i === 5 || i === 6)) continue;
		return `Le ${ordinal(i + 1)} caractère du matricule INS est une lettre (« ${c} ») : le matricule ne contient que des chiffres, sauf 2A ou 2B (6e et 7e caractères) pour une naissance en Corse. Vérifiez-le sur la carte Vitale ou l’attestation de droits (la lettre O à la place du chiffre 0, par exemple).`;
	}
	return null;
}

function normalizeIns(input: string): string {
	return input.replace(/\s+/g, '').toUpperCase();
}

/** Key = 97 − (first 13 digits mod 97), Corsica 2A → 19 and 2B → 18 first. */
export function computeInsKey(first13: string): string {
	const normalized = normalizeIns(first13);
	if (!FIRST13_SHAPE.test(normalized)) {
		throw new RangeError(`computeInsKey expects 13 NIR characters, got "${first13}"`);
	}
	const department = normalized.slice(5, 7);
	const corsican = department === '2A' ? '19' : department === '2B' ? '18' : department;
	const digits = normalized.slice(0, 5) + corsican + normalized.slice(7);
	const remainder = Number(BigInt(digits) % 97n);
	return String(97 - remainder).padStart(2, '0');
}

function isAllowedMonth(month: number): boolean {
	return (
		(month >= 1 && month <= 12) || (month >= 20 && month <= 42) || (month >= 50 && month <= 99)
	);
}

export function checkIns(input: string): InsCheck {
	const matricule = normalizeIns(input);
	if (matricule === '') return { ok: false, error: ERROR_EMPTY };
	// A letter is named before the length: « 15 caractères » would send the user counting.
	const letter = findLetterError(matricule);
	if (letter) return { ok: false, error: letter };
	if (matricule.length !== 15) return { ok: false, error: ERROR_LENGTH };
	if (!MATRICULE_SHAPE.test(matricule)) return { ok: false, error: ERROR_CHARACTERS };

	const first = matricule.charAt(0);
	let kind: 'NIR' | 'NIA';
	let sex: 'M' | 'F';
	if (first === '1' || first === '3') [kind, sex] = ['NIR', 'M'];
	else if (first === '2' || first === '4') [kind, sex] = ['NIR', 'F'];
	else if (first === '7') [kind, sex] = ['NIA', 'M'];
	else if (first === '8') [kind, sex] = ['NIA', 'F'];
	else return { ok: false, error: ERROR_FIRST_DIGIT };

	const monthText = matricule.slice(3, 5);
	const month = Number(monthText);
	if (!isAllowedMonth(month)) return { ok: false, error: ERROR_MONTH };

	const expectedKey = computeInsKey(matricule.slice(0, 13));
	if (matricule.slice(13) !== expectedKey) return { ok: false, error: ERROR_KEY };

	return {
		ok: true,
		matricule,
		kind,
		sex,
		birthYear2: matricule.slice(1, 3),
		birthMonth: month <= 12 ? monthText : null
	};
}

const SEX_LABELS = { M: 'masculin', F: 'féminin' } as const;

/**
 * Lists contradictions between a matricule and the identity traits (French messages).
 * An invalid matricule, an indeterminate sex or a malformed birth date is not checked here:
 * those have their own validation messages.
 */
export function checkInsTraits(
	ins: string,
	traits: { sex: 'M' | 'F' | 'I'; birthDate: string }
): string[] {
	const check = checkIns(ins);
	if (!check.ok) return [];
	const problems: string[] = [];

	if (traits.sex !== 'I' && traits.sex !== check.sex) {
		problems.push(
			`Le sexe (${SEX_LABELS[traits.sex]}) ne correspond pas au matricule INS (${SEX_LABELS[check.sex]}).`
		);
	}

	const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(traits.birthDate);
	if (date !== null) {
		const [, year = '', month = ''] = date;
		if (year.slice(2) !== check.birthYear2) {
			problems.push(
				`L'année de naissance (${year}) ne correspond pas au matricule INS (année se terminant par ${check.birthYear2}).`
			);
		}
		if (check.birthMonth !== null && month !== check.birthMonth) {
			problems.push(
				`Le mois de naissance (${month}) ne correspond pas au matricule INS (mois ${check.birthMonth}).`
			);
		}
	}
	return problems;
}

/** Groups as printed on the carte Vitale: 1 84 12 76 451 089 46. Other input is returned normalized. */
export function formatIns(matricule: string): string {
	const m = normalizeIns(matricule);
	if (m.length !== 15) return m;
	return [
		m.slice(0, 1),
		m.slice(1, 3),
		m.slice(3, 5),
		m.slice(5, 7),
		m.slice(7, 10),
		m.slice(10, 13),
		m.slice(13, 15)
	].join(' ');
}
