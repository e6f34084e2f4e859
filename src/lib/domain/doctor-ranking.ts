/**
 * Ranking of the doctor directory (issue #15): which known doctors a typed name or RPPS
 * designates, best first. Pure: the server module gathers the candidates the user may see.
 */
import { normalizePlaceName } from './birthplace';

export type DoctorSource = 'user' | 'case';

export interface DoctorCandidate {
	name: string;
	rpps: string | null;
	email: string | null;
	specialty: string | null;
	establishment: string | null;
	city: string | null;
	/** An account of this instance, or a doctor named on a case the user may see. */
	source: DoctorSource;
}

/** Lower case, no accents, no titles: « Dr Élise Martin-Roy » → « elise martin roy ». */
export function normalizeDoctorName(name: string): string {
	return normalizePlaceName(name)
		.split(' ')
		.filter((w) => !['dr', 'pr', 'docteur', 'professeur', 'm', 'mme'].includes(w))
		.join(' ');
}

/** 0 best; null when the candidate does not match the query at all. */
export function scoreDoctor(query: string, c: DoctorCandidate): number | null {
	const digits = query.replace(/\s+/g, '');
	if (/^\d{3,11}$/.test(digits)) {
		if (!c.rpps) return null;
		if (c.rpps === digits) return 0;
		return c.rpps.startsWith(digits) ? 1 : null;
	}
	const words = normalizeDoctorName(query).split(' ').filter(Boolean);
	if (!words.length) return null;
	const nameWords = normalizeDoctorName(c.name).split(' ');
	let score = 2;
	for (const w of words) {
		if (nameWords.includes(w)) continue;
		if (nameWords.some((n) => n.startsWith(w))) score += 1;
		else return null;
	}
	return score;
}

/**
 * The matching candidates, best first: exact RPPS, RPPS prefix, then names whose words all
 * match (whole words before prefixes); accounts before doctors only named on cases; then
 * alphabetical. One line per doctor: the same RPPS (or, without one, the same name and
 * address) is listed once, the account winning and filling what the other one lacks.
 */
export function rankDoctors(
	query: string,
	candidates: readonly DoctorCandidate[],
	limit = 10
): DoctorCandidate[] {
	const merged = new Map<string, DoctorCandidate>();
	const ordered = [...candidates].sort((a, b) =>
		a.source === b.source ? 0 : a.source === 'user' ? -1 : 1
	);
	for (const c of ordered) {
		const key = c.rpps ?? `${normalizeDoctorName(c.name)}|${(c.email ?? '').toLowerCase()}`;
		const seen = merged.get(key);
		if (!seen) merged.set(key, { ...c });
		else seen.email ??= c.email;
	}
	return [...merged.values()]
		.map((c) => ({ c, s: scoreDoctor(query, c) }))
		.filter((x): x is { c: DoctorCandidate; s: number } => x.s !== null)
		.sort(
			(a, b) =>
				a.s - b.s ||
				(a.c.source === b.c.source ? 0 : a.c.source === 'user' ? -1 : 1) ||
				a.c.name.localeCompare(b.c.name, 'fr')
		)
		.slice(0, limit)
		.map((x) => x.c);
}
