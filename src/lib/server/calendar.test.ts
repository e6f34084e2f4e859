import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { parseCalendar, parseInvite } from '../../../tests/support/ical';
import {
	buildCalendarFeed,
	buildGuestCalendar,
	buildMeetingInvite,
	meetingUid,
	PARIS_VTIMEZONE,
	type CalendarMeeting
} from './calendar';

function meeting(partial: Partial<CalendarMeeting> = {}): CalendarMeeting {
	return {
		id: '5f0c2d2e-0000-4000-8000-000000000001',
		startsAt: new Date('2027-03-30T15:30:00Z'), // 17 h 30, summer time
		endsAt: new Date('2027-03-30T17:00:00Z'),
		status: 'scheduled',
		cancelReason: null,
		place: 'Salle de staff 2, CH de la Saône',
		videoOffered: true,
		icsSequence: 0,
		deadlineAt: new Date('2027-03-28T15:30:00Z'),
		pathwayName: 'RCP oncologie digestive',
		chairName: 'Dr Hélène Rousseau',
		updatedAt: null,
		createdAt: new Date('2027-01-01T10:00:00Z'),
		...partial
	};
}

const attendee = { email: 'j.moreau@demo.mssante.fr', name: 'Dr Julien Moreau' };

describe('meeting invites', () => {
	it('writes a REQUEST in Paris local time with its VTIMEZONE, parsed back by ical.js', () => {
		const text = buildMeetingInvite(meeting(), 'REQUEST', attendee);
		expect(text).toContain('METHOD:REQUEST');
		expect(text).toContain('DTSTART;TZID=Europe/Paris:20270330T173000');
		expect(text).toContain(PARIS_VTIMEZONE.split('\r\n')[1]);
		const parsed = parseInvite(text);
		expect(parsed).toMatchObject({
			method: 'REQUEST',
			uid: meetingUid(meeting().id),
			sequence: 0,
			tzid: 'Europe/Paris',
			localStart: '2027-03-30T17:30:00',
			status: 'CONFIRMED',
			attendees: ['j.moreau@demo.mssante.fr']
		});
		expect(parsed.start.toISOString()).toBe('2027-03-30T15:30:00.000Z');
		expect(parsed.end.toISOString()).toBe('2027-03-30T17:00:00.000Z');
	});

	it('resolves a winter date through the same zone at UTC+1', () => {
		const parsed = parseInvite(
			buildMeetingInvite(
				meeting({
					startsAt: new Date('2027-03-23T16:30:00Z'),
					endsAt: new Date('2027-03-23T18:00:00Z')
				}),
				'REQUEST',
				attendee
			)
		);
		expect(parsed.localStart).toBe('2027-03-23T17:30:00');
		expect(parsed.start.toISOString()).toBe('2027-03-23T16:30:00.000Z');
	});

	it('writes a CANCEL with the same UID, the raised sequence and a cancelled status', () => {
		const parsed = parseInvite(
			buildMeetingInvite(
				meeting({ status: 'cancelled', icsSequence: 3, cancelReason: 'Congrès' }),
				'CANCEL',
				attendee
			)
		);
		expect(parsed).toMatchObject({
			method: 'CANCEL',
			uid: meetingUid(meeting().id),
			sequence: 3,
			status: 'CANCELLED'
		});
		expect(parsed.description).toContain('Congrès');
	});

	it('keeps DTSTAMP in UTC', () => {
		const text = buildMeetingInvite(
			meeting(),
			'REQUEST',
			attendee,
			new Date('2027-01-02T03:04:05Z')
		);
		expect(text).toContain('DTSTAMP:20270102T030405Z');
	});
});

describe('personal feed', () => {
	it('publishes every meeting, cancelled ones marked, with one VTIMEZONE', () => {
		const text = buildCalendarFeed('Pluri — mes séances', [
			meeting(),
			meeting({ id: 'other', status: 'cancelled', icsSequence: 1 })
		]);
		expect(text.match(/BEGIN:VTIMEZONE/g)).toHaveLength(1);
		const { method, events } = parseCalendar(text);
		expect(method).toBe('PUBLISH');
		expect(events.map((e) => [e.uid, e.status])).toEqual([
			[meetingUid(meeting().id), 'CONFIRMED'],
			['rcp-other@pluri', 'CANCELLED']
		]);
		expect(events[0]!.attendees).toEqual([]);
	});
});

describe('RFC 5545 layout', () => {
	/** The calendar's top-level lines: what comes before its first component, and after. */
	function topLevel(text: string): { props: string[]; afterFirstComponent: string[] } {
		const lines = text.split('\r\n').filter((l) => l && !/^[ \t]/.test(l));
		const first = lines.findIndex((l, i) => i > 0 && l.startsWith('BEGIN:'));
		let depth = 0;
		const after: string[] = [];
		for (const l of lines.slice(first)) {
			if (l.startsWith('BEGIN:')) depth++;
			else if (l.startsWith('END:')) depth--;
			else if (depth === 0 && l !== 'END:VCALENDAR') after.push(l);
		}
		return { props: lines.slice(1, first), afterFirstComponent: after };
	}

	it('ends with CRLF and puts every calendar property before the components', () => {
		const feed = buildCalendarFeed('Pluri — mes séances', [meeting()]);
		const invite = buildMeetingInvite(meeting(), 'REQUEST', attendee);
		for (const text of [feed, invite]) {
			expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
			expect(text).not.toMatch(/\r\n\r\n/);
			expect(text).not.toMatch(/[^\r]\n/);
			const { props, afterFirstComponent } = topLevel(text);
			expect(afterFirstComponent).toEqual([]);
			expect(props).toEqual(
				expect.arrayContaining(['VERSION:2.0', expect.stringMatching(/^PRODID:/)])
			);
		}
		expect(topLevel(feed).props).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^X-WR-CALNAME:/),
				expect.stringMatching(/^METHOD:PUBLISH/)
			])
		);
		// Still read back the same by ical.js.
		expect(parseCalendar(feed).events).toHaveLength(1);
		expect(parseInvite(invite)).toMatchObject({ method: 'REQUEST' });
	});
});

/** The URL property of the single event, read by ical.js. */
function eventUrl(text: string): string | null {
	const vevent = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
	return (vevent.getFirstPropertyValue('url') as string | null) ?? null;
}

describe('calendar entries for outside guests', () => {
	const guestLink = 'https://pluri.test/invitation/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

	it('opens the meeting page for a doctor with an account', () => {
		const text = buildMeetingInvite(meeting(), 'REQUEST', attendee);
		expect(eventUrl(text)).toMatch(/\/meetings\/5f0c2d2e-0000-4000-8000-000000000001$/);
		expect(parseInvite(text).description).toContain('Page de la séance : ');
	});

	it('opens her own invitation link for a guest, and never the page behind the login', () => {
		const text = buildMeetingInvite(meeting(), 'REQUEST', attendee, new Date(), {
			kind: 'guest',
			link: guestLink
		});
		expect(eventUrl(text)).toBe(guestLink);
		const { description } = parseInvite(text);
		expect(description).toContain(guestLink);
		expect(description).not.toContain('/meetings/');
	});

	it('gives no link at all when the guest’s mail does not carry hers', () => {
		const text = buildMeetingInvite(meeting(), 'REQUEST', attendee, new Date(), {
			kind: 'guest',
			link: null
		});
		expect(eventUrl(text)).toBeNull();
		expect(text).not.toContain('/meetings/');
		expect(parseInvite(text).description).toContain('lien personnel reçu avec votre invitation');
	});

	it('writes the guest download as PUBLISH with the same UID as the mailed invite', () => {
		const text = buildGuestCalendar(meeting(), guestLink);
		const parsed = parseInvite(text);
		expect(parsed).toMatchObject({ method: 'PUBLISH', uid: meetingUid(meeting().id) });
		expect(parsed.attendees).toEqual([]);
		expect(eventUrl(text)).toBe(guestLink);
		expect(
			parseInvite(buildGuestCalendar(meeting({ status: 'cancelled' }), guestLink))
		).toMatchObject({ status: 'CANCELLED' });
	});
});
