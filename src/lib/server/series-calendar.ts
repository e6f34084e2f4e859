/**
 * A series as one recurring calendar event (RFC 5545 RRULE, iTIP RFC 5546): the master VEVENT
 * carries the rule, EXDATEs for the occurrences that will not be held (cancelled, public
 * holidays skipped) and, with the same UID, one VEVENT per occurrence that differs from the rule
 * (RECURRENCE-ID = the occurrence's original start). Later changes to one occurrence send that
 * override alone, or a CANCEL for its RECURRENCE-ID; changes to the whole series resend all.
 */
import {
	ICalAttendeeRole,
	ICalAttendeeStatus,
	ICalCalendarMethod,
	ICalEventStatus
} from 'ical-generator';
import {
	findFirstOccurrence,
	formatIcalLocal,
	formatParisTime,
	formatRecurrenceRule,
	parisLocalToUtc,
	type RecurrenceRule
} from '$lib/domain/schedule';
import {
	CALENDAR_TIMEZONE,
	describeMeetingForCalendar,
	meetingUrl,
	newCalendar,
	normalizeCalendarText,
	organizer,
	parisWallClock,
	summaryOf,
	type CalendarAttendee,
	type CalendarMeeting
} from './calendar';

/** One occurrence whose date, time, place, video or chair differ from the series' own. */
export interface SeriesOverride {
	/** The series date it stands for (its RECURRENCE-ID), kept when it is moved. */
	occurrenceDate: string;
	meeting: CalendarMeeting;
}

/** What a calendar needs of a series; no patient data ever goes into it. */
export interface CalendarSeries {
	id: string;
	rule: RecurrenceRule;
	localStartTime: string;
	durationMinutes: number;
	pathwayName: string;
	place: string;
	videoOffered: boolean;
	chairName: string | null;
	deadlineHours: number;
	icsSequence: number;
	createdAt: Date;
	/** Local dates of the rule that will not be held. */
	exdates: readonly string[];
	overrides: readonly SeriesOverride[];
	/** The meeting page the entry opens (the next meeting), if any. */
	entryMeetingId: string | null;
}

/** Stable for the series' whole life: every change updates the same recurring entry. */
export function seriesUid(seriesId: string): string {
	return `rcp-series-${seriesId}@pluri`;
}

/** Overrides carry at least the master's SEQUENCE, raised by their own changes. */
export function overrideSequence(series: CalendarSeries, meeting: CalendarMeeting): number {
	return series.icsSequence + meeting.icsSequence;
}

function occurrenceStart(series: CalendarSeries, date: string): Date | null {
	const at = parisLocalToUtc(date, series.localStartTime);
	return at.ok ? at.instant : null;
}

function describeSeries(series: CalendarSeries): string {
	const lines = [
		`Réunion de concertation pluridisciplinaire : ${series.pathwayName}.`,
		`Lieu : ${series.place}${series.videoOffered ? ' (également en visioconférence depuis Pluri)' : ''}.`,
		series.chairName ? `Président de séance : ${series.chairName}.` : null,
		`Inscription des dossiers jusqu’à ${series.deadlineHours} h avant chaque séance.`,
		series.entryMeetingId ? `Page de la séance : ${meetingUrl(series.entryMeetingId)}` : null
	];
	return lines.filter((l): l is string => l !== null).join('\n');
}

function addAttendee(
	event: ReturnType<ReturnType<typeof newCalendar>['createEvent']>,
	attendee: CalendarAttendee | null,
	cancelled: boolean
): void {
	if (!attendee) return;
	event.createAttendee({
		email: attendee.email,
		name: attendee.name,
		role: ICalAttendeeRole.REQ,
		status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.NEEDSACTION,
		rsvp: false
	});
}

function addMaster(
	cal: ReturnType<typeof newCalendar>,
	series: CalendarSeries,
	attendee: CalendarAttendee | null,
	now: Date,
	cancelled: boolean
): boolean {
	const first = findFirstOccurrence(series.rule);
	const start = first ? occurrenceStart(series, first) : null;
	if (!first || !start) return false;
	const rrule = `RRULE:${formatRecurrenceRule(series.rule, series.localStartTime)}`;
	const exdates = [...new Set(series.exdates)]
		.filter((d) => d >= first)
		.sort()
		.map((d) => formatIcalLocal(d, series.localStartTime));
	const repeating = exdates.length
		? `${rrule}\r\nEXDATE;TZID=${CALENDAR_TIMEZONE}:${exdates.join(',')}`
		: rrule;
	const event = cal.createEvent({
		id: seriesUid(series.id),
		sequence: series.icsSequence,
		stamp: now,
		start: parisWallClock(start),
		end: parisWallClock(new Date(start.getTime() + series.durationMinutes * 60_000)),
		timezone: CALENDAR_TIMEZONE,
		repeating,
		summary: `${cancelled ? 'ANNULÉE — ' : ''}${summaryOf(series.pathwayName)}`,
		location: series.place,
		description: describeSeries(series),
		url: series.entryMeetingId ? meetingUrl(series.entryMeetingId) : null,
		status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
		organizer: organizer(),
		created: series.createdAt
	});
	addAttendee(event, attendee, cancelled);
	return true;
}

function addOverride(
	cal: ReturnType<typeof newCalendar>,
	series: CalendarSeries,
	override: SeriesOverride,
	attendee: CalendarAttendee | null,
	now: Date,
	cancelled: boolean
): void {
	const original = occurrenceStart(series, override.occurrenceDate);
	if (!original) return;
	const m = override.meeting;
	const event = cal.createEvent({
		id: seriesUid(series.id),
		sequence: overrideSequence(series, m),
		stamp: now,
		recurrenceId: parisWallClock(original),
		start: parisWallClock(m.startsAt),
		end: parisWallClock(m.endsAt),
		timezone: CALENDAR_TIMEZONE,
		summary: `${cancelled ? 'ANNULÉE — ' : ''}${summaryOf(m.pathwayName)}`,
		location: m.place,
		description: describeMeetingForCalendar(m),
		url: meetingUrl(m.id),
		status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
		organizer: organizer(),
		created: m.createdAt,
		lastModified: m.updatedAt ?? m.createdAt
	});
	addAttendee(event, attendee, cancelled);
}

/**
 * The series invite: REQUEST with the master (RRULE, EXDATE) and its overrides, or a CANCEL of
 * the whole series (withdrawn invitation). Null when the rule yields no occurrence.
 */
export function buildSeriesInvite(
	series: CalendarSeries,
	method: 'REQUEST' | 'CANCEL',
	attendee: CalendarAttendee | null,
	now: Date = new Date()
): string | null {
	const cancel = method === 'CANCEL';
	const cal = newCalendar(cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST);
	if (!addMaster(cal, series, attendee, now, cancel)) return null;
	if (!cancel) {
		for (const o of series.overrides) addOverride(cal, series, o, attendee, now, false);
	}
	return normalizeCalendarText(cal.toString());
}

/**
 * One occurrence changed after the series invite went out: its override (REQUEST) or the
 * cancellation of that RECURRENCE-ID (CANCEL), same UID, raised SEQUENCE.
 */
export function buildOccurrenceInvite(
	series: CalendarSeries,
	override: SeriesOverride,
	method: 'REQUEST' | 'CANCEL',
	attendee: CalendarAttendee | null,
	now: Date = new Date()
): string {
	const cancel = method === 'CANCEL';
	const cal = newCalendar(cancel ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST);
	addOverride(cal, series, override, attendee, now, cancel);
	return normalizeCalendarText(cal.toString());
}

/** « chaque mardi à 17 h 30 » style slot of the first occurrence, for mail subjects. */
export function formatSeriesStart(series: CalendarSeries): string | null {
	const first = findFirstOccurrence(series.rule);
	const start = first ? occurrenceStart(series, first) : null;
	return start ? formatParisTime(start) : null;
}
