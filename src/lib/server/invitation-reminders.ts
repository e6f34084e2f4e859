/**
 * Reminders to invitees who have not answered (7 and 2 days before the meeting), sent by the
 * calendar upkeep. Each (meeting, invitee, stage) is claimed by inserting its reminder row
 * (unique) in a transaction before the mail is queued: running the upkeep twice, or on two
 * instances at once, never reminds twice.
 */
import { and, eq, gt, lte } from 'drizzle-orm';
import { composeInvitationMail } from '$lib/domain/invitation-mail';
import { findDueReminderStage, REMINDER_STAGES } from '$lib/domain/invitation-reminders';
import { meetingUrl } from './calendar';
import { getMailFrom } from './config';
import { getDb, affectedRows, transaction, queryOne } from './db';
import { invitationReminders, invitations, meetings } from './db/schema';
import { deriveGuestToken } from './guest-tokens';
import { listMeetingInvitees, loadCalendarMeeting, type MeetingInvitee } from './invitations';
import { sendMail } from './mail';
import { buildGuestLink, buildReplyLink, emptyTally, type MailTally } from './invitation-mails';

const DAY_MS = 86_400_000;

function mailDomain(): string {
	return /@([^>\s]+)/.exec(getMailFrom())?.[1] ?? 'pluri.localhost';
}

function inviteeKey(i: MeetingInvitee): string {
	return i.userId && i.scope !== 'case' ? `user:${i.userId}` : `inv:${i.invitationId}`;
}

/** Claims one reminder; true when this caller is the one to send it. */
async function claimReminder(
	meetingId: string,
	invitee: MeetingInvitee,
	stage: number
): Promise<boolean> {
	return transaction(
		getDb(),
		async (tx): Promise<boolean> =>
			affectedRows(
				await tx
					.insert(invitationReminders)
					.values({
						meetingId,
						inviteeKey: inviteeKey(invitee),
						invitationId: invitee.invitationId,
						stage
					})
					.onConflictDoNothing()
			) === 1
	);
}

/** Whether this invitee was told of this meeting at all (a series mailed meeting by meeting stops at its horizon). */
function wasInvited(i: MeetingInvitee, startsAt: Date): Date | null {
	if (!i.sentAt) return null;
	if (i.scope === 'series' && !(i.mailedUntil && i.mailedUntil > startsAt)) return null;
	return i.sentAt;
}

/** Sends the reminders due now; returns what became of them. */
export async function sendInvitationReminders(now: Date = new Date()): Promise<MailTally> {
	const tally = emptyTally();
	const db = getDb();
	const horizon = new Date(now.getTime() + Math.max(...REMINDER_STAGES) * DAY_MS);
	const coming = await db
		.select({ id: meetings.id })
		.from(meetings)
		.where(
			and(
				eq(meetings.status, 'scheduled'),
				gt(meetings.startsAt, now),
				lte(meetings.startsAt, horizon)
			)
		);
	for (const { id } of coming) {
		const meeting = await loadCalendarMeeting(id);
		if (!meeting) continue;
		const claimed = await db
			.select()
			.from(invitationReminders)
			.where(eq(invitationReminders.meetingId, id));
		for (const invitee of await listMeetingInvitees(meeting.row)) {
			if (!invitee.email) continue;
			const key = inviteeKey(invitee);
			const stage = findDueReminderStage({
				startsAt: meeting.startsAt,
				now,
				reply: invitee.reply,
				sentAt: wasInvited(invitee, meeting.startsAt),
				claimed: claimed.filter((c) => c.inviteeKey === key).map((c) => c.stage)
			});
			if (stage === null || !(await claimReminder(id, invitee, stage))) continue;
			let guestLink: string | null = null;
			if (invitee.isGuest) {
				const row = await queryOne(
					db.select().from(invitations).where(eq(invitations.id, invitee.invitationId))
				);
				const token = row ? await deriveGuestToken(row) : null;
				guestLink = token ? buildGuestLink(token) : null;
			}
			const { subject, text, secrets } = composeInvitationMail({
				kind: 'invitation_reminder',
				salutation: invitee.salutation,
				pathwayName: meeting.pathwayName,
				startsAt: meeting.startsAt,
				endsAt: meeting.endsAt,
				place: meeting.place,
				videoOffered: meeting.videoOffered,
				chairName: meeting.chairName,
				deadlineAt: meeting.deadlineAt,
				cancelReason: null,
				meetingLink: invitee.isGuest ? null : meetingUrl(id),
				acceptLink: await buildReplyLink(invitee.invitationId, id, 'oui'),
				declineLink: await buildReplyLink(invitee.invitationId, id, 'non'),
				guestLink,
				hasGuestLink: invitee.hasGuestLink,
				caseScoped: invitee.scope === 'case',
				reminderDays: stage
			});
			const outcome = await sendMail({
				to: invitee.email,
				subject,
				text,
				secrets,
				kind: 'invitation_reminder',
				messageId: `<reminder.${id}.${key.replace(':', '-')}.${stage}@${mailDomain()}>`
			});
			tally[outcome.status] += 1;
		}
	}
	return tally;
}
