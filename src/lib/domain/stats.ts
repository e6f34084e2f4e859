/** Activity indicators of a pathway over a period, as the cancer networks (3C, DSRC) ask them. */
export interface DecisionFact {
	caseId: string;
	patientId: string;
	status: 'validated' | 'provisional';
	conformity: 'conform' | 'off_guideline' | null;
	quorumReached: boolean | null;
	trialProposed: boolean;
	proposalTypes: string[];
	requestedAt: Date | null;
	validatedAt: Date;
}

export interface MeetingFact {
	status: 'scheduled' | 'open' | 'closed' | 'cancelled';
}

export interface Indicators {
	meetingsHeld: number;
	meetingsCancelled: number;
	casesDecided: number;
	patients: number;
	provisionalOpinions: number;
	conformRate: number | null;
	offGuideline: number;
	quorumRate: number | null;
	trialRate: number | null;
	medianDaysToDecision: number | null;
	proposalCounts: { code: string; count: number }[];
}

export function median(values: number[]): number | null {
	if (!values.length) return null;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function rate(part: number, whole: number): number | null {
	return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}

/**
 * Counts over final decisions (the latest validated version of each case); provisional opinions
 * are counted apart since they are not decisions. Rates are percentages with one decimal.
 */
export function computeIndicators(meetings: MeetingFact[], decisions: DecisionFact[]): Indicators {
	const latest = new Map<string, DecisionFact>();
	for (const d of decisions.filter((x) => x.status === 'validated')) {
		const seen = latest.get(d.caseId);
		if (!seen || seen.validatedAt < d.validatedAt) latest.set(d.caseId, d);
	}
	const finals = [...latest.values()];
	const proposals = new Map<string, number>();
	for (const d of finals)
		for (const code of new Set(d.proposalTypes))
			proposals.set(code, (proposals.get(code) ?? 0) + 1);
	const days = finals
		.filter((d) => d.requestedAt)
		.map((d) => (d.validatedAt.getTime() - d.requestedAt!.getTime()) / 86_400_000);
	const withConformity = finals.filter((d) => d.conformity !== null);
	const withQuorum = finals.filter((d) => d.quorumReached !== null);
	const daysMedian = median(days);
	return {
		meetingsHeld: meetings.filter((m) => m.status === 'closed').length,
		meetingsCancelled: meetings.filter((m) => m.status === 'cancelled').length,
		casesDecided: finals.length,
		patients: new Set(finals.map((d) => d.patientId)).size,
		provisionalOpinions: decisions.filter((d) => d.status === 'provisional').length,
		conformRate: rate(
			withConformity.filter((d) => d.conformity === 'conform').length,
			withConformity.length
		),
		offGuideline: withConformity.filter((d) => d.conformity === 'off_guideline').length,
		quorumRate: rate(withQuorum.filter((d) => d.quorumReached).length, withQuorum.length),
		trialRate: rate(finals.filter((d) => d.trialProposed).length, finals.length),
		medianDaysToDecision: daysMedian === null ? null : Math.round(daysMedian * 10) / 10,
		proposalCounts: [...proposals]
			.map(([code, count]) => ({ code, count }))
			.sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
	};
}
