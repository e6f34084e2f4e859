import { findPublicHoliday } from '$lib/domain/holidays';
import {
	describeRecurrence,
	planOccurrences,
	type PlannedOccurrence
} from '$lib/domain/meeting-plan';
import {
	addDaysLocal,
	listOccurrenceDates,
	parisLocalToUtc,
	toParisParts
} from '$lib/domain/schedule';
import { and, asc, eq, gt, gte, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import type { MeetingRef } from './auth/access';
import { type CalendarMeeting } from './calendar';
import { getDb, type DbOrTx, queryOne, affectedRows } from './db';
import { invitations, meetings, meetingSeries, pathways, users } from './db/schema';
import {
	findUserInvitation,
	listMeetingInvitees,
	toCalendarMeeting,
	type InvitationReply
} from './invitations';
import { formatPersonName } from './users';

type SeriesInsert = typeof meetingSeries.$inferInsert;
export type SeriesInput = Omit<SeriesInsert, 'id' | 'createdAt' | 'createdBy' | 'endedAt'>;
export type MeetingRow = typeof meetings.$inferSelect;

/** How far ahead series occurrences are materialized as meeting rows. */
export const MATERIALIZE_DAYS = 180;

export async function createSeries(
	input: SeriesInput,
	audit: AuditContext,
	tx: DbOrTx = getDb(),
	now: Date = new Date(),
	id: string = crypto.randomUUID()
): Promise<string> {
	await tx.insert(meetingSeries).values({ ...input, id, createdBy: audit.actorId });
	await materializeSeries(id, tx, now);
	await recordAudit(
		audit,
		{ action: 'series.create', objectType: 'meeting_series', objectId: id },
		tx
	);
	return id;
}

/**
 * Creates the meeting rows of a series up to the horizon. Existing occurrences (even moved or
 * cancelled ones) are left alone thanks to the (series, occurrence date) unique key; occurrences
 * already past are marked closed, as a series started in the past only records history.
 */
export async function materializeSeries(
	seriesId: string,
	tx: DbOrTx = getDb(),
	now: Date = new Date()
): Promise<number> {
	const s = await queryOne(tx.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId)));
	if (!s || s.endedAt) return 0;
	const pathway = await queryOne(tx.select().from(pathways).where(eq(pathways.id, s.pathwayId)));
	if (!pathway) return 0;
	const to = addDaysLocal(toParisParts(now).date, MATERIALIZE_DAYS);
	const dates = listOccurrenceDates(s, { to });
	let created = 0;
	for (const date of dates) {
		const start = parisLocalToUtc(date, s.localStartTime);
		if (!start.ok) continue; // a time erased by the spring-forward change: skipped that day
		if (s.skipHolidays && findPublicHoliday(date)) continue; // not held: EXDATE in calendars
		const startsAt = start.instant;
		const endsAt = new Date(startsAt.getTime() + s.durationMinutes * 60_000);
		const result = await tx
			.insert(meetings)
			.values({
				pathwayId: s.pathwayId,
				seriesId: s.id,
				occurrenceDate: date,
				startsAt,
				endsAt,
				status: endsAt < now ? 'closed' : 'scheduled',
				closedAt: endsAt < now ? endsAt : null,
				chairId: s.chairId,
				deadlineAt: new Date(startsAt.getTime() - pathway.submissionDeadlineHours * 3_600_000),
				place: s.place,
				videoOffered: s.videoOffered
			})
			.onConflictDoNothing();
		created += affectedRows(result);
	}
	return created;
}

export async function getMeeting(id: string): Promise<MeetingRow | undefined> {
	return await queryOne(getDb().select().from(meetings).where(eq(meetings.id, id)));
}

export interface AgendaMeeting {
	id: string;
	startsAt: Date;
	endsAt: Date;
	status: MeetingRow['status'];
	place: string;
	videoOffered: boolean;
	pathwayId: string;
	pathwayName: string;
	chairName: string | null;
	/** The user's answer when invited, null when they are not. */
	reply: InvitationReply | null;
}

/** Meetings the user takes part in: their pathways', and those they are invited to. */
async function userMeetingScope(userId: string, pathwayIds: readonly string[], db: DbOrTx) {
	const rows = await db
		.select({ meetingId: invitations.meetingId, seriesId: invitations.seriesId })
		.from(invitations)
		.where(
			and(eq(invitations.userId, userId), isNull(invitations.revokedAt), isNull(invitations.caseId))
		);
	const meetingIds = rows.map((r) => r.meetingId).filter((id): id is string => id !== null);
	const seriesIds = rows
		.filter((r) => r.meetingId === null)
		.map((r) => r.seriesId)
		.filter((id): id is string => id !== null);
	const scope = [
		...(pathwayIds.length ? [inArray(meetings.pathwayId, [...pathwayIds])] : []),
		...(meetingIds.length ? [inArray(meetings.id, meetingIds)] : []),
		...(seriesIds.length ? [inArray(meetings.seriesId, seriesIds)] : [])
	];
	return scope.length ? or(...scope) : null;
}

function selectAgenda(db: DbOrTx) {
	return db
		.select({
			id: meetings.id,
			seriesId: meetings.seriesId,
			startsAt: meetings.startsAt,
			endsAt: meetings.endsAt,
			status: meetings.status,
			place: meetings.place,
			videoOffered: meetings.videoOffered,
			pathwayId: meetings.pathwayId,
			pathwayName: pathways.name,
			chairFirst: users.firstName,
			chairLast: users.lastName,
			chairTitle: users.title
		})
		.from(meetings)
		.innerJoin(pathways, eq(pathways.id, meetings.pathwayId))
		.leftJoin(users, eq(users.id, meetings.chairId));
}

type AgendaSelectRow = Awaited<ReturnType<ReturnType<typeof selectAgenda>['all']>>[number];

async function toAgendaMeeting(
	row: AgendaSelectRow,
	userId: string,
	db: DbOrTx
): Promise<AgendaMeeting> {
	const { chairFirst, chairLast, chairTitle, seriesId, ...m } = row;
	return {
		...m,
		chairName: chairLast ? [chairTitle, chairFirst, chairLast].filter(Boolean).join(' ') : null,
		reply: (await findUserInvitation({ id: m.id, seriesId }, userId, db))?.reply ?? null
	};
}

/** Upcoming meetings of the user's pathways, plus meetings they are personally invited to. */
export async function listUpcomingMeetings(
	userId: string,
	pathwayIds: string[],
	now: Date = new Date(),
	limit = 20
): Promise<AgendaMeeting[]> {
	const db = getDb();
	const scope = await userMeetingScope(userId, pathwayIds, db);
	if (!scope) return [];
	return await Promise.all(
		(
			await selectAgenda(db)
				.where(and(gte(meetings.endsAt, now), scope))
				.orderBy(asc(meetings.startsAt))
				.limit(limit)
		).map((row) => toAgendaMeeting(row, userId, db))
	);
}

/** The user's meetings starting in [from, to), cancelled ones included (the month view). */
export async function listUserMeetingsBetween(
	userId: string,
	pathwayIds: readonly string[],
	from: Date,
	to: Date
): Promise<AgendaMeeting[]> {
	const db = getDb();
	const scope = await userMeetingScope(userId, pathwayIds, db);
	if (!scope) return [];
	return await Promise.all(
		(
			await selectAgenda(db)
				.where(and(gte(meetings.startsAt, from), lt(meetings.startsAt, to), scope))
				.orderBy(asc(meetings.startsAt))
		).map((row) => toAgendaMeeting(row, userId, db))
	);
}

/** The user's meetings as calendar entries, for the personal feed. */
export async function listUserCalendar(
	userId: string,
	pathwayIds: readonly string[],
	from: Date,
	to: Date
): Promise<CalendarMeeting[]> {
	const db = getDb();
	const scope = await userMeetingScope(userId, pathwayIds, db);
	if (!scope) return [];
	return (
		await db
			.select({ row: meetings, pathwayName: pathways.name, chair: users })
			.from(meetings)
			.innerJoin(pathways, eq(pathways.id, meetings.pathwayId))
			.leftJoin(users, eq(users.id, meetings.chairId))
			.where(and(gte(meetings.startsAt, from), lt(meetings.startsAt, to), scope))
			.orderBy(asc(meetings.startsAt))
	).map(({ row, pathwayName, chair }) => toCalendarMeeting(row, pathwayName, chair));
}

/** Users holding a live invitation to the meeting itself or to its series (not case-scoped). */
export async function listInvitedUserIds(
	meeting: Pick<MeetingRow, 'id' | 'seriesId'>,
	tx: DbOrTx = getDb()
): Promise<string[]> {
	const scope = meeting.seriesId
		? or(eq(invitations.meetingId, meeting.id), eq(invitations.seriesId, meeting.seriesId))
		: eq(invitations.meetingId, meeting.id);
	return (
		await tx
			.select({ userId: invitations.userId })
			.from(invitations)
			.where(and(scope, isNull(invitations.revokedAt), isNull(invitations.caseId)))
	)
		.map((r) => r.userId)
		.filter((id): id is string => id !== null);
}

/** The facts the access policy needs about a meeting. */
export async function toMeetingRef(meeting: MeetingRow, tx: DbOrTx = getDb()): Promise<MeetingRef> {
	return {
		id: meeting.id,
		pathwayId: meeting.pathwayId,
		chairId: meeting.chairId,
		status: meeting.status,
		invitedUserIds: await listInvitedUserIds(meeting, tx)
	};
}

export async function getMeetingRef(
	meetingId: string
): Promise<{ meeting: MeetingRow; ref: MeetingRef } | null> {
	const meeting = await getMeeting(meetingId);
	return meeting ? { meeting, ref: await toMeetingRef(meeting) } : null;
}

// ---------- planning (coordinators) ----------
// ---------- reading ----------

export type SeriesRow = typeof meetingSeries.$inferSelect;

export interface SeriesSummary extends SeriesRow {
	description: string;
	chairName: string | null;
}

async function chairNameOf(id: string | null, tx: DbOrTx): Promise<string | null> {
	if (!id) return null;
	const u = await queryOne(tx.select().from(users).where(eq(users.id, id)));
	return u ? formatPersonName(u) : null;
}

export async function getSeries(seriesId: string): Promise<SeriesSummary | null> {
	const db = getDb();
	const s = await queryOne(db.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId)));
	return s
		? { ...s, description: describeRecurrence(s), chairName: await chairNameOf(s.chairId, db) }
		: null;
}

export async function listPathwaySeries(pathwayId: string): Promise<SeriesSummary[]> {
	const db = getDb();
	const rows = await db
		.select()
		.from(meetingSeries)
		.where(eq(meetingSeries.pathwayId, pathwayId))
		.orderBy(asc(meetingSeries.createdAt));
	return Promise.all(
		rows.map(async (s) => ({
			...s,
			description: describeRecurrence(s),
			chairName: await chairNameOf(s.chairId, db)
		}))
	);
}

export interface SeriesOccurrence extends PlannedOccurrence {
	meetingId: string | null;
}

/** The series from today to the planning horizon, with cancellations and moves shown. */
export async function listSeriesOccurrences(
	series: SeriesRow,
	now: Date = new Date()
): Promise<SeriesOccurrence[]> {
	const today = toParisParts(now).date;
	const stored = await getDb()
		.select()
		.from(meetings)
		.where(and(eq(meetings.seriesId, series.id), isNotNull(meetings.occurrenceDate)));
	const byDate = new Map(stored.map((m) => [m.occurrenceDate!, m]));
	const plan = planOccurrences(
		series,
		{ from: today, to: addDaysLocal(today, MATERIALIZE_DAYS) },
		stored.map((m) => ({
			occurrenceDate: m.occurrenceDate!,
			startsAt: m.startsAt,
			endsAt: m.endsAt,
			status: m.status
		}))
	);
	return plan.occurrences
		.filter((o) => o.stored)
		.map((o) => ({ ...o, meetingId: byDate.get(o.occurrenceDate)?.id ?? null }));
}

export interface PathwayMeetingLine {
	id: string;
	startsAt: Date;
	endsAt: Date;
	status: MeetingRow['status'];
	place: string;
	videoOffered: boolean;
	seriesId: string | null;
	chairName: string | null;
	cancelReason: string | null;
	invited: number;
	accepted: number;
}

/** The pathway's meetings in a period, cancelled ones included, with their answers so far. */
export async function listPathwayMeetings(
	pathwayId: string,
	from: Date,
	to: Date
): Promise<PathwayMeetingLine[]> {
	return await Promise.all(
		(
			await getDb()
				.select({ m: meetings, chair: users })
				.from(meetings)
				.leftJoin(users, eq(users.id, meetings.chairId))
				.where(
					and(
						eq(meetings.pathwayId, pathwayId),
						gte(meetings.endsAt, from),
						lt(meetings.startsAt, to)
					)
				)
				.orderBy(asc(meetings.startsAt))
		).map(async ({ m, chair }) => ({
			id: m.id,
			startsAt: m.startsAt,
			endsAt: m.endsAt,
			status: m.status,
			place: m.place,
			videoOffered: m.videoOffered,
			seriesId: m.seriesId,
			chairName: chair ? formatPersonName(chair) : null,
			cancelReason: m.cancelReason,
			...(await countReplies(m))
		}))
	);
}

async function countReplies(m: MeetingRow): Promise<{ invited: number; accepted: number }> {
	const invitees = await listMeetingInvitees(m);
	return {
		invited: invitees.length,
		accepted: invitees.filter((i) => i.reply === 'accepted').length
	};
}

export interface MeetingOverview {
	meeting: MeetingRow;
	pathwayName: string;
	chairName: string | null;
	series: { id: string; description: string } | null;
}

export async function getMeetingOverview(meeting: MeetingRow): Promise<MeetingOverview> {
	const db = getDb();
	const pathway = (await queryOne(
		db.select().from(pathways).where(eq(pathways.id, meeting.pathwayId))
	))!;
	const series = meeting.seriesId
		? await queryOne(db.select().from(meetingSeries).where(eq(meetingSeries.id, meeting.seriesId)))
		: undefined;
	return {
		meeting,
		pathwayName: pathway.name,
		chairName: await chairNameOf(meeting.chairId, db),
		series: series ? { id: series.id, description: describeRecurrence(series) } : null
	};
}

/** The pathway's next meeting, for the list of pathways. */
export async function findNextMeeting(
	pathwayId: string,
	now: Date = new Date()
): Promise<MeetingRow | null> {
	return (
		(await queryOne(
			getDb()
				.select()
				.from(meetings)
				.where(
					and(
						eq(meetings.pathwayId, pathwayId),
						gt(meetings.endsAt, now),
						or(eq(meetings.status, 'scheduled'), eq(meetings.status, 'open'))
					)
				)
				.orderBy(asc(meetings.startsAt))
				.limit(1)
		)) ?? null
	);
}

// ---------- upkeep ----------
// ---------- personal calendar feed ----------
