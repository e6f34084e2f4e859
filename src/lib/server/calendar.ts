/**
 * iCalendar (RFC 5545 / iTIP RFC 5546) for meetings: the invite attached to each mail and the
 * personal subscription feed. Times are written as Paris wall-clock with TZID=Europe/Paris and
 * its VTIMEZONE, so calendar clients keep 17:30 at 17:30 across changes of hour.
 */
import ical, {
	ICalAttendeeRole,
	ICalAttendeeStatus,
	ICalCalendarMethod,
	ICalEventStatus,
	type ICalLuxonDateTimeStub
} from 'ical-generator';
import { formatParisDateTime, formatParisTime, toParisParts } from '$lib/domain/schedule';
import { getMailFrom, getPublicOrigin } from './config';

export const CALENDAR_TIMEZONE = 'Europe/Paris';

/**
 * Europe/Paris since 1996 (EU rule): summer time from the last Sunday of March 02:00 to the last
 * Sunday of October 03:00. Fixed by directive 2000/84/EC, so written out rather than generated.
 */
export const PARIS_VTIMEZONE = [
	'BEGIN:VTIMEZONE',
	'TZID:Europe/Paris',
	'X-LIC-LOCATION:Europe/Paris',
	'BEGIN:DAYLIGHT',
	'TZOFFSETFROM:+0100',
	'TZOFFSETTO:+0200',
	'TZNAME:CEST',
	'DTSTART:19700329T020000',
	'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
	'END:DAYLIGHT',
	'BEGIN:STANDARD',
	'TZOFFSETFROM:+0200',
	'TZOFFSETTO:+0100',
	'TZNAME:CET',
	'DTSTART:19701025T030000',
	'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
	'END:STANDARD',
	'END:VTIMEZONE'
].join('\r\n');

/** ical-generator adds the leading '-' of the formal public identifier. */
const PROD_ID = '//Pluri//RCP//FR';

/** What a calendar entry says about a meeting; no patient data ever goes into it. */
export interface CalendarMeeting {
	id: string;
	startsAt: Date;
	endsAt: Date;
	status: 'scheduled' | 'open' | 'closed' | 'cancelled';
	cancelReason: string | null;
	place: string;
	videoOffered: boolean;
	icsSequence: number;
	deadlineAt: Date;
	pathwayName: string;
	chairName: string | null;
	updatedAt: Date | null;
	createdAt: Date;
}

export interface CalendarAttendee {
	email: string;
	name: string;
}

/** Stable for the meeting's whole life: moves and cancellations update the same entry. */
export function meetingUid(meetingId: string): string {
	return `rcp-${meetingId}@pluri`;
}

export function meetingUrl(meetingId: string): string {
	return `${getPublicOrigin()}/meetings/${meetingId}`;
}

/**
 * Who opens the entry: a doctor with an account gets the meeting page; an outside guest gets her
 * own invitation link (a page that needs a login is of no use to her), or no link at all when the
 * mail does not carry it (updates: the token is stored hashed, the first mail's link stays valid).
 */
export type CalendarAccess = { kind: 'account' } | { kind: 'guest'; link: string | null };

const ACCOUNT_ACCESS: CalendarAccess = { kind: 'account' };

/** The URL the calendar entry opens, if any. */
export function calendarEntryUrl(meetingId: string, access: CalendarAccess): string | null {
	return access.kind === 'account' ? meetingUrl(meetingId) : access.link;
}

/** ical-generator writes a Luxon-shaped value in its own zone: here, the Paris wall clock. */
export function parisWallClock(d: Date): ICalLuxonDateTimeStub {
	const { date, time } = toParisParts(d);
	const ymd = date.replaceAll('-', '');
	const hms = `${time.replace(':', '')}${String(d.getUTCSeconds()).padStart(2, '0')}`;
	const stub: ICalLuxonDateTimeStub = {
		isValid: true,
		zone: { type: 'iana' },
		setZone: () => stub,
		toFormat: (fmt: string) => (fmt === 'yyyyLLdd' ? ymd : hms),
		toJSDate: () => d,
		toJSON: () => d.toISOString()
	};
	return stub;
}

export function organizer(): { name: string; email: string } {
	const from = getMailFrom();
	const match = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(from);
	return match ? { name: match[1] || 'Pluri', email: match[2]! } : { name: 'Pluri', email: from };
}

/** The French description: the facts a doctor needs in their diary. */
export function describeMeetingForCalendar(
	m: CalendarMeeting,
	access: CalendarAccess = ACCOUNT_ACCESS
): string {
	const entry =
		access.kind === 'account'
			? `Page de la séance : ${meetingUrl(m.id)}`
			: access.link
				? `Votre lien personnel d’accès, sans compte Pluri (ne le transférez pas) : ${access.link}`
				: 'Accès sans compte Pluri : utilisez le lien personnel reçu avec votre invitation.';
	const lines = [
		`Réunion de concertation pluridisciplinaire : ${m.pathwayName}.`,
		`Lieu : ${m.place}${m.videoOffered ? ' (également en visioconférence depuis Pluri)' : ''}.`,
		m.chairName ? `Président de séance : ${m.chairName}.` : null,
		`Inscription des dossiers jusqu’au ${formatParisDateTime(m.deadlineAt)}.`,
		m.status === 'cancelled'
			? `Séance annulée${m.cancelReason ? ` : ${m.cancelReason}` : ''}.`
			: null,
		entry
	];
	return lines.filter((l): l is string => l !== null).join('\n');
}

export function summaryOf(pathwayName: string): string {
	return /^RCP\b/i.test(pathwayName) ? pathwayName : `RCP — ${pathwayName}`;
}

function addEvent(
	cal: ReturnType<typeof ical>,
	m: CalendarMeeting,
	now: Date,
	attendee: CalendarAttendee | null,
	cancelled: boolean,
	access: CalendarAccess = ACCOUNT_ACCESS
): void {
	const event = cal.createEvent({
		id: meetingUid(m.id),
		sequence: m.icsSequence,
		stamp: now,
		start: parisWallClock(m.startsAt),
		end: parisWallClock(m.endsAt),
		timezone: CALENDAR_TIMEZONE,
		summary: `${cancelled ? 'ANNULÉE — ' : ''}${summaryOf(m.pathwayName)}`,
		location: m.place,
		description: describeMeetingForCalendar(m, access),
		url: calendarEntryUrl(m.id, access),
		status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
		organizer: organizer(),
		created: m.createdAt,
		lastModified: m.updatedAt ?? m.createdAt
	});
	if (attendee) {
		// Replies go through Pluri's own links, so clients are not asked to mail the organizer.
		event.createAttendee({
			email: attendee.email,
			name: attendee.name,
			role: ICalAttendeeRole.REQ,
			status: cancelled ? ICalAttendeeStatus.DECLINED : ICalAttendeeStatus.NEEDSACTION,
			rsvp: false
		});
	}
}

export function newCalendar(method: ICalCalendarMethod, name?: string): ReturnType<typeof ical> {
	return ical({
		prodId: PROD_ID,
		method,
		name: name ?? null,
		// No calendar-wide zone (DTSTAMP stays UTC); the generator adds the events' VTIMEZONE.
		timezone: {
			name: null,
			generator: (tz: string) => (tz === CALENDAR_TIMEZONE ? PARIS_VTIMEZONE : null)
		}
	});
}

/**
 * RFC 5545 §3.4/§3.6: the calendar's own properties come before its components, and every
 * content line ends with CRLF — the last one too. ical-generator writes the VTIMEZONE before
 * NAME, X-WR-CALNAME and the refresh interval and leaves the last line open: reorder the
 * top-level lines (folded continuations stay with their line) and close it.
 */
export function normalizeCalendarText(ics: string): string {
	const lines: string[] = [];
	for (const line of ics.split(/\r\n/)) {
		if (/^[ \t]/.test(line) && lines.length) lines[lines.length - 1] += `\r\n${line}`;
		else if (line !== '') lines.push(line);
	}
	const props: string[] = [];
	const components: string[] = [];
	let depth = 0;
	for (const line of lines) {
		if (/^BEGIN:/i.test(line)) depth++;
		const inside = depth > 1;
		if (/^END:/i.test(line)) depth--;
		if (/^(BEGIN|END):VCALENDAR$/i.test(line)) continue;
		(inside || /^END:/i.test(line) ? components : props).push(line);
	}
	return ['BEGIN:VCALENDAR', ...props, ...components, 'END:VCALENDAR', ''].join('\r\n');
}

/** The iTIP message for one invitee: REQUEST (new or changed) or CANCEL. */
export function buildMeetingInvite(
	m: CalendarMeeting,
	method: 'REQUEST' | 'CANCEL',
	attendee: CalendarAttendee,
	now: Date = new Date(),
	access: CalendarAccess = ACCOUNT_ACCESS
): string {
	const cal = newCalendar(
		method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST
	);
	addEvent(cal, m, now, attendee, method === 'CANCEL', access);
	return normalizeCalendarText(cal.toString());
}

/**
 * The guest's own download of her slot (PUBLISH, same UID as the mailed invite so it merges with
 * it): the entry opens her invitation link, never a page behind the login.
 */
export function buildGuestCalendar(
	m: CalendarMeeting,
	guestLink: string,
	now: Date = new Date()
): string {
	const cal = newCalendar(ICalCalendarMethod.PUBLISH);
	addEvent(cal, m, now, null, m.status === 'cancelled', { kind: 'guest', link: guestLink });
	return normalizeCalendarText(cal.toString());
}

/** A subscribed calendar (Outlook, Thunderbird, phones): every meeting, cancelled ones marked. */
export function buildCalendarFeed(
	name: string,
	meetings: readonly CalendarMeeting[],
	now: Date = new Date()
): string {
	const cal = newCalendar(ICalCalendarMethod.PUBLISH, name);
	cal.ttl(3600); // clients re-read the feed hourly
	for (const m of meetings) addEvent(cal, m, now, null, m.status === 'cancelled');
	return normalizeCalendarText(cal.toString());
}

/** « mardi 12 janvier 2027, 17 h 30 – 19 h » */
export function formatMeetingSlot(m: Pick<CalendarMeeting, 'startsAt' | 'endsAt'>): string {
	return `${formatParisDateTime(m.startsAt)} – ${formatParisTime(m.endsAt)}`;
}
