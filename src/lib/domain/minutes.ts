/**
 * What the minutes of a meeting list (ISSUE-11 §7): every case of that meeting — still on its
 * agenda, or carried over since — numbered 1…n in the meeting's own order, each with its outcome.
 * Order (judgement call, the agenda position of a carried-over case being overwritten by its
 * new meeting): cases in the order they were presented, then the cases not reached, in agenda
 * order for those still there, else in the order they were carried over.
 */

export interface MinutesCaseFacts {
	caseId: string;
	/** Position on this meeting's agenda while the case is still there. */
	agendaPosition: number | null;
	/** First time the case was put on screen at this meeting. */
	presentedAt: Date | null;
	/** When the case was deferred from this meeting (carry-over at closing). */
	deferredAt: Date | null;
	/** The latest non-draft decision version taken at this meeting. */
	decision: { status: 'validated' | 'provisional' | 'superseded'; version: number } | null;
	/** The case's status now (it may have moved on since). */
	status: string;
}

export type MinutesOutcome = 'decision' | 'provisional' | 'deferred' | 'not_discussed' | 'pending';

export interface MinutesEntry {
	caseId: string;
	number: number;
	outcome: MinutesOutcome;
	label: string;
}

export function orderMinutesCases(facts: readonly MinutesCaseFacts[]): MinutesEntry[] {
	const presented = facts
		.filter((f) => f.presentedAt !== null || f.decision !== null)
		.sort((a, b) => time(a.presentedAt) - time(b.presentedAt) || byAgenda(a, b));
	const rest = facts
		.filter((f) => f.presentedAt === null && f.decision === null)
		.sort((a, b) => byAgenda(a, b));
	return [...presented, ...rest].map((f, i) => ({
		caseId: f.caseId,
		number: i + 1,
		...describeOutcome(f)
	}));
}

function time(d: Date | null): number {
	return d === null ? Number.MAX_SAFE_INTEGER : d.getTime();
}

function byAgenda(a: MinutesCaseFacts, b: MinutesCaseFacts): number {
	const pa = a.agendaPosition ?? Number.MAX_SAFE_INTEGER;
	const pb = b.agendaPosition ?? Number.MAX_SAFE_INTEGER;
	return pa - pb || time(a.deferredAt) - time(b.deferredAt) || (a.caseId < b.caseId ? -1 : 1);
}

function describeOutcome(f: MinutesCaseFacts): { outcome: MinutesOutcome; label: string } {
	const d = f.decision;
	if (d?.status === 'validated')
		return { outcome: 'decision', label: `Proposition validée (version ${d.version})` };
	if (d?.status === 'superseded')
		return {
			outcome: 'decision',
			label: `Proposition validée, amendée depuis (version ${d.version})`
		};
	if (d?.status === 'provisional')
		return {
			outcome: 'provisional',
			label: 'Avis provisoire (quorum non atteint), dossier reporté'
		};
	const carried = f.deferredAt !== null || f.agendaPosition === null;
	if (f.presentedAt !== null)
		return carried
			? { outcome: 'deferred', label: 'Présenté sans décision, reporté à une séance suivante' }
			: { outcome: 'pending', label: 'Présenté, proposition en attente de validation' };
	return carried
		? { outcome: 'not_discussed', label: 'Non discuté, reporté à une séance suivante' }
		: { outcome: 'pending', label: 'Non discuté à ce jour' };
}
