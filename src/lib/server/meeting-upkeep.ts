// The calendar upkeep: materialise series, mail due invitations and reminders, every six hours.
import { desc, isNull } from 'drizzle-orm';
import { sendDueCaseReminders } from './case-reminders';
import { getDb, transaction } from './db';
import { meetingSeries } from './db/schema';
import { sendInvitationReminders } from './invitation-reminders';
import { materializeSeries } from './meetings';
import { addTally } from './series-planning';
import { mailSeriesInvitations } from './member-invitations';
import { type MailTally } from './invitation-mails';

/**
 * Keeps the calendar going: each active series gets its meetings up to the horizon, and
 * series invitations their invites for the meetings entering the next three months. Runs at
 * start-up and every few hours; running it twice changes nothing.
 */
export async function runCalendarMaintenance(now: Date = new Date()): Promise<{
	meetings: number;
	mails: MailTally;
}> {
	const db = getDb();
	const active = await db
		.select({ id: meetingSeries.id })
		.from(meetingSeries)
		.where(isNull(meetingSeries.endedAt))
		.orderBy(desc(meetingSeries.createdAt));
	let created = 0;
	for (const { id } of active) {
		created += await transaction(db, async (tx) => materializeSeries(id, tx, now));
	}
	const mails = await mailSeriesInvitations('all', now);
	addTally(mails, await sendInvitationReminders(now)); // invitees who have not answered
	await sendDueCaseReminders(now); // requesters of incomplete cases, before the deadline
	return { meetings: created, mails };
}

// ---------- personal calendar feed ----------
const UPKEEP_INTERVAL_MS = 6 * 3_600_000;
let upkeep: ReturnType<typeof setInterval> | undefined;

/** Runs the calendar upkeep at start-up and every six hours in the background (PLURI_CALENDAR_UPKEEP=0 turns it off). */
export function startCalendarUpkeep(): void {
	if (upkeep || process.env.PLURI_CALENDAR_UPKEEP === '0') return;
	const run = (): void => {
		runCalendarMaintenance().catch((e: unknown) => console.error('[calendar upkeep]', e));
	};
	run();
	upkeep = setInterval(run, UPKEEP_INTERVAL_MS);
	upkeep.unref();
}
