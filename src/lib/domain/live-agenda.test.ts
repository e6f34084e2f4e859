import { describe, expect, it } from 'vitest';
import { checkOpeningTime, computeGuestSlot, stepIndex } from './live-agenda';

describe('stepping through the agenda', () => {
	it('goes forward and back within the agenda, and stops at its ends', () => {
		expect(stepIndex(0, 'next', 3)).toBe(1);
		expect(stepIndex(2, 'next', 3)).toBeNull();
		expect(stepIndex(1, 'previous', 3)).toBe(0);
		expect(stepIndex(0, 'previous', 3)).toBeNull();
	});

	it('starts at the first case when none is on screen, and never goes before it', () => {
		expect(stepIndex(-1, 'next', 3)).toBe(0);
		expect(stepIndex(-1, 'previous', 3)).toBeNull();
		expect(stepIndex(-1, 'next', 0)).toBeNull();
	});
});

describe('where a guest’s case stands', () => {
	it('counts the cases before it, the one on screen included', () => {
		expect(computeGuestSlot(2, 0, 'open')).toEqual({
			position: 3,
			casesBefore: 2,
			isCurrent: false,
			done: false
		});
		expect(computeGuestSlot(2, 1, 'open')!.casesBefore).toBe(1);
	});

	it('is current when on screen, done once the chair moved past it', () => {
		expect(computeGuestSlot(1, 1, 'open')).toMatchObject({
			casesBefore: 0,
			isCurrent: true,
			done: false
		});
		expect(computeGuestSlot(1, 2, 'open')).toMatchObject({
			casesBefore: 0,
			isCurrent: false,
			done: true
		});
		// Back to it: current again.
		expect(computeGuestSlot(1, 1, 'open')!.isCurrent).toBe(true);
	});

	it('before the meeting opens, counts from the start; after it closes, is done', () => {
		expect(computeGuestSlot(1, -1, 'scheduled')).toEqual({
			position: 2,
			casesBefore: 1,
			isCurrent: false,
			done: false
		});
		expect(computeGuestSlot(0, -1, 'scheduled')!.casesBefore).toBe(0);
		expect(computeGuestSlot(0, 0, 'closed')).toMatchObject({ isCurrent: false, done: true });
	});

	it('is null when the guest’s case is not on the agenda', () => {
		expect(computeGuestSlot(-1, 0, 'open')).toBeNull();
	});
});

describe('when the chair may open the meeting', () => {
	const startsAt = new Date('2027-03-02T16:30:00Z');
	const endsAt = new Date('2027-03-02T18:00:00Z');
	it('from an hour before its start until its end', () => {
		expect(checkOpeningTime(startsAt, endsAt, new Date('2027-03-02T15:29:59Z'))).toEqual({
			ok: false,
			reason: 'too_early'
		});
		expect(checkOpeningTime(startsAt, endsAt, new Date('2027-03-02T15:30:00Z'))).toEqual({
			ok: true
		});
		expect(checkOpeningTime(startsAt, endsAt, new Date('2027-03-02T17:59:59Z'))).toEqual({
			ok: true
		});
		expect(checkOpeningTime(startsAt, endsAt, endsAt)).toEqual({ ok: false, reason: 'over' });
	});
});
