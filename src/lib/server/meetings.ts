import { and, asc, eq, gte, inArray, isNull, or } from 'drizzle-orm';
import type { MeetingRef } from './auth/access';
import {
	addDaysLocal,
	listOccurrenceDates,
	parisLocalToUtc,
	toParisParts
} from '$lib/domain/schedule';
import { recordAudit, type AuditContext } from './audit';
import { getDb, type DbOrTx } from './db';
import { invitations, meetings, meetingSeries, pathways, users } from './db/schema';

type SeriesInsert = typeof meetingSeries.$inferInsert;
export type SeriesInput = Omit<SeriesInsert, 'id' | 'createdAt' | 'createdBy' | 'endedAt'>;
export type MeetingRow = typeof meetings.$inferSelect;

/** How far ahead series occurrences are materialized as meeting rows. */
export const MATERIALIZE_DAYS = 180;

export function createSeries(
	input: SeriesInput,
	audit: AuditContext,
	tx: DbOrTx = getDb(),
	now: Date = new Date()
): string {
	const id = crypto.randomUUID();
	tx.insert(meetingSeries)
		.values({ ...input, id, createdBy: audit.actorId })
		.run();
	materializeSeries(id, tx, now);
	recordAudit(audit, { action: 'series.create', objectType: 'meeting_series', objectId: id }, tx);
	return id;
}

/**
 * Creates the meeting rows of a series up to the horizon. Existing occurrences (even moved or
 * cancelled ones) are left alone thanks to the (series, occurrence date) unique key; occurrences
 * already past are marked closed, as a series started in the past only records history.
 */
export function materializeSeries(
	seriesId: string,
	tx: DbOrTx = getDb(),
	now: Date = new Date()
): number {
	const s = tx.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId)).get();
	if (!s || s.endedAt) return 0;
	const pathway = tx.select().from(pathways).where(eq(pathways.id, s.pathwayId)).get();
	if (!pathway) return 0;
	const to = addDaysLocal(toParisParts(now).date, MATERIALIZE_DAYS);
	const dates = listOccurrenceDates(s, { to });
	let created = 0;
	for (const date of dates) {
		const start = parisLocalToUtc(date, s.localStartTime);
		if (!start.ok) continue; // a time erased by the spring-forward change: skipped that day
		const startsAt = start.instant;
		const endsAt = new Date(startsAt.getTime() + s.durationMinutes * 60_000);
		const result = tx
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
			.onConflictDoNothing()
			.run();
		created += result.changes;
	}
	return created;
}

export function getMeeting(id: string): MeetingRow | undefined {
	return getDb().select().from(meetings).where(eq(meetings.id, id)).get();
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
}

/** Upcoming meetings of the user's pathways, plus meetings they are personally invited to. */
export function listUpcomingMeetings(
	userId: string,
	pathwayIds: string[],
	now: Date = new Date(),
	limit = 20
): AgendaMeeting[] {
	const db = getDb();
	const invited = db
		.select({ meetingId: invitations.meetingId })
		.from(invitations)
		.where(and(eq(invitations.userId, userId), isNull(invitations.revokedAt)))
		.all()
		.map((r) => r.meetingId)
		.filter((id): id is string => id !== null);
	const scope = [
		...(pathwayIds.length ? [inArray(meetings.pathwayId, pathwayIds)] : []),
		...(invited.length ? [inArray(meetings.id, invited)] : [])
	];
	if (!scope.length) return [];
	return db
		.select({
			id: meetings.id,
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
		.leftJoin(users, eq(users.id, meetings.chairId))
		.where(and(gte(meetings.endsAt, now), or(...scope)))
		.orderBy(asc(meetings.startsAt))
		.limit(limit)
		.all()
		.map(({ chairFirst, chairLast, chairTitle, ...m }) => ({
			...m,
			chairName: chairLast ? [chairTitle, chairFirst, chairLast].filter(Boolean).join(' ') : null
		}));
}

/** Users holding a live invitation to the meeting itself or to its series (not case-scoped). */
export function listInvitedUserIds(
	meeting: Pick<MeetingRow, 'id' | 'seriesId'>,
	tx: DbOrTx = getDb()
): string[] {
	const scope = meeting.seriesId
		? or(eq(invitations.meetingId, meeting.id), eq(invitations.seriesId, meeting.seriesId))
		: eq(invitations.meetingId, meeting.id);
	return tx
		.select({ userId: invitations.userId })
		.from(invitations)
		.where(and(scope, isNull(invitations.revokedAt), isNull(invitations.caseId)))
		.all()
		.map((r) => r.userId)
		.filter((id): id is string => id !== null);
}

/** The facts the access policy needs about a meeting. */
export function toMeetingRef(meeting: MeetingRow, tx: DbOrTx = getDb()): MeetingRef {
	return {
		id: meeting.id,
		pathwayId: meeting.pathwayId,
		chairId: meeting.chairId,
		status: meeting.status,
		invitedUserIds: listInvitedUserIds(meeting, tx)
	};
}

export function getMeetingRef(meetingId: string): { meeting: MeetingRow; ref: MeetingRef } | null {
	const meeting = getMeeting(meetingId);
	return meeting ? { meeting, ref: toMeetingRef(meeting) } : null;
}
