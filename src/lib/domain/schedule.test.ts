import { describe, it, expect } from 'vitest';
import {
	addDaysLocal,
	formatParisDate,
	formatParisDateTime,
	formatParisTime,
	isValidLocalDate,
	listOccurrenceDates,
	parisLocalToUtc,
	toParisParts,
	validateRecurrenceRule,
	type RecurrenceRule
} from './schedule';

function rule(partial: Partial<RecurrenceRule>): RecurrenceRule {
	return {
		frequency: 'weekly',
		weekday: 2,
		nthWeek: null,
		startDate: '2027-01-01',
		untilDate: null,
		count: null,
		...partial
	};
}

function instantOf(date: string, time: string): Date {
	const r = parisLocalToUtc(date, time);
	if (!r.ok) throw new Error(r.error);
	return r.instant;
}

describe('isValidLocalDate', () => {
	it.each(['2027-01-31', '2027-02-28', '2028-02-29', '2000-02-29', '2027-12-31'])(
		'accepts %s',
		(s) => expect(isValidLocalDate(s)).toBe(true)
	);

	it.each([
		'2027-02-31',
		'2027-02-29',
		'1900-02-29',
		'2027-04-31',
		'2027-13-01',
		'2027-00-10',
		'2027-01-00',
		'2027-1-5',
		'27-01-05',
		'2027-01-05T00:00',
		''
	])('refuses %s', (s) => expect(isValidLocalDate(s)).toBe(false));
});

describe('addDaysLocal', () => {
	it('crosses month, year and leap-day boundaries', () => {
		expect(addDaysLocal('2027-01-31', 1)).toBe('2027-02-01');
		expect(addDaysLocal('2027-12-31', 1)).toBe('2028-01-01');
		expect(addDaysLocal('2028-02-28', 1)).toBe('2028-02-29');
		expect(addDaysLocal('2027-03-01', -1)).toBe('2027-02-28');
		expect(addDaysLocal('2027-03-27', 7)).toBe('2027-04-03');
	});

	it('is not fooled by the change of hour', () => {
		expect(addDaysLocal('2027-03-27', 1)).toBe('2027-03-28');
		expect(addDaysLocal('2027-03-28', 1)).toBe('2027-03-29');
		expect(addDaysLocal('2027-10-31', 1)).toBe('2027-11-01');
	});

	it('throws on an invalid date', () => {
		expect(() => addDaysLocal('2027-02-31', 1)).toThrow(RangeError);
	});
});

describe('listOccurrenceDates — weekly and biweekly', () => {
	it('starts on the first matching weekday on or after the start date', () => {
		// 2027-01-01 is a Friday; the first Tuesday is the 5th.
		expect(listOccurrenceDates(rule({}), { to: '2027-01-31' })).toEqual([
			'2027-01-05',
			'2027-01-12',
			'2027-01-19',
			'2027-01-26'
		]);
	});

	it('includes the start date when it is the weekday', () => {
		expect(listOccurrenceDates(rule({ startDate: '2027-01-05' }), { to: '2027-01-12' })).toEqual([
			'2027-01-05',
			'2027-01-12'
		]);
	});

	it('handles Sunday as weekday 7', () => {
		expect(
			listOccurrenceDates(rule({ weekday: 7, startDate: '2027-03-22' }), { to: '2027-04-04' })
		).toEqual(['2027-03-28', '2027-04-04']);
	});

	it('keeps the weekly rhythm across both changes of hour', () => {
		const march = listOccurrenceDates(rule({ startDate: '2027-03-16' }), { to: '2027-04-06' });
		expect(march).toEqual(['2027-03-16', '2027-03-23', '2027-03-30', '2027-04-06']);
		const october = listOccurrenceDates(rule({ startDate: '2027-10-19' }), { to: '2027-11-09' });
		expect(october).toEqual(['2027-10-19', '2027-10-26', '2027-11-02', '2027-11-09']);
	});

	it('counts biweekly weeks from the first occurrence', () => {
		expect(
			listOccurrenceDates(rule({ frequency: 'biweekly' }), { from: '2027-01-10', to: '2027-02-28' })
		).toEqual(['2027-01-19', '2027-02-02', '2027-02-16']);
	});

	it('stops at the until date, inclusive', () => {
		expect(listOccurrenceDates(rule({ untilDate: '2027-01-19' }), { to: '2027-12-31' })).toEqual([
			'2027-01-05',
			'2027-01-12',
			'2027-01-19'
		]);
	});

	it('stops after count occurrences', () => {
		expect(listOccurrenceDates(rule({ count: 2 }), { to: '2027-12-31' })).toEqual([
			'2027-01-05',
			'2027-01-12'
		]);
	});

	it('counts occurrences from the first one even when from skips some', () => {
		expect(
			listOccurrenceDates(rule({ count: 3 }), { from: '2027-01-13', to: '2027-12-31' })
		).toEqual(['2027-01-19']);
		expect(
			listOccurrenceDates(rule({ count: 3 }), { from: '2027-01-20', to: '2027-12-31' })
		).toEqual([]);
	});

	it('applies the earliest of until, count and to', () => {
		expect(
			listOccurrenceDates(rule({ count: 10, untilDate: '2027-03-01' }), { to: '2027-01-12' })
		).toEqual(['2027-01-05', '2027-01-12']);
	});

	it('limits the result to max', () => {
		expect(listOccurrenceDates(rule({}), { to: '2030-01-01', max: 3 })).toEqual([
			'2027-01-05',
			'2027-01-12',
			'2027-01-19'
		]);
	});

	it('returns nothing before the start or for an invalid rule', () => {
		expect(listOccurrenceDates(rule({ startDate: '2027-06-01' }), { to: '2027-05-31' })).toEqual(
			[]
		);
		expect(listOccurrenceDates(rule({ weekday: 8 }), { to: '2027-12-31' })).toEqual([]);
		expect(listOccurrenceDates(rule({ startDate: '2027-02-31' }), { to: '2027-12-31' })).toEqual(
			[]
		);
		expect(listOccurrenceDates(rule({}), { to: 'demain' })).toEqual([]);
	});
});

describe('listOccurrenceDates — monthly', () => {
	it('finds the first Wednesday of each month', () => {
		expect(
			listOccurrenceDates(rule({ frequency: 'monthly', weekday: 3, nthWeek: 1 }), {
				to: '2027-05-31'
			})
		).toEqual(['2027-01-06', '2027-02-03', '2027-03-03', '2027-04-07', '2027-05-05']);
	});

	it('finds the last Friday of each month', () => {
		expect(
			listOccurrenceDates(rule({ frequency: 'monthly', weekday: 5, nthWeek: -1 }), {
				to: '2027-05-31'
			})
		).toEqual(['2027-01-29', '2027-02-26', '2027-03-26', '2027-04-30', '2027-05-28']);
	});

	it('finds the fourth Monday, even in a short February', () => {
		expect(
			listOccurrenceDates(rule({ frequency: 'monthly', weekday: 1, nthWeek: 4 }), {
				to: '2027-03-31'
			})
		).toEqual(['2027-01-25', '2027-02-22', '2027-03-22']);
	});

	it('skips the month of the start date when its occurrence is already past', () => {
		expect(
			listOccurrenceDates(
				rule({ frequency: 'monthly', weekday: 3, nthWeek: 1, startDate: '2027-01-07' }),
				{
					to: '2027-03-31'
				}
			)
		).toEqual(['2027-02-03', '2027-03-03']);
	});

	it('crosses the year and respects count', () => {
		expect(
			listOccurrenceDates(
				rule({ frequency: 'monthly', weekday: 2, nthWeek: 2, startDate: '2026-11-01', count: 3 }),
				{ to: '2028-01-01' }
			)
		).toEqual(['2026-11-10', '2026-12-08', '2027-01-12']);
	});
});

describe('parisLocalToUtc', () => {
	it('uses UTC+1 in winter and UTC+2 in summer', () => {
		expect(instantOf('2027-01-12', '17:30').toISOString()).toBe('2027-01-12T16:30:00.000Z');
		expect(instantOf('2027-07-13', '17:30').toISOString()).toBe('2027-07-13T15:30:00.000Z');
	});

	it('keeps a weekly 17:30 series at 17:30 in Paris across both changes of hour', () => {
		const dates = [
			...listOccurrenceDates(rule({ startDate: '2027-03-16' }), { to: '2027-04-06' }),
			...listOccurrenceDates(rule({ startDate: '2027-10-19' }), { to: '2027-11-09' })
		];
		const utc = dates.map((d) => instantOf(d, '17:30').toISOString());
		expect(utc).toEqual([
			'2027-03-16T16:30:00.000Z',
			'2027-03-23T16:30:00.000Z',
			'2027-03-30T15:30:00.000Z',
			'2027-04-06T15:30:00.000Z',
			'2027-10-19T15:30:00.000Z',
			'2027-10-26T15:30:00.000Z',
			'2027-11-02T16:30:00.000Z',
			'2027-11-09T16:30:00.000Z'
		]);
		for (const d of dates) {
			expect(toParisParts(instantOf(d, '17:30'))).toMatchObject({
				date: d,
				time: '17:30',
				weekday: 2
			});
		}
	});

	it('refuses a time skipped by the spring change', () => {
		const r = parisLocalToUtc('2027-03-28', '02:30');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error).toContain('L’heure 2 h 30 n’existe pas le dimanche 28 mars 2027');
		expect(parisLocalToUtc('2027-03-28', '02:00').ok).toBe(false);
		expect(parisLocalToUtc('2027-03-28', '02:59').ok).toBe(false);
	});

	it('accepts the minutes around the spring gap', () => {
		expect(instantOf('2027-03-28', '01:59').toISOString()).toBe('2027-03-28T00:59:00.000Z');
		expect(instantOf('2027-03-28', '03:00').toISOString()).toBe('2027-03-28T01:00:00.000Z');
	});

	it('takes the first (summer-time) instant of the repeated autumn hour', () => {
		expect(instantOf('2027-10-31', '02:30').toISOString()).toBe('2027-10-31T00:30:00.000Z');
		expect(instantOf('2027-10-31', '01:59').toISOString()).toBe('2027-10-30T23:59:00.000Z');
		expect(instantOf('2027-10-31', '03:00').toISOString()).toBe('2027-10-31T02:00:00.000Z');
	});

	it('handles midnight and the end of the day', () => {
		expect(instantOf('2027-01-01', '00:00').toISOString()).toBe('2026-12-31T23:00:00.000Z');
		expect(instantOf('2027-06-30', '23:59').toISOString()).toBe('2027-06-30T21:59:00.000Z');
	});

	it.each([
		['2027-02-31', '17:30'],
		['2027-01-12', '24:00'],
		['2027-01-12', '17:60'],
		['2027-01-12', '7:30'],
		['2027-01-12', '17h30']
	])('refuses %s %s', (date, time) => {
		const r = parisLocalToUtc(date, time);
		expect(r.ok).toBe(false);
	});
});

describe('toParisParts', () => {
	it('gives the Paris date, time and ISO weekday', () => {
		expect(toParisParts(new Date('2027-06-30T22:30:00Z'))).toEqual({
			date: '2027-07-01',
			time: '00:30',
			weekday: 4
		});
		expect(toParisParts(new Date('2027-01-03T12:05:59Z'))).toEqual({
			date: '2027-01-03',
			time: '13:05',
			weekday: 7
		});
	});

	it('shows the repeated autumn hour twice', () => {
		expect(toParisParts(new Date('2027-10-31T00:30:00Z')).time).toBe('02:30');
		expect(toParisParts(new Date('2027-10-31T01:30:00Z')).time).toBe('02:30');
	});
});

describe('French formatting', () => {
	it('formats a date and time the way French hospitals write them', () => {
		// 2 December 2026 is a Wednesday.
		expect(formatParisDateTime(new Date('2026-12-02T16:30:00Z'))).toBe(
			'mercredi 2 décembre 2026, 17 h 30'
		);
		expect(formatParisDateTime(new Date('2027-07-13T15:30:00Z'))).toBe(
			'mardi 13 juillet 2027, 17 h 30'
		);
	});

	it('writes the first of the month « 1er »', () => {
		expect(formatParisDate(new Date('2026-12-01T16:30:00Z'))).toBe('mardi 1er décembre 2026');
	});

	it('uses the Paris date, not the UTC one', () => {
		expect(formatParisDateTime(new Date('2026-12-31T23:00:00Z'))).toBe(
			'vendredi 1er janvier 2027, 0 h'
		);
	});

	it('drops zero minutes and the leading zero of the hour', () => {
		expect(formatParisTime(new Date('2026-12-02T08:00:00Z'))).toBe('9 h');
		expect(formatParisTime(new Date('2026-12-02T08:05:00Z'))).toBe('9 h 05');
		expect(formatParisTime(new Date('2027-08-20T21:45:00Z'))).toBe('23 h 45');
	});

	it('writes accented month names', () => {
		expect(formatParisDate(new Date('2027-02-10T12:00:00Z'))).toBe('mercredi 10 février 2027');
		expect(formatParisDate(new Date('2027-08-15T12:00:00Z'))).toBe('dimanche 15 août 2027');
	});
});

describe('validateRecurrenceRule', () => {
	it('accepts valid rules', () => {
		expect(validateRecurrenceRule(rule({}))).toEqual([]);
		expect(validateRecurrenceRule(rule({ frequency: 'monthly', nthWeek: -1, count: 260 }))).toEqual(
			[]
		);
		expect(validateRecurrenceRule(rule({ untilDate: '2027-01-01' }))).toEqual([]);
	});

	it('refuses an end before the start', () => {
		const errors = validateRecurrenceRule(rule({ untilDate: '2026-12-31' }));
		expect(errors).toEqual(['La date de fin doit être postérieure ou égale à la date de début.']);
	});

	it.each([0, -1, 261, 1.5])('refuses count %s', (count) => {
		expect(validateRecurrenceRule(rule({ count }))).toEqual([
			'Le nombre de séances doit être compris entre 1 et 260.'
		]);
	});

	it.each([0, 8, 2.5])('refuses weekday %s', (weekday) => {
		expect(validateRecurrenceRule(rule({ weekday }))).toHaveLength(1);
	});

	it('requires the week of the month for a monthly series', () => {
		const errors = validateRecurrenceRule(rule({ frequency: 'monthly', nthWeek: null }));
		expect(errors).toHaveLength(1);
		expect(errors[0]).toMatch(/semaine du mois/);
	});

	it.each([0, 5, -2])('refuses week of the month %s', (nthWeek) => {
		expect(validateRecurrenceRule(rule({ frequency: 'monthly', nthWeek }))).toHaveLength(1);
	});

	it('refuses impossible calendar dates', () => {
		expect(validateRecurrenceRule(rule({ startDate: '2027-02-31' }))).toEqual([
			"La date de début n'est pas une date valide."
		]);
		expect(validateRecurrenceRule(rule({ untilDate: '2027-02-29' }))).toEqual([
			"La date de fin n'est pas une date valide."
		]);
	});

	it('refuses an unknown frequency', () => {
		const input = { ...rule({}), frequency: 'daily' } as unknown as RecurrenceRule;
		expect(validateRecurrenceRule(input)).toHaveLength(1);
	});

	it('reports every problem at once', () => {
		expect(
			validateRecurrenceRule(
				rule({ weekday: 9, startDate: '2027-02-30', count: 0, frequency: 'monthly' })
			)
		).toHaveLength(4);
	});
});
