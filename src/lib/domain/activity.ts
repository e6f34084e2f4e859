/**
 * Activity report of an RCP by month, for the 3C and the regional network (ISSUE-11 §6): what
 * happened to each case at its presentations. Pure: the server gathers the facts in a few
 * queries. A case belongs to the month of its first presentation (Paris time, given as
 * `month`). Judgement calls: « quorum at first presentation » is measured on the cases that got
 * a proposal (final or provisional) at that first meeting — a provisional opinion means quorum
 * was not reached; a case presented without any proposal is « re-presented, other reason »
 * (incomplete file or discussion postponed: Pluri does not record which).
 */

export interface CaseActivityFact {
	caseId: string;
	/** YYYY-MM of the first presentation, Europe/Paris. */
	month: string;
	requestedAt: Date | null;
	/** Every meeting the case was presented at, in time order, with what came of it. */
	presentations: {
		at: Date;
		outcome: 'validated' | 'provisional' | 'none';
		quorumReached: boolean | null;
	}[];
	/** First validation of a final decision, its conformity and trial proposal. */
	validatedAt: Date | null;
	conformity: 'conform' | 'off_guideline' | null;
	trialProposed: boolean | null;
	/** First delivery (FHIR or mail) of that decision. */
	deliveredAt: Date | null;
	/** A GP (the patient's, or any general practitioner) attended when it was validated. */
	gpAttended: boolean | null;
}

export interface DelayStats {
	count: number;
	medianDays: number | null;
	p90Days: number | null;
}

export interface ActivityRow {
	month: string;
	casesPresented: number;
	/** Cases with a proposal at their first presentation: the base of the quorum rate. */
	firstPresentationWithProposal: number;
	quorumAtFirstPresentation: number;
	quorumAtFirstPresentationRate: number | null;
	representedForQuorum: number;
	representedOtherReason: number;
	conformRate: number | null;
	trialRate: number | null;
	/** Share of final decisions taken with a GP present (GPs are invited, never counted). */
	gpParticipationRate: number | null;
	requestToPresentation: DelayStats;
	presentationToValidation: DelayStats;
	validationToDelivery: DelayStats;
}

const DAY = 86_400_000;

function rate(part: number, whole: number): number | null {
	return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/** Nearest-rank percentile (p in 0–100) of a non-empty list; null when empty. */
export function percentile(values: readonly number[], p: number): number | null {
	if (values.length === 0) return null;
	const sorted = [...values].sort((a, b) => a - b);
	if (p === 50) {
		const mid = Math.floor(sorted.length / 2);
		return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
	}
	const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
	return sorted[rank - 1]!;
}

function delays(pairs: [Date | null, Date | null][]): DelayStats {
	const days = pairs
		.filter((p): p is [Date, Date] => p[0] !== null && p[1] !== null)
		.map(([a, b]) => (b.getTime() - a.getTime()) / DAY)
		.filter((d) => d >= 0);
	const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
	return {
		count: days.length,
		medianDays: round(percentile(days, 50)),
		p90Days: round(percentile(days, 90))
	};
}

export function computeActivity(facts: readonly CaseActivityFact[]): ActivityRow[] {
	const months = [...new Set(facts.map((f) => f.month))].sort();
	return months.map((month) =>
		computeRow(
			month,
			facts.filter((f) => f.month === month)
		)
	);
}

/** The same figures over the whole period (one row, month = 'total'). */
export function computeActivityTotal(facts: readonly CaseActivityFact[]): ActivityRow {
	return computeRow('total', facts);
}

function computeRow(month: string, list: readonly CaseActivityFact[]): ActivityRow {
	const presented = list.filter((f) => f.presentations.length > 0);
	const first = presented.map((f) => f.presentations[0]!);
	const withProposal = first.filter((p) => p.outcome !== 'none');
	const reached = withProposal.filter(
		(p) => p.outcome === 'validated' && p.quorumReached !== false
	);
	const again = presented.filter((f) => f.presentations.length > 1);
	const afterProvisional = again.filter((f) =>
		f.presentations.slice(0, -1).some((p) => p.outcome === 'provisional')
	);
	const decided = presented.filter((f) => f.validatedAt !== null);
	const withConformity = decided.filter((f) => f.conformity !== null);
	return {
		month,
		casesPresented: presented.length,
		firstPresentationWithProposal: withProposal.length,
		quorumAtFirstPresentation: reached.length,
		quorumAtFirstPresentationRate: rate(reached.length, withProposal.length),
		representedForQuorum: afterProvisional.length,
		representedOtherReason: again.length - afterProvisional.length,
		conformRate: rate(
			withConformity.filter((f) => f.conformity === 'conform').length,
			withConformity.length
		),
		trialRate: rate(decided.filter((f) => f.trialProposed === true).length, decided.length),
		gpParticipationRate: rate(decided.filter((f) => f.gpAttended === true).length, decided.length),
		requestToPresentation: delays(presented.map((f) => [f.requestedAt, f.presentations[0]!.at])),
		presentationToValidation: delays(decided.map((f) => [f.presentations[0]!.at, f.validatedAt])),
		validationToDelivery: delays(decided.map((f) => [f.validatedAt, f.deliveredAt]))
	};
}

export interface MonthRange {
	/** First month, YYYY-MM (inclusive). */
	from: string;
	/** Last month, YYYY-MM (inclusive). */
	to: string;
}

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MAX_MONTHS = 120;

function monthIndex(m: string): number {
	return Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
}

function monthOf(index: number): string {
	return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * The report's period from the page's « du … au … » fields (YYYY-MM); the calendar year when
 * they are missing or malformed. Reversed bounds are swapped; at most ten years are kept.
 */
export function readMonthRange(from: string | null, to: string | null, year: number): MonthRange {
	const ok = (m: string | null): m is string => m !== null && MONTH.test(m);
	let a = ok(from) ? monthIndex(from) : year * 12;
	let b = ok(to) ? monthIndex(to) : ok(from) ? monthIndex(from) + 11 : year * 12 + 11;
	if (a > b) [a, b] = [b, a];
	if (b - a >= MAX_MONTHS) b = a + MAX_MONTHS - 1;
	return { from: monthOf(a), to: monthOf(b) };
}

/** The first day of the month after `m` (YYYY-MM-01), for an exclusive upper bound. */
export function monthAfter(m: string): string {
	return `${monthOf(monthIndex(m) + 1)}-01`;
}
