/**
 * The coordinator's search: patients (name, birth date, INS/NIR) and cases (question, status,
 * meeting date), scoped in SQL by the same rule as the case page (access.ts `canViewCase`): a
 * patient is found only through a case the user may see. Bounded; one audit row per search
 * that shows patient data, listing what was shown.
 */
import { and, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import { caseStatusLabels, isCaseStatus, type CaseStatus } from '$lib/domain/case-status';
import { formatIns } from '$lib/domain/ins';
import { addDaysLocal, parisLocalToUtc } from '$lib/domain/schedule';
import type { SearchQuery } from '$lib/domain/search-query';
import { identityStatusLabels } from '$lib/labels';
import type { UserActor } from './auth/access';
import { recordAudit, type AuditContext } from './audit';
import { isPostgresUrl } from './config';
import { getDb, instantParam } from './db';
import { cases, meetings, pathways, patients } from './db/schema';

/** Rows shown per table; one more is read to know the list was cut. */
export const SEARCH_LIMIT = 50;

export interface PatientHit {
	id: string;
	birthName: string;
	usedName: string | null;
	firstNames: string[];
	sex: 'F' | 'M' | 'I';
	birthDate: string;
	ins: string | null;
	identityStatusLabel: string;
	/** Cases of this patient the user may see, and the most recent one (the row's link). */
	caseCount: number;
	latestCaseId: string;
}

export interface CaseHit {
	id: string;
	patientId: string;
	patientName: string;
	patientBirthDate: string;
	pathwayName: string;
	question: string;
	status: CaseStatus;
	statusLabel: string;
	meetingStartsAt: Date | null;
}

export interface SearchResults {
	patients: PatientHit[];
	cases: CaseHit[];
	/** More rows matched than shown: the page asks to refine the search. */
	morePatients: boolean;
	moreCases: boolean;
}

const emptyResults: SearchResults = {
	patients: [],
	cases: [],
	morePatients: false,
	moreCases: false
};

// ---------- scope: the SQL form of canViewCase ----------

/**
 * The cases `actor` may see, as a condition on `rcp_case` — the same rules as
 * `canViewCase` (requester, presenter, the pathway's coordinators and chairs, a user invited to
 * this very case, the meeting's chair, members invited to the meeting or its series). The
 * integration test compares it with `canViewCase` over every case of the demo network.
 */
export function visibleCaseCondition(actor: UserActor): SQL {
	const leading = actor.memberships.filter((m) => m.role !== 'member').map((m) => m.pathwayId);
	const member = actor.memberships.filter((m) => m.role === 'member').map((m) => m.pathwayId);
	const invitedMember = member.length
		? sql` or (${inArray(cases.pathwayId, member)} and exists (select 1 from invitation i2
				where i2.user_id = ${actor.id} and i2.revoked_at is null and i2.case_id is null
				and (i2.meeting_id = m.id or (m.series_id is not null and i2.series_id = m.series_id))))`
		: sql``;
	const arms: (SQL | undefined)[] = [
		eq(cases.requesterId, actor.id),
		eq(cases.presenterId, actor.id),
		leading.length ? inArray(cases.pathwayId, leading) : undefined,
		sql`exists (select 1 from invitation i1 where i1.case_id = ${cases.id}
			and i1.revoked_at is null and i1.user_id = ${actor.id})`,
		sql`exists (select 1 from meeting m where m.id = ${cases.meetingId}
			and (m.chair_id = ${actor.id}${invitedMember}))`
	];
	return or(...arms)!;
}

// ---------- matching without accents or case, in SQL ----------

const LETTER_VARIANTS: Record<string, string> = {
	A: 'AaÀàÁáÂâÃãÄäÅå',
	C: 'CcÇç',
	E: 'EeÈèÉéÊêËë',
	I: 'IiÌìÍíÎîÏï',
	N: 'NnÑñ',
	O: 'OoÒòÓóÔôÕõÖö',
	U: 'UuÙùÚúÛûÜü',
	Y: 'YyÝýŸÿ'
};

/**
 * A GLOB pattern matching a folded word (A–Z, 0–9) in any case and with any accent:
 * « LEFEVRE » → `[Ll][EeÈè…][Ff]…`. The word holds no GLOB metacharacter.
 */
export function toAccentInsensitiveGlob(word: string): string {
	return [...word]
		.map((c) => (/[0-9]/.test(c) ? c : `[${LETTER_VARIANTS[c] ?? `${c}${c.toLowerCase()}`}]`))
		.join('');
}

const onPostgres = isPostgresUrl();

/** Birth name, used name and first names (JSON), each preceded by a separator. */
const patientNames = onPostgres
	? sql`(' ' || ${patients.birthName} || ' ' || coalesce(${patients.usedName}, '') || ' ' || ${patients.firstNames}::text)`
	: sql`(' ' || ${patients.birthName} || ' ' || coalesce(${patients.usedName}, '') || ' ' || ${patients.firstNames})`;
/** A name starts after a space, a hyphen, an apostrophe or the JSON punctuation. */
const NAME_START = `[ "',’-]`;

/**
 * A LIKE pattern that lets through at least every text the GLOB pattern matches: letters that
 * may carry an accent become `_` (one character). LIKE ignores ASCII case and is much cheaper
 * than a GLOB made of character classes, so it runs first and the GLOB only decides on the few
 * rows left (CASE keeps that order).
 */
export function toLikePrefilter(word: string): string {
	return `%${word.replace(/[ACEINOUY]/g, '_')}%`;
}

/**
 * `pattern`: character classes, unanchored. SQLite tests it as a GLOB (`*pattern*`); PostgreSQL
 * as a regular expression (the classes mean the same there), after a case-blind ILIKE.
 */
function matchesWord(text: SQL, word: string, pattern: string): SQL {
	if (onPostgres) return sql`(${text} ilike ${toLikePrefilter(word)} and ${text} ~ ${pattern})`;
	return sql`(case when ${text} like ${toLikePrefilter(word)} then ${text} glob ${`*${pattern}*`} else 0 end)`;
}

/** Patients whose names hold every word (at a name's start). */
function namesMatch(words: string[]): SQL {
	return and(
		...words.map((w) => matchesWord(patientNames, w, `${NAME_START}${toAccentInsensitiveGlob(w)}`))
	)!;
}

function questionMatches(words: string[]): SQL {
	return and(
		...words.map((w) => matchesWord(sql`${cases.question}`, w, toAccentInsensitiveGlob(w)))
	)!;
}

function insMatches(q: Extract<SearchQuery, { kind: 'ins' }>): SQL {
	return q.partial
		? sql`${patients.insMatricule} between ${`${q.matricule}00`} and ${`${q.matricule}99`}`
		: eq(patients.insMatricule, q.matricule);
}

/**
 * The patients the query names, as an uncorrelated subquery SQLite runs once (the INS by its
 * unique index, names and birth dates over the patient table alone); cases then follow through
 * case_patient_idx. Null when the query says nothing about patients.
 */
function patientIdsMatching(q: SearchQuery): SQL | null {
	const where =
		q.kind === 'text'
			? namesMatch(q.words)
			: q.kind === 'date'
				? eq(patients.birthDate, q.date)
				: q.kind === 'ins'
					? insMatches(q)
					: null;
	return where ? sql`(select ${patients.id} from ${patients} where ${where})` : null;
}

/** Meetings starting on that Paris day (meeting_starts_idx). */
function meetingIdsOnDay(date: string): SQL | null {
	const from = parisLocalToUtc(date, '00:00');
	const to = parisLocalToUtc(addDaysLocal(date, 1), '00:00');
	if (!from.ok || !to.ok) return null;
	return sql`(select ${meetings.id} from ${meetings} where ${meetings.startsAt} >= ${instantParam(from.instant)} and ${meetings.startsAt} < ${instantParam(to.instant)})`;
}

/**
 * Cases still being prepared or discussed: the question is searched among them (or among the
 * status the user picked), through case_pathway_status_idx, not across ten years of records.
 * Closed cases are found by their patient.
 */
export const questionSearchStatuses: readonly CaseStatus[] = [
	'draft',
	'submitted',
	'scheduled',
	'deferred',
	'presented'
];

async function caseIdsByQuestion(words: string[], status: CaseStatus | null): Promise<SQL> {
	const pathwayIds = (await getDb().select({ id: pathways.id }).from(pathways)).map((p) => p.id);
	const statuses = status ? [status] : [...questionSearchStatuses];
	if (!pathwayIds.length) return sql`select null where 0`;
	return sql`select ${cases.id} from ${cases} where ${inArray(cases.pathwayId, pathwayIds)}
		and ${inArray(cases.status, statuses)} and ${questionMatches(words)}`;
}

/**
 * What a case must match — its patient, its meeting day, its question — as one list of case
 * ids (a union of indexed lookups), so SQLite starts from those few cases and checks the
 * access rule on them only.
 */
async function caseCondition(q: SearchQuery, status: CaseStatus | null): Promise<SQL | null> {
	const arms: SQL[] = [];
	const byPatient = patientIdsMatching(q);
	if (byPatient)
		arms.push(sql`select ${cases.id} from ${cases} where ${cases.patientId} in ${byPatient}`);
	if (q.kind === 'date') {
		const byMeeting = meetingIdsOnDay(q.date);
		if (byMeeting)
			arms.push(sql`select ${cases.id} from ${cases} where ${cases.meetingId} in ${byMeeting}`);
	}
	if (q.kind === 'text') arms.push(await caseIdsByQuestion(q.words, status));
	return arms.length ? sql`${cases.id} in (${sql.join(arms, sql` union `)})` : null;
}

// ---------- the search ----------

export interface SearchInput {
	query: SearchQuery;
	/** A case status, or null for every status. */
	status: string | null;
}

/** Whether the input asks anything (text, or at least a status). */
export function isSearchAsked(input: SearchInput): boolean {
	return (
		input.query.kind === 'date' ||
		input.query.kind === 'ins' ||
		input.query.kind === 'text' ||
		(input.query.kind === 'empty' && input.status !== null)
	);
}

/**
 * The patient's latest visible case: SQLite takes a bare column from the row holding max();
 * PostgreSQL has no bare columns, so the ids are aggregated newest first.
 */
const latestCaseColumns = {
	latestAt: sql<number>`max(${cases.createdAt})`,
	latestCaseId: onPostgres
		? sql<string>`(array_agg(${cases.id} order by ${cases.createdAt} desc))[1]`
		: sql<string>`${cases.id}`
};

async function searchPatientRows(actor: UserActor, condition: SQL): Promise<PatientHit[]> {
	return (
		await getDb()
			.select({
				id: patients.id,
				birthName: patients.birthName,
				usedName: patients.usedName,
				firstNames: patients.firstNames,
				sex: patients.sex,
				birthDate: patients.birthDate,
				insMatricule: patients.insMatricule,
				identityStatus: patients.identityStatus,
				caseCount: sql<number>`count(*)`.mapWith(Number),
				...latestCaseColumns
			})
			.from(patients)
			.innerJoin(cases, eq(cases.patientId, patients.id))
			.where(and(condition, visibleCaseCondition(actor)))
			.groupBy(patients.id)
			.orderBy(patients.birthName, patients.firstNames, patients.birthDate)
			.limit(SEARCH_LIMIT + 1)
	).map((r) => ({
		id: r.id,
		birthName: r.birthName,
		usedName: r.usedName,
		firstNames: r.firstNames,
		sex: r.sex,
		birthDate: r.birthDate,
		ins: r.insMatricule ? formatIns(r.insMatricule) : null,
		identityStatusLabel: identityStatusLabels[r.identityStatus] ?? 'Identité',
		caseCount: r.caseCount,
		latestCaseId: r.latestCaseId
	}));
}

async function searchCaseRows(
	actor: UserActor,
	conditions: (SQL | undefined)[]
): Promise<CaseHit[]> {
	return (
		await getDb()
			.select({
				id: cases.id,
				patientId: cases.patientId,
				birthName: patients.birthName,
				firstNames: patients.firstNames,
				birthDate: patients.birthDate,
				pathwayName: pathways.name,
				question: cases.question,
				status: cases.status,
				startsAt: meetings.startsAt
			})
			.from(cases)
			.innerJoin(patients, eq(patients.id, cases.patientId))
			.innerJoin(pathways, eq(pathways.id, cases.pathwayId))
			.leftJoin(meetings, eq(meetings.id, cases.meetingId))
			.where(and(...conditions, visibleCaseCondition(actor)))
			.orderBy(desc(sql`coalesce(${meetings.startsAt}, ${cases.createdAt})`), desc(cases.id))
			.limit(SEARCH_LIMIT + 1)
	).map((r) => ({
		id: r.id,
		patientId: r.patientId,
		patientName: `${r.birthName} ${r.firstNames.join(' ')}`.trim(),
		patientBirthDate: r.birthDate,
		pathwayName: r.pathwayName,
		question: r.question.length > 200 ? `${r.question.slice(0, 199)}…` : r.question,
		status: r.status,
		statusLabel: caseStatusLabels[r.status],
		meetingStartsAt: r.startsAt ?? null
	}));
}

/**
 * Runs the search for a user. The administrator gets nothing (no patient data, DESIGN §2);
 * the page tells them so before calling. Two statements, whatever the size of the base.
 */
export async function searchRecords(
	actor: UserActor,
	input: SearchInput,
	audit: AuditContext
): Promise<SearchResults> {
	if (actor.isAdmin || !isSearchAsked(input)) return emptyResults;
	const status = input.status !== null && isCaseStatus(input.status) ? input.status : null;
	const byPatient = patientIdsMatching(input.query);
	// A status narrows the cases only: patients are found by who they are.
	const patientRows =
		byPatient && status === null
			? await searchPatientRows(actor, sql`${patients.id} in ${byPatient}`)
			: [];
	const caseRows = await searchCaseRows(actor, [
		(await caseCondition(input.query, status)) ?? undefined,
		status ? eq(cases.status, status) : undefined
	]);
	const results: SearchResults = {
		patients: patientRows.slice(0, SEARCH_LIMIT),
		cases: caseRows.slice(0, SEARCH_LIMIT),
		morePatients: patientRows.length > SEARCH_LIMIT,
		moreCases: caseRows.length > SEARCH_LIMIT
	};
	await recordSearchAudit(results, input, status, audit);
	return results;
}

/** One row per search that showed patient data: the patients and cases shown (ids only). */
async function recordSearchAudit(
	results: SearchResults,
	input: SearchInput,
	status: CaseStatus | null,
	audit: AuditContext
): Promise<void> {
	if (!results.patients.length && !results.cases.length) return;
	// Every patient shown, in either table; the patient column is filled when there is one.
	const patientIds = [
		...new Set([...results.patients.map((p) => p.id), ...results.cases.map((c) => c.patientId)])
	];
	const caseIds = results.cases.map((c) => c.id);
	await recordAudit(audit, {
		action: 'search.results',
		objectType: 'search',
		objectId: null,
		patientId: patientIds.length === 1 ? patientIds[0]! : null,
		detail: {
			by: input.query.kind,
			...(status ? { status } : {}),
			patients: patientIds,
			cases: caseIds,
			...(results.morePatients || results.moreCases ? { truncated: true } : {})
		}
	});
}
