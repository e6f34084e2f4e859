/**
 * When an invitee who has not answered is reminded: 7 days, then 2 days before the meeting.
 * Pure rule; the upkeep claims each (meeting, invitee, stage) in the database before mailing.
 */

/** Days before the meeting, latest last. */
export const REMINDER_STAGES = [7, 2] as const;

export type ReminderStage = (typeof REMINDER_STAGES)[number];

const DAY_MS = 86_400_000;

export interface ReminderFacts {
	startsAt: Date;
	now: Date;
	reply: 'pending' | 'accepted' | 'declined';
	/** When the invitation went out; null: never sent, nothing to remind of. */
	sentAt: Date | null;
	/** Stages already claimed for this invitee and meeting. */
	claimed: readonly number[];
}

/**
 * The stage to remind at now, or null. Only the latest stage reached counts (an upkeep that
 * missed the 7-day window does not send it late next to the 2-day one), and only when the
 * invitation had gone out before that stage began (no reminder right after the invitation).
 */
export function findDueReminderStage(f: ReminderFacts): ReminderStage | null {
	if (f.reply !== 'pending' || f.sentAt === null || f.now >= f.startsAt) return null;
	let due: ReminderStage | null = null;
	for (const stage of REMINDER_STAGES) {
		if (f.now.getTime() >= f.startsAt.getTime() - stage * DAY_MS) due = stage;
	}
	if (due === null || f.claimed.includes(due)) return null;
	if (f.sentAt.getTime() > f.startsAt.getTime() - due * DAY_MS) return null;
	return due;
}
