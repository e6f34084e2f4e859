/**
 * The coordinator's worklist as a table (issue #15): filters and sort read from the query
 * string (a GET form and header links, so it works without JavaScript), and the French
 * summary of a bulk action.
 */
import { isCaseStatus, type CaseStatus } from './case-status';

export const worklistSorts = [
	'submitted',
	'patient',
	'requester',
	'meeting',
	'completeness',
	'status'
] as const;
export type WorklistSort = (typeof worklistSorts)[number];

export const worklistSortLabels: Readonly<Record<WorklistSort, string>> = {
	submitted: 'date de la demande',
	patient: 'patient',
	requester: 'demandeur',
	meeting: 'séance',
	completeness: 'complétude',
	status: 'statut'
};

export type CompletenessFilter = 'all' | 'ready' | 'incomplete';

/** 'open': everything the coordinator still has to handle (submitted, scheduled, deferred). */
export type WorklistStatusFilter = CaseStatus | 'open';
export const openWorklistStatuses: readonly CaseStatus[] = ['submitted', 'scheduled', 'deferred'];

export interface WorklistQuery {
	status: WorklistStatusFilter;
	meetingId: string | null;
	requesterId: string | null;
	completeness: CompletenessFilter;
	sort: WorklistSort;
	dir: 'asc' | 'desc';
	/** « Tout cocher »: every line's checkbox comes checked (works without JavaScript). */
	selectAll: boolean;
}

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;

/** Reads the query string; anything unknown falls back to the default, never an error. */
export function parseWorklistQuery(params: URLSearchParams): WorklistQuery {
	const status = params.get('status') ?? 'submitted';
	const sort = params.get('sort') ?? '';
	const completeness = params.get('completeness') ?? 'all';
	const id = (name: string): string | null => {
		const v = params.get(name)?.trim() ?? '';
		return idPattern.test(v) ? v : null;
	};
	return {
		status: status === 'open' || isCaseStatus(status) ? status : 'submitted',
		meetingId: id('meeting'),
		requesterId: id('requester'),
		completeness: completeness === 'ready' || completeness === 'incomplete' ? completeness : 'all',
		sort: (worklistSorts as readonly string[]).includes(sort)
			? (sort as WorklistSort)
			: 'submitted',
		dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
		selectAll: params.get('select') === 'all'
	};
}

/** The query string of a query, with some parts changed (for sort links and « Tout cocher »). */
export function toWorklistSearch(q: WorklistQuery, change: Partial<WorklistQuery> = {}): string {
	const next = { ...q, ...change };
	const p = new URLSearchParams();
	p.set('status', next.status);
	if (next.meetingId) p.set('meeting', next.meetingId);
	if (next.requesterId) p.set('requester', next.requesterId);
	if (next.completeness !== 'all') p.set('completeness', next.completeness);
	if (next.sort !== 'submitted') p.set('sort', next.sort);
	if (next.dir !== 'asc') p.set('dir', next.dir);
	if (next.selectAll) p.set('select', 'all');
	return `?${p.toString()}`;
}

export interface SortableLine {
	patientLabel: string;
	requesterName: string;
	status: string;
	meetingStartsAt: Date | null;
	agendaPosition: number | null;
	submittedAt: Date | null;
	createdAt: Date;
	/** Points the case lacks; null when not assessed. */
	missingCount: number | null;
}

const collator = new Intl.Collator('fr', { sensitivity: 'base' });

function compareBy(sort: WorklistSort, a: SortableLine, b: SortableLine): number {
	switch (sort) {
		case 'patient':
			return collator.compare(a.patientLabel, b.patientLabel);
		case 'requester':
			return collator.compare(a.requesterName, b.requesterName);
		case 'status':
			return collator.compare(a.status, b.status);
		case 'completeness':
			return (a.missingCount ?? -1) - (b.missingCount ?? -1);
		case 'meeting':
			return (
				(a.meetingStartsAt?.getTime() ?? Number.MAX_SAFE_INTEGER) -
					(b.meetingStartsAt?.getTime() ?? Number.MAX_SAFE_INTEGER) ||
				(a.agendaPosition ?? Number.MAX_SAFE_INTEGER) -
					(b.agendaPosition ?? Number.MAX_SAFE_INTEGER)
			);
		case 'submitted':
			return (a.submittedAt ?? a.createdAt).getTime() - (b.submittedAt ?? b.createdAt).getTime();
	}
}

/** A stable sort by one column, ties kept in request order (first come, first scheduled). */
export function sortWorklistLines<T extends SortableLine>(
	lines: readonly T[],
	sort: WorklistSort,
	dir: 'asc' | 'desc'
): T[] {
	const sign = dir === 'desc' ? -1 : 1;
	return lines
		.map((line, i) => ({ line, i }))
		.sort(
			(x, y) =>
				sign * compareBy(sort, x.line, y.line) ||
				compareBy('submitted', x.line, y.line) ||
				x.i - y.i
		)
		.map((x) => x.line);
}

export type BulkAction = 'schedule' | 'defer' | 'remind' | 'refuse';

export interface BulkOutcome {
	caseId: string;
	patientLabel: string;
	ok: boolean;
	message?: string;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n > 1 ? many : one}`;

/** « 15 dossiers inscrits à la séance du … », and how many were not, in French. */
export function describeBulkOutcome(
	action: BulkAction,
	outcomes: readonly BulkOutcome[],
	meetingLabel: string | null
): string {
	const done = outcomes.filter((o) => o.ok).length;
	const refused = outcomes.length - done;
	const head = {
		schedule: `${plural(done, 'dossier inscrit', 'dossiers inscrits')} à la séance du ${meetingLabel ?? '—'}`,
		defer: `${plural(done, 'dossier reporté', 'dossiers reportés')} à la séance suivante`,
		remind: `${plural(done, 'demandeur relancé', 'demandeurs relancés')}`,
		refuse: `${plural(done, 'demande refusée', 'demandes refusées')} ; les demandeurs sont informés`
	}[action];
	return refused
		? `${head}. ${plural(refused, 'dossier n’a pas pu être traité', 'dossiers n’ont pas pu être traités')} : voir ci-dessous.`
		: `${head}.`;
}

const shortDate = new Intl.DateTimeFormat('fr-FR', {
	timeZone: 'Europe/Paris',
	weekday: 'short',
	day: 'numeric',
	month: 'short',
	year: 'numeric'
});
const shortTime = new Intl.DateTimeFormat('fr-FR', {
	timeZone: 'Europe/Paris',
	hour: 'numeric',
	minute: '2-digit'
});

/** « lun. 7 déc. 2026, 11 h 21 »: a meeting in a dense table, Paris time. */
export function formatShortParisDateTime(d: Date): string {
	const [h, m] = shortTime.format(d).split(':');
	return `${shortDate.format(d)}, ${Number(h)} h ${m}`;
}
