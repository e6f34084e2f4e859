import { describe, expect, it } from 'vitest';
import {
	checkMeetingSlot,
	checkSeriesRule,
	computeDeadline,
	describeRecurrence,
	formatLocalTime,
	planOccurrences,
	type SeriesRule
} from './meeting-plan';
import { toParisParts } from './schedule';

function rule(partial: Partial<SeriesRule> = {}): SeriesRule {
	return {
		frequency: 'weekly',
		weekday: 2,
		nthWeek: null,
		startDate: '2027-03-01',
		untilDate: null,
		count: null,
		localStartTime: '17:30',
		durationMinutes: 90,
		...partial
	};
}

const iso = (d: Date): string => d.toISOString();

describe('planOccurrences', () => {
	it('keeps a Tuesday 17:30 series at 17:30 Paris time across the March change', () => {
		const { occurrences, skipped } = planOccurrences(rule({ startDate: '2027-03-16' }), {
			to: '2027-04-06'
		});
		expect(skipped).toEqual([]);
		expect(occurrences.map((o) => iso(o.startsAt))).toEqual([
			'2027-03-16T16:30:00.000Z',
			'2027-03-23T16:30:00.000Z',
			'2027-03-30T15:30:00.000Z',
			'2027-04-06T15:30:00.000Z'
		]);
		expect(occurrences.map((o) => iso(o.endsAt))).toEqual([
			'2027-03-16T18:00:00.000Z',
			'2027-03-23T18:00:00.000Z',
			'2027-03-30T17:00:00.000Z',
			'2027-04-06T17:00:00.000Z'
		]);
		for (const o of occurrences) expect(toParisParts(o.startsAt).time).toBe('17:30');
	});

	it('keeps it at 17:30 across the October change too', () => {
		const { occurrences } = planOccurrences(rule({ startDate: '2027-10-19' }), {
			to: '2027-11-09'
		});
		expect(occurrences.map((o) => iso(o.startsAt))).toEqual([
			'2027-10-19T15:30:00.000Z',
			'2027-10-26T15:30:00.000Z',
			'2027-11-02T16:30:00.000Z',
			'2027-11-09T16:30:00.000Z'
		]);
		for (const o of occurrences) expect(toParisParts(o.startsAt).time).toBe('17:30');
	});

	it('lays a monthly first-Wednesday series on the right days, either side of both changes', () => {
		const { occurrences } = planOccurrences(
			rule({
				frequency: 'monthly',
				weekday: 3,
				nthWeek: 1,
				startDate: '2027-02-01',
				localStartTime: '13:00'
			}),
			{ to: '2027-11-30' }
		);
		expect(occurrences.map((o) => o.occurrenceDate)).toEqual([
			'2027-02-03',
			'2027-03-03',
			'2027-04-07',
			'2027-05-05',
			'2027-06-02',
			'2027-07-07',
			'2027-08-04',
			'2027-09-01',
			'2027-10-06',
			'2027-11-03'
		]);
		for (const o of occurrences) {
			expect(toParisParts(o.startsAt)).toMatchObject({ time: '13:00', weekday: 3 });
		}
		expect(iso(occurrences[0]!.startsAt)).toBe('2027-02-03T12:00:00.000Z');
		expect(iso(occurrences[2]!.startsAt)).toBe('2027-04-07T11:00:00.000Z');
	});

	it('finds the last Friday of the month, whatever its length', () => {
		const { occurrences } = planOccurrences(
			rule({ frequency: 'monthly', weekday: 5, nthWeek: -1, startDate: '2028-01-01' }),
			{ to: '2028-04-30' }
		);
		// 2028 is a leap year: the last Friday of February is the 25th.
		expect(occurrences.map((o) => o.occurrenceDate)).toEqual([
			'2028-01-28',
			'2028-02-25',
			'2028-03-31',
			'2028-04-28'
		]);
	});

	it('lists a cancelled occurrence as cancelled and a moved one at its new slot', () => {
		const r = rule({ startDate: '2027-01-05' });
		const moved = {
			occurrenceDate: '2027-01-12',
			startsAt: new Date('2027-01-13T07:00:00Z'),
			endsAt: new Date('2027-01-13T08:30:00Z'),
			status: 'scheduled' as const
		};
		const cancelled = {
			occurrenceDate: '2027-01-19',
			startsAt: new Date('2027-01-19T16:30:00Z'),
			endsAt: new Date('2027-01-19T18:00:00Z'),
			status: 'cancelled' as const
		};
		const { occurrences } = planOccurrences(r, { to: '2027-01-26' }, [cancelled, moved]);
		expect(
			occurrences.map((o) => [o.occurrenceDate, iso(o.startsAt), o.status, o.moved, o.stored])
		).toEqual([
			['2027-01-05', '2027-01-05T16:30:00.000Z', 'scheduled', false, false],
			['2027-01-12', '2027-01-13T07:00:00.000Z', 'scheduled', true, true],
			['2027-01-19', '2027-01-19T16:30:00.000Z', 'cancelled', false, true],
			['2027-01-26', '2027-01-26T16:30:00.000Z', 'scheduled', false, false]
		]);
	});

	it('sorts by the actual start when a move jumps over the next occurrence', () => {
		const moved = {
			occurrenceDate: '2027-01-05',
			startsAt: new Date('2027-01-14T16:30:00Z'),
			endsAt: new Date('2027-01-14T18:00:00Z'),
			status: 'scheduled' as const
		};
		const { occurrences } = planOccurrences(
			rule({ startDate: '2027-01-05' }),
			{ to: '2027-01-12' },
			[moved]
		);
		expect(occurrences.map((o) => o.occurrenceDate)).toEqual(['2027-01-12', '2027-01-05']);
	});

	it('reports the Sunday whose time is erased by the spring change instead of inventing one', () => {
		const { occurrences, skipped } = planOccurrences(
			rule({ weekday: 7, startDate: '2027-03-21', localStartTime: '02:30' }),
			{ to: '2027-04-04' }
		);
		expect(occurrences.map((o) => o.occurrenceDate)).toEqual(['2027-03-21', '2027-04-04']);
		expect(skipped).toHaveLength(1);
		expect(skipped[0]!.occurrenceDate).toBe('2027-03-28');
		expect(skipped[0]!.message).toContain('n’existe pas');
	});

	it('takes the summer-time instant of the hour repeated in October', () => {
		const { occurrences } = planOccurrences(
			rule({ weekday: 7, startDate: '2027-10-31', localStartTime: '02:30', count: 1 }),
			{ to: '2027-12-31' }
		);
		expect(occurrences.map((o) => iso(o.startsAt))).toEqual(['2027-10-31T00:30:00.000Z']);
	});
});

describe('checkSeriesRule', () => {
	const now = new Date('2027-01-04T09:00:00Z');

	it('accepts a valid weekly series and returns its first meeting', () => {
		const r = checkSeriesRule(rule({ startDate: '2027-01-04' }), now, 92);
		expect(r.ok).toBe(true);
		if (r.ok) {
			expect(r.first.occurrenceDate).toBe('2027-01-05');
			expect(r.count).toBe(14);
		}
	});

	it('refuses the 31st of February', () => {
		const r = checkSeriesRule(rule({ startDate: '2027-02-31' }), now, 92);
		expect(r).toEqual({
			ok: false,
			errors: { startDate: 'La date de début n’est pas une date valide.' }
		});
	});

	it('refuses an end before the start', () => {
		const r = checkSeriesRule(rule({ startDate: '2027-02-10', untilDate: '2027-02-01' }), now, 92);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.untilDate).toMatch(/postérieure/);
	});

	it('refuses a start in the past', () => {
		const r = checkSeriesRule(rule({ startDate: '2026-12-01' }), now, 92);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.startDate).toMatch(/passé/);
	});

	it('refuses a first meeting earlier today', () => {
		const r = checkSeriesRule(
			rule({ weekday: 1, startDate: '2027-01-04', localStartTime: '08:00' }),
			now,
			92
		);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.localStartTime).toMatch(/déjà passée/);
	});

	it('refuses a time erased by the spring change on one of its dates', () => {
		const r = checkSeriesRule(
			rule({ weekday: 7, startDate: '2027-03-01', localStartTime: '02:15' }),
			new Date('2027-02-20T09:00:00Z'),
			92
		);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.localStartTime).toMatch(/28 mars 2027.*heure d’été/);
	});

	it('refuses a monthly series without its week, and a rule giving no date', () => {
		const monthly = checkSeriesRule(rule({ frequency: 'monthly', nthWeek: null }), now, 92);
		expect(monthly.ok).toBe(false);
		if (!monthly.ok) expect(monthly.errors.nthWeek).toMatch(/semaine du mois/);
		// From Wednesday to Friday there is no Tuesday.
		const empty = checkSeriesRule(
			rule({ startDate: '2027-01-06', untilDate: '2027-01-08' }),
			now,
			92
		);
		expect(empty.ok).toBe(false);
		if (!empty.ok) expect(empty.errors.untilDate).toMatch(/Aucune séance/);
	});

	it('refuses a silly duration and a malformed time', () => {
		const r = checkSeriesRule(rule({ durationMinutes: 5, localStartTime: '25:00' }), now, 92);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.errors.durationMinutes).toMatch(/durée/);
			expect(r.errors.localStartTime).toMatch(/HH:MM/);
		}
	});
});

describe('checkMeetingSlot', () => {
	const now = new Date('2027-03-20T09:00:00Z');

	it('gives the UTC instants of a Paris slot', () => {
		expect(
			checkMeetingSlot({ date: '2027-03-30', time: '17:30', durationMinutes: 60 }, now)
		).toEqual({
			ok: true,
			startsAt: new Date('2027-03-30T15:30:00Z'),
			endsAt: new Date('2027-03-30T16:30:00Z')
		});
	});

	it('refuses the spring-forward hour', () => {
		const r = checkMeetingSlot({ date: '2027-03-28', time: '02:30', durationMinutes: 60 }, now);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.errors.time).toMatch(/n’existe pas/);
	});

	it('refuses the past and impossible dates', () => {
		const past = checkMeetingSlot({ date: '2027-03-19', time: '17:30', durationMinutes: 60 }, now);
		expect(past.ok).toBe(false);
		if (!past.ok) expect(past.errors.date).toMatch(/passé/);
		const feb = checkMeetingSlot({ date: '2027-02-31', time: '17:30', durationMinutes: 60 }, now);
		expect(feb.ok).toBe(false);
		if (!feb.ok) expect(feb.errors.date).toMatch(/pas une date valide/);
	});

	it('refuses a mistyped far-away year, which no calendar client could read', () => {
		const far = checkMeetingSlot({ date: '9999-12-31', time: '23:30', durationMinutes: 720 }, now);
		expect(far.ok).toBe(false);
		if (!far.ok) expect(far.errors.date).toMatch(/plus de deux ans/);
		const later = checkMeetingSlot({ date: '2029-03-21', time: '17:30', durationMinutes: 60 }, now);
		expect(later.ok).toBe(false);
		const within = checkMeetingSlot(
			{ date: '2029-03-19', time: '17:30', durationMinutes: 60 },
			now
		);
		expect(within.ok).toBe(true);
	});
});

describe('French wording', () => {
	it('describes each kind of rule', () => {
		expect(describeRecurrence(rule())).toBe('Chaque mardi à 17 h 30');
		expect(
			describeRecurrence(rule({ frequency: 'biweekly', weekday: 1, localStartTime: '18:00' }))
		).toBe('Un lundi sur deux à 18 h');
		expect(
			describeRecurrence(
				rule({ frequency: 'monthly', weekday: 3, nthWeek: 1, localStartTime: '13:00' })
			)
		).toBe('Le premier mercredi du mois à 13 h');
		expect(describeRecurrence(rule({ frequency: 'monthly', weekday: 5, nthWeek: -1 }))).toBe(
			'Le dernier vendredi du mois à 17 h 30'
		);
		expect(formatLocalTime('09:05')).toBe('9 h 05');
	});

	it('puts the deadline the pathway’s hours before the start', () => {
		expect(computeDeadline(new Date('2027-03-30T15:30:00Z'), 48).toISOString()).toBe(
			'2027-03-28T15:30:00.000Z'
		);
	});
});
