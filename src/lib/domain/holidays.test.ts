import { describe, expect, it } from 'vitest';
import {
	computeEasterSunday,
	describeHolidayClash,
	findHolidayDates,
	findPublicHoliday,
	findSeriesHolidays,
	listPublicHolidays
} from './holidays';

describe('computeEasterSunday', () => {
	// Published dates of Easter Sunday (Gregorian).
	it.each([
		[2000, '2000-04-23'],
		[2008, '2008-03-23'],
		[2011, '2011-04-24'],
		[2019, '2019-04-21'],
		[2024, '2024-03-31'],
		[2025, '2025-04-20'],
		[2026, '2026-04-05'],
		[2027, '2027-03-28'],
		[2038, '2038-04-25'],
		[2285, '2285-03-22']
	])('%i → %s', (year, date) => expect(computeEasterSunday(year)).toBe(date));
});

describe('listPublicHolidays', () => {
	it('lists the eleven French holidays of 2027 in order, moving ones from Easter', () => {
		expect(listPublicHolidays(2027)).toEqual([
			{ date: '2027-01-01', name: 'Jour de l’an' },
			{ date: '2027-03-29', name: 'Lundi de Pâques' },
			{ date: '2027-05-01', name: 'Fête du Travail' },
			{ date: '2027-05-06', name: 'Ascension' },
			{ date: '2027-05-08', name: 'Victoire 1945' },
			{ date: '2027-05-17', name: 'Lundi de Pentecôte' },
			{ date: '2027-07-14', name: 'Fête nationale' },
			{ date: '2027-08-15', name: 'Assomption' },
			{ date: '2027-11-01', name: 'Toussaint' },
			{ date: '2027-11-11', name: 'Armistice 1918' },
			{ date: '2027-12-25', name: 'Noël' }
		]);
	});

	it('adds Good Friday and 26 December in Alsace-Moselle only', () => {
		const alsace = listPublicHolidays(2026, 'alsace-moselle').map((h) => h.date);
		expect(alsace).toHaveLength(13);
		expect(alsace).toContain('2026-04-03');
		expect(alsace).toContain('2026-12-26');
		expect(listPublicHolidays(2026).map((h) => h.date)).not.toContain('2026-12-26');
	});
});

describe('findPublicHoliday', () => {
	it('names Ascension and Whit Monday 2026, and nothing on an ordinary day', () => {
		expect(findPublicHoliday('2026-05-14')?.name).toBe('Ascension');
		expect(findPublicHoliday('2026-05-25')?.name).toBe('Lundi de Pentecôte');
		expect(findPublicHoliday('2026-05-26')).toBeNull();
		expect(findPublicHoliday('pas une date')).toBeNull();
	});
});

describe('describeHolidayClash', () => {
	it('says how many meetings fall on a holiday, with their dates in French', () => {
		const found = findHolidayDates(['2026-12-22', '2026-12-25', '2027-01-01', '2027-01-08']);
		expect(describeHolidayClash(found)).toBe(
			'2 séances tombent un jour férié : 25 décembre 2026 (Noël), 1er janvier 2027 (Jour de l’an).'
		);
		expect(describeHolidayClash(findHolidayDates(['2026-07-14']))).toBe(
			'1 séance tombe un jour férié : 14 juillet 2026 (Fête nationale).'
		);
		expect(describeHolidayClash([])).toBeNull();
	});
});

describe('findSeriesHolidays', () => {
	it('finds the Fridays of a 13-meeting series that are holidays', () => {
		const found = findSeriesHolidays(
			{
				frequency: 'weekly',
				weekday: 5,
				nthWeek: null,
				startDate: '2026-12-01',
				untilDate: null,
				count: 13
			},
			'2026-12-01'
		);
		expect(found.map((h) => h.date)).toEqual(['2026-12-25', '2027-01-01']);
	});

	it('looks one year ahead for a series without an end, from today', () => {
		const found = findSeriesHolidays(
			{
				frequency: 'weekly',
				weekday: 1,
				nthWeek: null,
				startDate: '2026-01-01',
				untilDate: null,
				count: null
			},
			'2026-12-02'
		);
		// Mondays: Easter Monday, Whit Monday and All Saints' 2027; nothing before today.
		expect(found.map((h) => h.date)).toEqual(['2027-03-29', '2027-05-17', '2027-11-01']);
	});
});
