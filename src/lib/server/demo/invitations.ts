import { and, asc, eq, gt } from 'drizzle-orm';
import { recordAudit, systemAudit } from '../audit';
import { INVITATION_HORIZON_DAYS, listInvitableMembers } from '../invitations';
import type { SeedContext } from './context';
import { invitations, meetings, meetingSeries } from '../db/schema';
import { addSeriesInvitations } from '../member-invitations';

/** Demo answers for the next meetings: most doctors come, one cannot, one has not answered. */
const REPLY_PATTERN = ['accepted', 'accepted', 'declined', 'accepted', 'pending'] as const;

/**
 * Demo invitations: every doctor of a pathway is invited to its series, as if the invites had
 * been mailed already (so the demo mailbox starts empty), and the next two meetings of each
 * pathway carry answers. Case-scoped guest invitations need cases and are not made here.
 */
export async function seedDemoInvitations(context: SeedContext): Promise<void> {
	const { tx } = context;
	const now = new Date();
	const mailedUntil = new Date(now.getTime() + INVITATION_HORIZON_DAYS * 86_400_000);
	for (const pathwayId of context.pathwayIds.values()) {
		const doctors = (await listInvitableMembers(pathwayId, tx)).map((m) => m.userId);
		const seriesList = await tx
			.select()
			.from(meetingSeries)
			.where(eq(meetingSeries.pathwayId, pathwayId));
		for (const series of seriesList) {
			const rows = await addSeriesInvitations(tx, series, doctors, systemAudit);
			if (!rows.ok) continue;
			for (const id of rows.created) {
				await tx
					.update(invitations)
					.set({ sentAt: now, mailedUntil })
					.where(eq(invitations.id, id));
			}
			const next = await tx
				.select()
				.from(meetings)
				.where(
					and(
						eq(meetings.seriesId, series.id),
						eq(meetings.status, 'scheduled'),
						gt(meetings.startsAt, now)
					)
				)
				.orderBy(asc(meetings.startsAt))
				.limit(2);
			for (const [m, meeting] of next.entries()) {
				for (const [i, userId] of doctors.entries()) {
					const reply = REPLY_PATTERN[(i + m) % REPLY_PATTERN.length]!;
					if (reply === 'pending') continue;
					const id = crypto.randomUUID();
					await tx.insert(invitations).values({
						id,
						meetingId: meeting.id,
						userId,
						reply,
						repliedAt: now,
						sentAt: now
					});
					await recordAudit(
						systemAudit,
						{
							action: 'invitation.reply',
							objectType: 'invitation',
							objectId: id,
							detail: { meetingId: meeting.id, reply, channel: 'demo' }
						},
						tx
					);
				}
			}
		}
	}
}
