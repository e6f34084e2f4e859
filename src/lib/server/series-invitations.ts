/**
 * Series invitations as one recurring calendar event: the series as calendars see it (rule,
 * dates not held, occurrences that differ), the one mail per invitee that carries it, and the
 * signed link that answers for the whole series. Orchestration (who gets what, when) stays in
 * invitations.ts, which imports this module (never the other way round).
 */
import { and, asc, eq, gt, inArray, or, sql } from 'drizzle-orm';
import { describeRecurrence } from '$lib/domain/meeting-plan';
import { findHolidayDates, formatHoliday } from '$lib/domain/holidays';
import {
	composeSeriesInvitationMail,
	type SeriesMailKind
} from '$lib/domain/series-invitation-mail';
import {
	addDaysLocal,
	listOccurrenceDates,
	parisLocalToUtc,
	toParisParts,
	type RecurrenceRule
} from '$lib/domain/schedule';
import { meetingUrl, type CalendarMeeting } from './calendar';
import { getMailFrom, getPublicOrigin } from './config';
import { getDb, type DbOrTx, queryOne } from './db';
import { meetings, meetingSeries, pathways, users } from './db/schema';
import { sendMail, type MailOutcome } from './mail';
import {
	buildOccurrenceInvite,
	buildSeriesInvite,
	overrideSequence,
	seriesUid,
	type CalendarSeries,
	type SeriesOverride
} from './series-calendar';
import { signPayload, verifyPayload } from './signing';
import { formatPersonName } from './users';

type MeetingRow = typeof meetings.$inferSelect;
type SeriesRow = typeof meetingSeries.$inferSelect;

/**
 * mailedUntil of a series invitation whose recurring invite went out: it covers every meeting
 * of the series. Rows with an earlier, finite value were mailed meeting by meeting (before the
 * recurring invite) and keep being so.
 */
export const SERIES_INVITE_MAILED = new Date('9999-12-31T00:00:00.000Z');

/** How far ahead skipped holidays are listed as EXDATEs for a series without an end. */
const HOLIDAY_HORIZON_DAYS = 3 * 366;

export function isSeriesMailed(inv: {
	seriesId: string | null;
	meetingId: string | null;
	mailedUntil: Date | null;
}): boolean {
	return (
		inv.seriesId !== null &&
		inv.meetingId === null &&
		inv.mailedUntil?.getTime() === SERIES_INVITE_MAILED.getTime()
	);
}

function ruleOf(s: SeriesRow): RecurrenceRule {
	return {
		frequency: s.frequency,
		weekday: s.weekday,
		nthWeek: s.nthWeek,
		startDate: s.startDate,
		untilDate: s.untilDate,
		count: s.count
	};
}

/** Rule dates (up to the end of the series, or three years ahead) on a public holiday. */
export function listSkippedHolidays(s: SeriesRow, now: Date): string[] {
	if (!s.skipHolidays) return [];
	const to = s.untilDate ?? addDaysLocal(toParisParts(now).date, HOLIDAY_HORIZON_DAYS);
	return findHolidayDates(listOccurrenceDates(ruleOf(s), { to })).map((h) => h.date);
}

async function chairNames(
	ids: readonly (string | null)[],
	tx: DbOrTx
): Promise<Map<string, string>> {
	const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
	if (!wanted.length) return new Map();
	return new Map(
		(await tx.select().from(users).where(inArray(users.id, wanted))).map((u) => [
			u.id,
			formatPersonName(u)
		])
	);
}

function asCalendarMeeting(
	row: MeetingRow,
	pathwayName: string,
	chair: string | null
): CalendarMeeting {
	return {
		id: row.id,
		startsAt: row.startsAt,
		endsAt: row.endsAt,
		status: row.status,
		cancelReason: row.cancelReason,
		place: row.place,
		videoOffered: row.videoOffered,
		icsSequence: row.icsSequence,
		deadlineAt: row.deadlineAt,
		pathwayName,
		chairName: chair,
		updatedAt: row.updatedAt,
		createdAt: row.createdAt
	};
}

/** True when the meeting is not what the series' rule and defaults would make of that date. */
function differsFromSeries(m: MeetingRow, s: SeriesRow): boolean {
	if (!m.occurrenceDate) return false;
	const expected = parisLocalToUtc(m.occurrenceDate, s.localStartTime);
	if (!expected.ok) return true;
	return (
		m.startsAt.getTime() !== expected.instant.getTime() ||
		m.endsAt.getTime() !== expected.instant.getTime() + s.durationMinutes * 60_000 ||
		m.place !== s.place ||
		m.videoOffered !== s.videoOffered ||
		m.chairId !== s.chairId
	);
}

export type LoadedSeries = CalendarSeries & { row: SeriesRow; next: MeetingRow | null };

/** The series with what its recurring calendar entry says, as of now. */
export async function loadCalendarSeries(
	seriesId: string,
	now: Date = new Date(),
	tx: DbOrTx = getDb()
): Promise<LoadedSeries | null> {
	const found = await queryOne(
		tx
			.select({ s: meetingSeries, pathway: pathways })
			.from(meetingSeries)
			.innerJoin(pathways, eq(pathways.id, meetingSeries.pathwayId))
			.where(eq(meetingSeries.id, seriesId))
	);
	if (!found) return null;
	const { s, pathway } = found;
	const rows = await tx
		.select()
		.from(meetings)
		.where(eq(meetings.seriesId, seriesId))
		.orderBy(asc(meetings.startsAt));
	const names = await chairNames([s.chairId, ...rows.map((m) => m.chairId)], tx);
	const overrides: SeriesOverride[] = rows
		.filter((m) => m.status !== 'cancelled' && m.occurrenceDate && differsFromSeries(m, s))
		.map((m) => ({
			occurrenceDate: m.occurrenceDate!,
			meeting: asCalendarMeeting(m, pathway.name, m.chairId ? (names.get(m.chairId) ?? null) : null)
		}));
	const exdates = [
		...rows
			.filter((m) => m.status === 'cancelled' && m.occurrenceDate)
			.map((m) => m.occurrenceDate!),
		...listSkippedHolidays(s, now)
	];
	const next =
		rows.find((m) => (m.status === 'scheduled' || m.status === 'open') && m.endsAt > now) ?? null;
	return {
		id: s.id,
		rule: ruleOf(s),
		localStartTime: s.localStartTime,
		durationMinutes: s.durationMinutes,
		pathwayName: pathway.name,
		place: s.place,
		videoOffered: s.videoOffered,
		chairName: s.chairId ? (names.get(s.chairId) ?? null) : null,
		deadlineHours: pathway.submissionDeadlineHours,
		icsSequence: s.icsSequence,
		createdAt: s.createdAt,
		exdates,
		overrides,
		entryMeetingId: next?.id ?? null,
		row: s,
		next
	};
}

/** The occurrence as its override (or cancellation) VEVENT would carry it. */
export function toSeriesOverride(
	series: LoadedSeries,
	meeting: CalendarMeeting & { row: MeetingRow }
): SeriesOverride | null {
	return meeting.row.occurrenceDate && meeting.row.seriesId === series.id
		? { occurrenceDate: meeting.row.occurrenceDate, meeting }
		: null;
}

/** The calendar part of a mail about one occurrence of a series already in the invitee's diary. */
export function buildOccurrenceCalendar(
	series: LoadedSeries,
	override: SeriesOverride,
	method: 'REQUEST' | 'CANCEL',
	attendee: { email: string; name: string },
	now: Date = new Date()
): { content: string; uid: string; sequence: number } {
	return {
		content: buildOccurrenceInvite(series, override, method, attendee, now),
		uid: seriesUid(series.id),
		sequence: overrideSequence(series, override.meeting)
	};
}

// ---------- answering for the whole series ----------

function seriesReplyPayload(invitationId: string): string {
	return `reply-series:${invitationId}`;
}

/** The signed link that answers a series invitation for all its meetings, without logging in. */
export async function buildSeriesReplyLink(
	invitationId: string,
	answer?: 'oui' | 'non'
): Promise<string> {
	const s = await signPayload(seriesReplyPayload(invitationId));
	const query = new URLSearchParams({ s, ...(answer ? { reponse: answer } : {}) });
	return `${getPublicOrigin()}/reply/${invitationId}/serie?${query}`;
}

export async function verifySeriesReplySignature(
	invitationId: string,
	signature: string | null
): Promise<boolean> {
	return signature !== null && (await verifyPayload(seriesReplyPayload(invitationId), signature));
}

/** Coming meetings of the series (for a series-wide answer). */
export async function listComingSeriesMeetingIds(
	seriesId: string,
	now: Date,
	tx: DbOrTx
): Promise<string[]> {
	return (
		await tx
			.select({ id: meetings.id })
			.from(meetings)
			.where(
				and(
					eq(meetings.seriesId, seriesId),
					gt(meetings.endsAt, now),
					or(eq(meetings.status, 'scheduled'), eq(meetings.status, 'open'))
				)
			)
	).map((m) => m.id);
}

// ---------- the one mail per invitee ----------

export interface SeriesRecipient {
	invitationId: string;
	email: string | null;
	name: string;
	salutation: string;
}

function mailDomain(): string {
	return /@([^>\s]+)/.exec(getMailFrom())?.[1] ?? 'pluri.localhost';
}

/**
 * The series invite (REQUEST: rule, dates not held, changed occurrences) or its withdrawal
 * (CANCEL of the whole series) for one invitee. Its Message-ID is fixed by the series' SEQUENCE,
 * so a repeated run never sends the same mail twice.
 */
export async function mailSeriesInvite(
	recipient: SeriesRecipient,
	series: LoadedSeries,
	kind: SeriesMailKind,
	now: Date = new Date()
): Promise<MailOutcome | null> {
	if (!recipient.email) return null;
	const method = kind === 'invitation_revoked' ? 'CANCEL' : 'REQUEST';
	const content = buildSeriesInvite(
		series,
		method,
		{ email: recipient.email, name: recipient.name },
		now
	);
	if (!content) return null;
	const live = method === 'REQUEST';
	const notHeld = findHolidayDates(series.exdates)
		.filter((h) => h.date >= toParisParts(now).date)
		.map(formatHoliday);
	const { subject, text, secrets } = composeSeriesInvitationMail({
		kind,
		salutation: recipient.salutation,
		pathwayName: series.pathwayName,
		recurrence: describeRecurrence({ ...series.rule, localStartTime: series.localStartTime }),
		durationMinutes: series.durationMinutes,
		nextStartsAt: series.next?.startsAt ?? null,
		lastDate: series.rule.untilDate,
		place: series.place,
		videoOffered: series.videoOffered,
		chairName: series.chairName,
		deadlineHours: series.deadlineHours,
		notHeld,
		meetingLink: series.entryMeetingId ? meetingUrl(series.entryMeetingId) : null,
		acceptLink: live ? await buildSeriesReplyLink(recipient.invitationId, 'oui') : null,
		declineLink: live ? await buildSeriesReplyLink(recipient.invitationId, 'non') : null
	});
	return sendMail({
		to: recipient.email,
		subject,
		text,
		secrets,
		kind,
		messageId: `<series-${kind}.${recipient.invitationId}.${series.id}.${series.icsSequence}@${mailDomain()}>`,
		icalEvent: { method, content, uid: seriesUid(series.id), sequence: series.icsSequence }
	});
}

/** Raises the series' SEQUENCE after a series-wide change (rule end, chair, place, video). */
export async function bumpSeriesSequence(seriesId: string, tx: DbOrTx = getDb()): Promise<void> {
	await tx
		.update(meetingSeries)
		.set({ icsSequence: sql`${meetingSeries.icsSequence} + 1` })
		.where(eq(meetingSeries.id, seriesId));
}
