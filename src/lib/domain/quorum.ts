import {
	countsTowardQuorum,
	getSpecialtyLabel,
	isSpecialtyCode,
	sortSpecialtyCodes
} from './specialties';

export interface QuorumRule {
	requiredSpecialties: string[];
	minDistinctSpecialties: number;
	/** null = every specialty except general_practice */
	countedSpecialties: string[] | null;
	/**
	 * Present or covered by a written opinion, else a warning recorded with the decision; never
	 * blocks (INCa 2023: e.g. the biotherapy pharmacist of a cell-therapy haematology RCP).
	 * Absent from rules stored before it existed.
	 */
	recommendedSpecialties?: string[];
}

export interface QuorumAttendee {
	personId: string;
	specialty: string | null;
	isGp: boolean;
}

export interface QuorumOpinion {
	authorId: string;
	specialty: string;
}

export interface QuorumResult {
	reached: boolean;
	/** Counted specialties held by present doctors, in catalog order. */
	presentSpecialties: string[];
	/** Counted specialties covered only by a written opinion, in catalog order. */
	coveredByOpinion: string[];
	missingRequired: string[];
	distinctCount: number;
	minDistinct: number;
	/** How many more distinct specialties are needed. */
	missingCount: number;
	/** Recommended specialties neither present nor covered by an opinion, in catalog order. */
	missingRecommended: string[];
}

const GENERAL_PRACTICE = 'general_practice';
const MIN_DISTINCT_LIMIT = 10;

/**
 * Evaluates a quorum rule (DESIGN §3). Each person counts for at most one specialty, through
 * presence or else through one written opinion; GPs never count. When a person is listed with
 * several specialties, the first one not already covered is used (greedy, in input order).
 */
export function evaluateQuorum(
	rule: QuorumRule,
	attendees: QuorumAttendee[],
	opinions: QuorumOpinion[]
): QuorumResult {
	const isCounted = buildCountedPredicate(rule);
	const gpIds = new Set(
		attendees.filter((a) => a.isGp || a.specialty === GENERAL_PRACTICE).map((a) => a.personId)
	);

	const candidatesByPerson = new Map<string, string[]>();
	for (const a of attendees) {
		if (gpIds.has(a.personId)) continue;
		const list = candidatesByPerson.get(a.personId) ?? [];
		if (a.specialty !== null && isCounted(a.specialty) && !list.includes(a.specialty)) {
			list.push(a.specialty);
		}
		candidatesByPerson.set(a.personId, list);
	}

	const present = new Set<string>();
	const countedPeople = new Set<string>();
	for (const [personId, candidates] of candidatesByPerson) {
		const chosen = candidates.find((c) => !present.has(c)) ?? candidates[0];
		if (chosen === undefined) continue;
		present.add(chosen);
		countedPeople.add(personId);
	}

	const byOpinion = new Set<string>();
	for (const o of opinions) {
		// A present author already counts through their presence; GPs never count.
		if (countedPeople.has(o.authorId) || gpIds.has(o.authorId)) continue;
		if (!isCounted(o.specialty)) continue;
		if (present.has(o.specialty) || byOpinion.has(o.specialty)) continue;
		byOpinion.add(o.specialty);
		countedPeople.add(o.authorId);
	}

	const missingRequired = sortSpecialtyCodes(
		new Set(rule.requiredSpecialties.filter((r) => !present.has(r) && !byOpinion.has(r)))
	);
	const distinctCount = present.size + byOpinion.size;
	const minDistinct = rule.minDistinctSpecialties;
	const missingCount = Math.max(0, minDistinct - distinctCount, missingRequired.length);

	// Recommended roles need not count (a pharmacist is not a doctor): anyone holding one will do.
	const seen = new Set<string>([
		...attendees.flatMap((a) => (a.specialty === null ? [] : [a.specialty])),
		...opinions.map((o) => o.specialty)
	]);
	const missingRecommended = sortSpecialtyCodes(
		new Set((rule.recommendedSpecialties ?? []).filter((r) => !seen.has(r)))
	);

	return {
		reached: missingCount === 0,
		presentSpecialties: sortSpecialtyCodes(present),
		coveredByOpinion: sortSpecialtyCodes(byOpinion),
		missingRequired,
		distinctCount,
		minDistinct,
		missingCount,
		missingRecommended
	};
}

function buildCountedPredicate(rule: QuorumRule): (specialty: string) => boolean {
	const counted = rule.countedSpecialties === null ? null : new Set(rule.countedSpecialties);
	const required = new Set(rule.requiredSpecialties);
	return (specialty) => {
		if (specialty === GENERAL_PRACTICE || specialty === '') return false;
		if (required.has(specialty)) return true;
		if (!countsTowardQuorum(specialty)) return false;
		return counted === null || counted.has(specialty);
	};
}

/** One French sentence for badges and the fiche RCP. */
export function describeQuorum(result: QuorumResult): string {
	const warning = describeMissingRecommended(result);
	if (result.reached) {
		return `Quorum atteint (${formatSpecialtyCount(result.distinctCount)})${warning ? ` ; ${warning}` : ''}`;
	}
	const parts: string[] = [];
	if (result.missingRequired.length > 0) {
		const verb = result.missingRequired.length === 1 ? 'manque' : 'manquent';
		parts.push(`${verb} ${result.missingRequired.map((c) => getSpecialtyLabel(c)).join(', ')}`);
	}
	if (result.distinctCount < result.minDistinct) {
		const represented = result.distinctCount <= 1 ? 'représentée' : 'représentées';
		parts.push(
			`${formatSpecialtyCount(result.distinctCount)} ${represented} sur ${result.minDistinct} requises`
		);
	}
	if (warning) parts.push(warning);
	return `Quorum non atteint : ${parts.join(' ; ')}`;
}

/** The warning for recommended specialties that are missing, or null when none is. */
export function describeMissingRecommended(
	result: Pick<QuorumResult, 'missingRecommended'>
): string | null {
	const missing = result.missingRecommended ?? [];
	if (missing.length === 0) return null;
	const word =
		missing.length === 1 ? 'spécialité recommandée absente' : 'spécialités recommandées absentes';
	return `${word} : ${missing.map((c) => getSpecialtyLabel(c)).join(', ')}`;
}

function formatSpecialtyCount(n: number): string {
	// French keeps the singular for 0 and 1.
	return `${n} ${n <= 1 ? 'spécialité' : 'spécialités'}`;
}

export type QuorumRuleValidation = { ok: true; rule: QuorumRule } | { ok: false; error: string };

/** Checks a rule coming from the admin form or from stored JSON; returns a normalized copy. */
export function validateQuorumRule(rule: unknown): QuorumRuleValidation {
	if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
		return { ok: false, error: 'La règle de quorum est invalide.' };
	}
	const input = rule as Record<string, unknown>;

	const min = input.minDistinctSpecialties;
	if (typeof min !== 'number' || !Number.isInteger(min) || min < 1 || min > MIN_DISTINCT_LIMIT) {
		return {
			ok: false,
			error: `Le nombre minimal de spécialités distinctes doit être un entier compris entre 1 et ${MIN_DISTINCT_LIMIT}.`
		};
	}

	const required = readCodeList(input.requiredSpecialties, 'obligatoires');
	if (!required.ok) return required;

	let recommended: string[] = [];
	if (input.recommendedSpecialties !== null && input.recommendedSpecialties !== undefined) {
		const list = readCodeList(input.recommendedSpecialties, 'recommandées', true);
		if (!list.ok) return list;
		const both = list.codes.find((c) => required.codes.includes(c));
		if (both !== undefined)
			return {
				ok: false,
				error: `La spécialité « ${getSpecialtyLabel(both)} » ne peut pas être à la fois obligatoire et recommandée.`
			};
		recommended = list.codes;
	}

	let counted: string[] | null = null;
	if (input.countedSpecialties !== null && input.countedSpecialties !== undefined) {
		const list = readCodeList(input.countedSpecialties, 'prises en compte');
		if (!list.ok) return list;
		counted = list.codes;
		const reachable = new Set([...counted, ...required.codes]).size;
		if (reachable < min) {
			return {
				ok: false,
				error: `Le quorum ne peut pas être atteint : ${reachable} spécialité(s) prise(s) en compte pour ${min} requises.`
			};
		}
	}

	return {
		ok: true,
		rule: {
			requiredSpecialties: required.codes,
			minDistinctSpecialties: min,
			countedSpecialties: counted,
			...(recommended.length > 0 ? { recommendedSpecialties: recommended } : {})
		}
	};
}

function readCodeList(
	value: unknown,
	qualifier: string,
	allowNonCounting = false
): { ok: true; codes: string[] } | { ok: false; error: string } {
	if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
		return { ok: false, error: `La liste des spécialités ${qualifier} est invalide.` };
	}
	const codes = value as string[];
	const unknown = codes.find((c) => !isSpecialtyCode(c));
	if (unknown !== undefined) {
		return { ok: false, error: `La spécialité « ${unknown} » est inconnue.` };
	}
	if (codes.includes(GENERAL_PRACTICE)) {
		return {
			ok: false,
			error: 'La médecine générale ne compte pas pour le quorum et ne peut pas y figurer.'
		};
	}
	const nonCounting = allowNonCounting ? undefined : codes.find((c) => !countsTowardQuorum(c));
	if (nonCounting !== undefined) {
		return {
			ok: false,
			error: `« ${getSpecialtyLabel(nonCounting)} » ne compte pas pour le quorum : proposez-la parmi les spécialités recommandées.`
		};
	}
	const duplicate = codes.find((c, i) => codes.indexOf(c) !== i);
	if (duplicate !== undefined) {
		return {
			ok: false,
			error: `La spécialité « ${getSpecialtyLabel(duplicate)} » figure plusieurs fois parmi les spécialités ${qualifier}.`
		};
	}
	return { ok: true, codes: [...codes] };
}

// ---------- presence: who counts right now ----------

export const DEFAULT_PRESENCE_GRACE_SECONDS = 120;
export const MAX_PRESENCE_GRACE_SECONDS = 900;

/** One stay in the meeting (a video connection or a check-in), as attendance records it. */
export interface PresenceStay {
	leftAt: Date | null;
	/** Set when the stay ended by a video disconnect: it still counts until then. */
	graceUntil: Date | null;
}

/**
 * A stay counts while it is open, and after a video disconnect until its grace period ends
 * (page reload, network loss, LiveKit reconnection), so a blip does not break the quorum.
 */
export function isStayCounted(stay: PresenceStay, now: Date): boolean {
	if (stay.leftAt === null) return true;
	return stay.graceUntil !== null && stay.graceUntil.getTime() > now.getTime();
}

/** When the grace period of a stay that ended at `leftAt` runs out (none when the setting is 0). */
export function computeGraceUntil(leftAt: Date, graceSeconds: number): Date | null {
	const seconds = Math.min(Math.max(0, Math.floor(graceSeconds)), MAX_PRESENCE_GRACE_SECONDS);
	return seconds > 0 ? new Date(leftAt.getTime() + seconds * 1000) : null;
}

/**
 * The counted stays, one per person: an open stay wins over one still in its grace period (the
 * person came back), and among grace stays the one lasting longest is kept.
 */
export function selectCountedStays<T extends PresenceStay & { personKey: string }>(
	stays: readonly T[],
	now: Date
): T[] {
	const best = new Map<string, T>();
	const rank = (s: T) => (s.leftAt === null ? Infinity : (s.graceUntil?.getTime() ?? 0));
	const order: string[] = [];
	for (const s of stays) {
		if (!isStayCounted(s, now)) continue;
		const held = best.get(s.personKey);
		if (!held) order.push(s.personKey);
		if (!held || rank(s) > rank(held)) best.set(s.personKey, s);
	}
	return order.map((k) => best.get(k)!);
}
