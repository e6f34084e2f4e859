import { describe, expect, it } from 'vitest';
import { checkSchedulingDeadline, isSchedulable, pickNextOpenMeeting } from './deadline';

const startsAt = new Date('2026-12-01T16:30:00Z');
const deadlineAt = new Date('2026-11-29T16:30:00Z');
const meeting = { status: 'scheduled' as const, startsAt, deadlineAt };
const before = new Date('2026-11-28T10:00:00Z');
const after = new Date('2026-11-30T10:00:00Z');

describe('submission deadline and override', () => {
	it('accepts freely before the deadline', () => {
		expect(checkSchedulingDeadline(meeting, before, null)).toEqual({ ok: true, late: false });
		// An override given when none is needed is not recorded as late.
		expect(checkSchedulingDeadline(meeting, before, 'urgence')).toEqual({ ok: true, late: false });
	});

	it('the deadline instant itself is still on time', () => {
		expect(checkSchedulingDeadline(meeting, deadlineAt, null)).toEqual({ ok: true, late: false });
	});

	it('after the deadline, needs an override with a reason', () => {
		const refused = checkSchedulingDeadline(meeting, after, null);
		expect(refused).toMatchObject({ ok: false, code: 'override_required' });
		expect(checkSchedulingDeadline(meeting, after, '  ok ')).toMatchObject({
			ok: false,
			code: 'override_required'
		});
		expect(checkSchedulingDeadline(meeting, after, ' Urgence thérapeutique ')).toEqual({
			ok: true,
			late: true,
			overrideReason: 'Urgence thérapeutique'
		});
	});

	it('never once the meeting started, was closed or cancelled, override or not', () => {
		const during = new Date('2026-12-01T16:45:00Z');
		expect(checkSchedulingDeadline(meeting, during, 'Urgence thérapeutique')).toMatchObject({
			ok: false,
			code: 'not_schedulable'
		});
		for (const status of ['open', 'closed', 'cancelled'] as const) {
			expect(isSchedulable({ ...meeting, status }, before)).toBe(false);
			expect(
				checkSchedulingDeadline({ ...meeting, status }, before, 'Urgence thérapeutique').ok
			).toBe(false);
		}
	});

	it('« the next meeting » is the first one whose deadline is still ahead', () => {
		const week = 7 * 86_400_000;
		const list = [1, 0, 2].map((n) => ({
			id: `m${n}`,
			status: 'scheduled' as const,
			startsAt: new Date(startsAt.getTime() + n * week),
			deadlineAt: new Date(deadlineAt.getTime() + n * week)
		}));
		expect(pickNextOpenMeeting(list, before)?.id).toBe('m0');
		expect(pickNextOpenMeeting(list, after)?.id).toBe('m1');
		expect(pickNextOpenMeeting(list, new Date('2027-01-01T00:00:00Z'))).toBeNull();
	});
});
