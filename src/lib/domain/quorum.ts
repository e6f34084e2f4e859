import { getSpecialtyLabel, isSpecialtyCode, sortSpecialtyCodes } from './specialties';

export interface QuorumRule {
	requiredSpecialties: string[];
	minDistinctSpecialties: number;
	/** null = every specialty except general_practice */
	countedSpecialties: string[] | null;
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

	return {
		reached: missingCount === 0,
		presentSpecialties: sortSpecialtyCodes(present),
		coveredByOpinion: sortSpecialtyCodes(byOpinion),
		missingRequired,
		distinctCount,
		minDistinct,
		missingCount
	};
}

function buildCountedPredicate(rule: QuorumRule): (specialty: string) => boolean {
	const counted = rule.countedSpecialties === null ? null : new Set(rule.countedSpecialties);
	const required = new Set(rule.requiredSpecialties);
	return (specialty) => {
		if (specialty === GENERAL_PRACTICE || specialty === '') return false;
		return counted === null || counted.has(specialty) || required.has(specialty);
	};
}

/** One French sentence for badges and the fiche RCP. */
export function describeQuorum(result: QuorumResult): string {
	if (result.reached) {
		return `Quorum atteint (${formatSpecialtyCount(result.distinctCount)})`;
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
	return `Quorum non atteint : ${parts.join(' ; ')}`;
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
			countedSpecialties: counted
		}
	};
}

function readCodeList(
	value: unknown,
	qualifier: string
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
	const duplicate = codes.find((c, i) => codes.indexOf(c) !== i);
	if (duplicate !== undefined) {
		return {
			ok: false,
			error: `La spécialité « ${getSpecialtyLabel(duplicate)} » figure plusieurs fois parmi les spécialités ${qualifier}.`
		};
	}
	return { ok: true, codes: [...codes] };
}
