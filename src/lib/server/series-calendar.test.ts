import { describe, expect, it } from 'vitest';
import { expandRecurringEvent, parseCalendar } from '../../../tests/support/ical';
import { formatRecurrenceRule, type RecurrenceRule } from '$lib/domain/schedule';
import type { CalendarMeeting } from './calendar';
import {
	buildOccurrenceInvite,
	buildSeriesInvite,
	seriesUid,
	type CalendarSeries
} from './series-calendar';

const rule: RecurrenceRule = {
	frequency: 'weekly',
	weekday: 5, // Friday
	nthWeek: null,
	startDate: '2026-12-01',
	untilDate: null,
	count: 20
};

function moved(): CalendarMeeting {
	return {
		id: '5f0c2d2e-0000-4000-8000-00000000000f',
		startsAt: new Date('2027-01-14T11:30:00Z'), // Thursday 12 h 30, winter time
		endsAt: new Date('2027-01-14T12:30:00Z'),
		status: 'scheduled',
		cancelReason: null,
		place: 'Salle Niépce',
		videoOffered: true,
		icsSequence: 2,
		deadlineAt: new Date('2027-01-12T11:30:00Z'),
		pathwayName: 'RCP oncologie digestive',
		chairName: 'Dr Hélène Rousseau',
		updatedAt: new Date('2026-12-02T10:00:00Z'),
		createdAt: new Date('2026-12-01T10:00:00Z')
	};
}

function series(partial: Partial<CalendarSeries> = {}): CalendarSeries {
	return {
		id: 'a1b2c3d4-0000-4000-8000-000000000001',
		rule,
		localStartTime: '14:00',
		durationMinutes: 90,
		pathwayName: 'RCP oncologie digestive',
		place: 'Salle de staff 2',
		videoOffered: true,
		chairName: 'Dr Hélène Rousseau',
		deadlineHours: 48,
		icsSequence: 1,
		createdAt: new Date('2026-12-01T10:00:00Z'),
		exdates: ['2026-12-25', '2027-01-01'],
		overrides: [{ occurrenceDate: '2027-01-15', meeting: moved() }],
		entryMeetingId: null,
		...partial
	};
}

const attendee = { email: 'j.moreau@demo.mssante.fr', name: 'Dr Julien Moreau' };

describe('formatRecurrenceRule', () => {
	it('writes weekly, every other week and monthly rules, with UNTIL in UTC', () => {
		expect(formatRecurrenceRule(rule, '14:00')).toBe('FREQ=WEEKLY;BYDAY=FR;COUNT=20');
		expect(
			formatRecurrenceRule(
				{ ...rule, frequency: 'biweekly', count: null, untilDate: '2027-06-30' },
				'17:30'
			)
		).toBe('FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;UNTIL=20270630T153000Z');
		expect(
			formatRecurrenceRule({ ...rule, frequency: 'monthly', nthWeek: -1, count: null }, '17:30')
		).toBe('FREQ=MONTHLY;BYDAY=-1FR');
	});
});

describe('a series as one recurring event', () => {
	it('expands, through ical.js, to the rule’s dates without the EXDATEs and with the move', () => {
		const text = buildSeriesInvite(
			series(),
			'REQUEST',
			attendee,
			new Date('2026-12-02T00:00:00Z')
		)!;
		expect(text).toContain('RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=20');
		expect(text).toContain('EXDATE;TZID=Europe/Paris:20261225T140000,20270101T140000');
		expect(text).toContain('RECURRENCE-ID;TZID=Europe/Paris:20270115T140000');
		const { method, events } = parseCalendar(text);
		expect(method).toBe('REQUEST');
		expect(events.map((e) => [e.uid, e.sequence])).toEqual([
			[seriesUid(series().id), 1],
			[seriesUid(series().id), 3]
		]);
		const all = expandRecurringEvent(text, new Date('2028-01-01T00:00:00Z'));
		// 20 Fridays from 4 December 2026, less Christmas and New Year's Day.
		expect(all).toHaveLength(18);
		const starts = all.map((o) => o.start.toISOString());
		expect(starts[0]).toBe('2026-12-04T13:00:00.000Z');
		expect(starts).not.toContain('2026-12-25T13:00:00.000Z');
		expect(starts).not.toContain('2027-01-01T13:00:00.000Z');
		expect(starts).not.toContain('2027-01-15T13:00:00.000Z');
		const jan15 = all.find((o) => o.recurrenceId.toISOString() === '2027-01-15T13:00:00.000Z')!;
		expect(jan15).toMatchObject({ overridden: true, location: 'Salle Niépce' });
		expect(jan15.start.toISOString()).toBe('2027-01-14T11:30:00.000Z');
		// 14 h in Paris stays 14 h after the spring change (16 April 2027, UTC+2).
		expect(starts.at(-1)).toBe('2027-04-16T12:00:00.000Z');
	});

	it('cancels one occurrence by its RECURRENCE-ID, same UID, raised SEQUENCE', () => {
		const cancelled = { ...moved(), status: 'cancelled' as const, icsSequence: 3 };
		const text = buildOccurrenceInvite(
			series(),
			{ occurrenceDate: '2027-01-15', meeting: cancelled },
			'CANCEL',
			attendee
		);
		expect(text).toContain('METHOD:CANCEL');
		expect(text).toContain('RECURRENCE-ID;TZID=Europe/Paris:20270115T140000');
		expect(text).not.toMatch(/^RRULE:FREQ=WEEKLY/m);
		const [event] = parseCalendar(text).events;
		expect(event).toMatchObject({
			uid: seriesUid(series().id),
			sequence: 4,
			status: 'CANCELLED',
			attendees: ['j.moreau@demo.mssante.fr']
		});
	});

	it('gives no invite for a rule without any occurrence', () => {
		expect(
			buildSeriesInvite(series({ rule: { ...rule, weekday: 9 } }), 'REQUEST', attendee)
		).toBeNull();
	});
});
