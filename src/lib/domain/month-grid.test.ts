import { describe, expect, it } from 'vitest';
import {
	buildMonthGrid,
	formatMonthTitle,
	monthBounds,
	monthOf,
	parseMonth,
	shiftMonth
} from './month-grid';

describe('month grid', () => {
	it('covers the month in whole Monday-first weeks', () => {
		// March 2027 starts on a Monday and ends on a Wednesday.
		const weeks = buildMonthGrid('2027-03');
		expect(weeks).toHaveLength(5);
		expect(weeks[0]![0]).toEqual({ date: '2027-03-01', inMonth: true });
		expect(weeks[4]!.map((d) => d.date)).toEqual([
			'2027-03-29',
			'2027-03-30',
			'2027-03-31',
			'2027-04-01',
			'2027-04-02',
			'2027-04-03',
			'2027-04-04'
		]);
		expect(weeks[4]![3]!.inMonth).toBe(false);
	});

	it('starts with the days of the previous month when needed', () => {
		// 1 August 2027 is a Sunday: six rows.
		const weeks = buildMonthGrid('2027-08');
		expect(weeks[0]![0]!.date).toBe('2027-07-26');
		expect(weeks[0]![6]).toEqual({ date: '2027-08-01', inMonth: true });
		expect(weeks).toHaveLength(6);
	});

	it('moves across years and reads months safely', () => {
		expect(shiftMonth('2027-01', -1)).toBe('2026-12');
		expect(shiftMonth('2026-12', 1)).toBe('2027-01');
		expect(shiftMonth('2027-05', 14)).toBe('2028-07');
		expect(parseMonth('2027-13')).toBeNull();
		expect(parseMonth('2027-1')).toBeNull();
		expect(parseMonth(undefined)).toBeNull();
		expect(parseMonth('2027-02')).toBe('2027-02');
		expect(formatMonthTitle('2027-08')).toBe('août 2027');
	});

	it('bounds the month at Paris midnights, across a change of hour', () => {
		expect(monthBounds('2027-03')).toEqual({
			from: new Date('2027-02-28T23:00:00Z'),
			to: new Date('2027-03-31T22:00:00Z')
		});
		expect(monthOf(new Date('2027-03-31T22:30:00Z'))).toBe('2027-04');
	});
});
