/**
 * What the search box was given: a birth or meeting date (JJ/MM/AAAA), an INS or NIR, or
 * words (a patient's name, words of a case's question). Pure: no I/O, unit-tested.
 */
import { checkIns } from './ins';

export const SEARCH_TEXT_MAX = 100;
/** Words shorter than this are ignored (« de », « la »): they would match everything. */
const MIN_WORD = 2;
/** At most this many words are searched. */
const MAX_WORDS = 6;

export type SearchQuery =
	| { kind: 'empty' }
	/** A calendar day, ISO `YYYY-MM-DD`: patients born that day, cases of a meeting that day. */
	| { kind: 'date'; date: string }
	/** A full INS matricule (15 characters, key checked) or the 13 characters of a NIR/NIA. */
	| { kind: 'ins'; matricule: string; partial: boolean }
	/** Folded words (upper case, no accents, letters and digits only). */
	| { kind: 'text'; words: string[] }
	/** Something the user meant as a date or an INS but that cannot be one; the message says why. */
	| { kind: 'invalid'; message: string };

const FOLD_PAIRS: readonly [string, string][] = [
	['Œ', 'OE'],
	['œ', 'oe'],
	['Æ', 'AE'],
	['æ', 'ae'],
	['ß', 'ss']
];

/** Upper case without accents, as identity vigilance compares names by eye: « Lefèvre » → « LEFEVRE ». */
export function foldSearchText(text: string): string {
	let out = text;
	for (const [from, to] of FOLD_PAIRS) out = out.split(from).join(to);
	return out
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toUpperCase();
}

/** The words of a text, folded; punctuation (hyphen, apostrophe) separates words. */
export function splitSearchWords(text: string): string[] {
	return foldSearchText(text)
		.split(/[^A-Z0-9]+/)
		.filter((w) => w.length >= MIN_WORD)
		.slice(0, MAX_WORDS);
}

function daysInMonth(year: number, month: number): number {
	return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const DATE_SHAPE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;
const ISO_DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** « 21/03/1958 » (or 21.03.1958, 21-03-1958, 1958-03-21) → « 1958-03-21 »; null if not a date shape. */
export function parseFrenchDate(text: string): { ok: true; date: string } | { ok: false } | null {
	const fr = DATE_SHAPE.exec(text);
	const iso = fr ? null : ISO_DATE_SHAPE.exec(text);
	if (!fr && !iso) return null;
	const [d, m, y] = fr ? [fr[1], fr[2], fr[3]] : [iso![3], iso![2], iso![1]];
	const day = Number(d);
	const month = Number(m);
	const year = Number(y);
	if (month < 1 || month > 12 || day < 1 || year < 1900 || day > daysInMonth(year, month)) {
		return { ok: false };
	}
	const pad = (n: number) => String(n).padStart(2, '0');
	return { ok: true, date: `${year}-${pad(month)}-${pad(day)}` };
}

/** Digits (with the Corsican 2A/2B) and spaces only, long enough to be meant as an INS. */
const INS_LIKE = /^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]*$/;

/** Decides what the text is. The order matters: a date, then an INS, then words. */
export function parseSearchQuery(input: string | null | undefined): SearchQuery {
	const text = (input ?? '').trim().slice(0, SEARCH_TEXT_MAX);
	if (!text) return { kind: 'empty' };

	const date = parseFrenchDate(text);
	if (date) {
		return date.ok
			? { kind: 'date', date: date.date }
			: {
					kind: 'invalid',
					message: `« ${text} » n’est pas une date valide : tapez-la au format JJ/MM/AAAA, par exemple 21/03/1958.`
				};
	}

	const compact = text.replace(/\s+/g, '').toUpperCase();
	if (INS_LIKE.test(compact) && compact.length >= 10) {
		if (compact.length === 13) return { kind: 'ins', matricule: compact, partial: true };
		const check = checkIns(compact);
		if (check.ok) return { kind: 'ins', matricule: check.matricule, partial: false };
		return { kind: 'invalid', message: check.error };
	}

	const words = splitSearchWords(text);
	if (!words.length) {
		return {
			kind: 'invalid',
			message: 'Tapez au moins deux lettres d’un nom, une date (JJ/MM/AAAA) ou un matricule INS.'
		};
	}
	return { kind: 'text', words };
}

/** What the page says it searched, in French. */
export function describeSearchQuery(q: SearchQuery): string {
	switch (q.kind) {
		case 'date': {
			const [y, m, d] = q.date.split('-');
			return `la date du ${d}/${m}/${y} (naissance du patient ou date de séance)`;
		}
		case 'ins':
			return q.partial ? 'le NIR (13 caractères, sans la clé)' : 'le matricule INS';
		case 'text':
			return `les mots « ${q.words.join(' ')} » (nom du patient ou question posée)`;
		default:
			return '';
	}
}
