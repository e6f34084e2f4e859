/**
 * Birthplace by name (DESIGN §3: the INS trait is the INSEE code of the birthplace). Pure
 * rules: how a typed commune name is normalised, ranked and resolved to one code; the
 * commune list itself is loaded on the server (src/lib/server/communes.ts) and never shipped
 * to the browser.
 */
import { findBirthCountry } from './countries';

export type CommuneKind = 'current' | 'delegated' | 'associated' | 'district';

export interface Commune {
	/** INSEE code (COG): 5 characters, 2A/2B for Corsica. */
	code: string;
	name: string;
	/** Department code (01…95, 2A, 2B, 971…). */
	department: string;
	kind: CommuneKind;
	/** For a delegated or associated commune or a district: the current commune's name. */
	parentName?: string;
	population?: number;
}

/** A commune with its normalised name, ready to be searched. */
export interface IndexedCommune extends Commune {
	key: string;
}

export interface BirthplaceChoice {
	code: string;
	label: string;
}

const abbreviations: Readonly<Record<string, string>> = {
	st: 'saint',
	ste: 'sainte',
	sts: 'saints',
	stes: 'saintes'
};

/**
 * Lower case, no accents, punctuation and hyphens as spaces, « St »/« Ste » spelt out: so
 * « Saint-Étienne », « st etienne » and « ST-ETIENNE » are the same key.
 */
export function normalizePlaceName(name: string): string {
	return name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/œ/g, 'oe')
		.replace(/æ/g, 'ae')
		.replace(/[^a-z0-9]+/g, ' ')
		.trim()
		.split(' ')
		.map((w) => abbreviations[w] ?? w)
		.join(' ');
}

export function indexCommune(c: Commune): IndexedCommune {
	return { ...c, key: normalizePlaceName(c.name) };
}

const kindWords: Readonly<Record<CommuneKind, string>> = {
	current: '',
	delegated: 'commune déléguée',
	associated: 'commune associée',
	district: 'arrondissement'
};

/** « Saint-Étienne (42) », « Arbignieu (01) — commune déléguée d’Arboys en Bugey ». */
export function formatCommune(c: Commune): string {
	const base = `${c.name} (${c.department})`;
	if (c.kind === 'current' || !c.parentName) return base;
	return `${base} — ${kindWords[c.kind]} de ${c.parentName}`;
}

export function isCommuneCode(text: string): boolean {
	return /^(\d{5}|2[AB]\d{3})$/.test(text) && !text.startsWith('99');
}

const kindRank: Readonly<Record<CommuneKind, number>> = {
	current: 0,
	district: 1,
	delegated: 2,
	associated: 3
};

/** « Saint-Étienne (42) » → the name and the department typed in brackets. */
export function splitDepartment(query: string): { name: string; department: string | null } {
	const m = /^(.*?)\s*\(\s*(\d[\dAB]{1,2})\s*\)\s*$/i.exec(query.trim());
	return m ? { name: m[1]!, department: m[2]!.toUpperCase() } : { name: query, department: null };
}

function matchScore(key: string, q: string): number | null {
	if (key === q) return 0;
	if (key.startsWith(q)) return 1;
	if (key.split(' ').some((w, i, words) => words.slice(i).join(' ').startsWith(q))) return 2;
	return key.includes(q) ? 3 : null;
}

/**
 * The communes matching a typed name or code, best first: exact name, then names starting
 * with it, then a word starting with it; current communes before delegated ones, then the
 * most populated (where one is born most often), then alphabetical.
 */
export function searchCommunes(
	query: string,
	communes: readonly IndexedCommune[],
	limit = 10
): IndexedCommune[] {
	const text = query.trim().toUpperCase();
	if (isCommuneCode(text)) return communes.filter((c) => c.code === text).slice(0, limit);
	const { name, department } = splitDepartment(query);
	const q = normalizePlaceName(name);
	if (q.length < 2) return [];
	const scored: { c: IndexedCommune; s: number }[] = [];
	for (const c of communes) {
		if (department && c.department !== department) continue;
		const s = matchScore(c.key, q);
		if (s !== null) scored.push({ c, s });
	}
	return scored
		.sort(
			(a, b) =>
				a.s - b.s ||
				kindRank[a.c.kind] - kindRank[b.c.kind] ||
				(b.c.population ?? 0) - (a.c.population ?? 0) ||
				a.c.name.localeCompare(b.c.name, 'fr')
		)
		.slice(0, limit)
		.map((x) => x.c);
}

export type BirthplaceResolution =
	| { kind: 'found'; code: string; label: string }
	| { kind: 'ambiguous'; choices: BirthplaceChoice[] }
	| { kind: 'none' };

/**
 * What the server makes of a typed birthplace without JavaScript: a code or a name that
 * designates one place is taken; a name several communes share (or only close names) comes
 * back as choices; a country code (99xxx) is a birth abroad. Never a guess.
 */
export function resolveBirthplace(
	query: string,
	communes: readonly IndexedCommune[]
): BirthplaceResolution {
	const text = query.trim().toUpperCase();
	if (/^99\d{3}$/.test(text)) {
		const country = findBirthCountry(text);
		return { kind: 'found', code: text, label: country ? country.name : `Pays ${text}` };
	}
	const matches = searchCommunes(query, communes, 25);
	if (!matches.length) return { kind: 'none' };
	const toChoice = (c: Commune): BirthplaceChoice => ({ code: c.code, label: formatCommune(c) });
	if (isCommuneCode(text)) {
		const current = matches.find((c) => c.kind === 'current') ?? matches[0]!;
		return { kind: 'found', code: current.code, label: formatCommune(current) };
	}
	const { name } = splitDepartment(query);
	const exact = matches.filter((c) => c.key === normalizePlaceName(name));
	// Paris, Lyon, Marseille: a birth there is registered in one of the arrondissements.
	const districts = exact.length
		? matches.filter((c) => c.kind === 'district' && exact.some((e) => e.name === c.parentName))
		: [];
	if (exact.length === 1 && !districts.length) {
		return { kind: 'found', code: exact[0]!.code, label: formatCommune(exact[0]!) };
	}
	const choices = districts.length
		? [...districts].sort((a, b) => a.code.localeCompare(b.code))
		: exact.length
			? exact
			: matches;
	return { kind: 'ambiguous', choices: choices.map(toChoice) };
}
