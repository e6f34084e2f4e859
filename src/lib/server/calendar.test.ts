import { describe, expect, it } from 'vitest';
import { parseCalendar, parseInvite } from '../../../tests/support/ical';
import {
	buildCalendarFeed,
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
