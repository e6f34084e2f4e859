import { describe, expect, it } from 'vitest';
import { findDueReminderStage, type ReminderFacts } from './invitation-reminders';

const startsAt = new Date('2027-03-16T16:30:00Z');
const day = 86_400_000;

function facts(daysBefore: number, partial: Partial<ReminderFacts> = {}): ReminderFacts {
	return {
		startsAt,
		now: new Date(startsAt.getTime() - daysBefore * day),
		reply: 'pending',
		sentAt: new Date('2027-03-01T09:00:00Z'),
		claimed: [],
		...partial
	};
}

describe('findDueReminderStage', () => {
	it('says nothing before 7 days, then 7, then 2', () => {
		expect(findDueReminderStage(facts(8))).toBeNull();
		expect(findDueReminderStage(facts(7))).toBe(7);
		expect(findDueReminderStage(facts(3))).toBe(7);
		expect(findDueReminderStage(facts(2))).toBe(2);
		expect(findDueReminderStage(facts(0.1))).toBe(2);
		expect(findDueReminderStage(facts(-0.1))).toBeNull();
	});

	it('reminds once per stage, and never late for a stage already passed', () => {
		expect(findDueReminderStage(facts(5, { claimed: [7] }))).toBeNull();
		expect(findDueReminderStage(facts(1, { claimed: [7] }))).toBe(2);
		expect(findDueReminderStage(facts(1, { claimed: [2] }))).toBeNull();
		// The 7-day run was missed: only the 2-day reminder goes.
		expect(findDueReminderStage(facts(1))).toBe(2);
	});

	it('reminds only those who have not answered, and were invited before the stage began', () => {
		expect(findDueReminderStage(facts(5, { reply: 'accepted' }))).toBeNull();
		expect(findDueReminderStage(facts(5, { reply: 'declined' }))).toBeNull();
		expect(findDueReminderStage(facts(5, { sentAt: null }))).toBeNull();
		// Invited 4 days before: no 7-day reminder, the 2-day one later.
		const lateInvite = new Date(startsAt.getTime() - 4 * day);
		expect(findDueReminderStage(facts(3.5, { sentAt: lateInvite }))).toBeNull();
		expect(findDueReminderStage(facts(1.5, { sentAt: lateInvite }))).toBe(2);
	});
});
