// Replies to invitations: by account, by signed link, and the decline notice they trigger.
import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { type CalendarMeeting } from './calendar';
import { getDb, queryOne, transaction } from './db';
import { invitations, meetings, users } from './db/schema';
import { notifyCoordinatorsOfDecline, type DeclineEvent } from './invitation-declines';
import {
	findUserInvitation,
	listMeetingInvitees,
	loadCalendarMeeting,
	toInvitee,
	type InvitationReply,
	type InvitationRow,
	type MeetingInvitee,
	type MeetingRow
} from './invitations';
import { type MailOutcome } from './mail';
import { verifyPayload } from './signing';

export type ReplyResult =
	| {
			ok: true;
			reply: InvitationReply;
			invitationId: string;
			/** A new decline: the coordinators' notice being sent (await it to know it left). */
			notice?: Promise<MailOutcome[]>;
	  }
	| { ok: false; message: string };

/** Sends the coordinators' notice of a new decline, never throwing into the reply. */
export function startDeclineNotice(event: DeclineEvent): Promise<MailOutcome[]> {
	return notifyCoordinatorsOfDecline(event).catch((e: unknown) => {
		console.error('[decline notice]', e);
		return [];
	});
}

function coversMeeting(inv: InvitationRow, meeting: MeetingRow): boolean {
	return (
		inv.meetingId === meeting.id ||
		(inv.meetingId === null && inv.seriesId !== null && inv.seriesId === meeting.seriesId)
	);
}

function replyRefusal(
	inv: InvitationRow | undefined,
	meeting: MeetingRow | undefined,
	now: Date
): string | null {
	if (!inv || !meeting || !coversMeeting(inv, meeting)) return 'Cette invitation n’existe pas.';
	if (inv.revokedAt) return 'Cette invitation a été retirée par le secrétariat de la RCP.';
	if (meeting.status === 'cancelled') return 'Cette séance a été annulée.';
	if (meeting.status === 'closed' || meeting.endsAt <= now) return 'Cette séance est terminée.';
	return null;
}

/**
 * Records an answer for one meeting. For a series invitation the answer goes on a
 * meeting-level row of the same person, so each meeting has its own answer.
 */
export async function recordReply(
	invitationId: string,
	meetingId: string,
	reply: 'accepted' | 'declined',
	audit: AuditContext,
	now: Date = new Date(),
	channel: 'app' | 'signed_link' = 'app'
): Promise<ReplyResult> {
	const outcome = await transaction(getDb(), async (tx) => {
		const inv = await queryOne(
			tx.select().from(invitations).where(eq(invitations.id, invitationId))
		);
		const meeting = await queryOne(tx.select().from(meetings).where(eq(meetings.id, meetingId)));
		const refusal = replyRefusal(inv, meeting, now);
		if (refusal || !inv || !meeting) return { ok: false as const, message: refusal ?? '' };
		let target = inv.id;
		// The answer this person had for this meeting until now (the series' one by default).
		let previous = inv.reply;
		if (inv.meetingId !== meeting.id) {
			const own = await queryOne(
				tx
					.select({ id: invitations.id, reply: invitations.reply })
					.from(invitations)
					.where(
						and(
							eq(invitations.meetingId, meeting.id),
							eq(invitations.userId, inv.userId ?? ''),
							isNull(invitations.caseId),
							isNull(invitations.revokedAt)
						)
					)
			);
			if (own) {
				target = own.id;
				previous = own.reply;
			} else {
				target = crypto.randomUUID();
				await tx.insert(invitations).values({
					id: target,
					meetingId: meeting.id,
					userId: inv.userId,
					sentAt: inv.sentAt,
					createdBy: inv.createdBy
				});
			}
		}
		await tx.update(invitations).set({ reply, repliedAt: now }).where(eq(invitations.id, target));
		await recordAudit(
			audit,
			{
				action: 'invitation.reply',
				objectType: 'invitation',
				objectId: target,
				detail: { meetingId, reply, channel }
			},
			tx
		);
		const event: DeclineEvent | null =
			reply === 'declined' && previous !== 'declined'
				? {
						invitationId: target,
						repliedAt: now,
						userId: inv.userId,
						guestName: inv.guestName,
						meetingId: meeting.id,
						seriesId: null
					}
				: null;
		return { ok: true as const, reply, invitationId: target, event };
	});
	if (!outcome.ok) return outcome;
	const { event, ...result } = outcome;
	return event ? { ...result, notice: startDeclineNotice(event) } : result;
}

/** The logged-in doctor answers from the meeting page. */
export async function replyAsUser(
	meeting: Pick<MeetingRow, 'id' | 'seriesId'>,
	userId: string,
	reply: 'accepted' | 'declined',
	audit: AuditContext,
	now: Date = new Date()
): Promise<ReplyResult> {
	const own = await findUserInvitation(meeting, userId);
	if (!own) return { ok: false, message: 'Vous n’êtes pas invité(e) à cette séance.' };
	return recordReply(own.invitationId, meeting.id, reply, audit, now, 'app');
}

export type ReplyLinkCheck =
	| {
			ok: true;
			invitation: InvitationRow;
			meeting: CalendarMeeting & { row: MeetingRow };
			invitee: MeetingInvitee;
	  }
	| { ok: false; message: string };

/** Checks a signed reply link (tampered, withdrawn, past or cancelled links are refused). */
export async function checkReplyLink(
	invitationId: string,
	meetingId: string,
	signature: string | null,
	now: Date = new Date()
): Promise<ReplyLinkCheck> {
	if (!signature || !(await verifyPayload(`reply:${invitationId}:${meetingId}`, signature))) {
		return {
			ok: false,
			message:
				'Ce lien de réponse n’est pas valide. Vérifiez qu’il a été copié en entier depuis le message reçu.'
		};
	}
	const db = getDb();
	const inv = await queryOne(db.select().from(invitations).where(eq(invitations.id, invitationId)));
	const meeting = await loadCalendarMeeting(meetingId);
	const refusal = replyRefusal(inv, meeting?.row, now);
	if (refusal || !inv || !meeting) return { ok: false, message: refusal ?? '' };
	const user = inv.userId
		? ((await queryOne(db.select().from(users).where(eq(users.id, inv.userId)))) ?? null)
		: null;
	// The reply shown is this person's current one for this meeting.
	const current =
		(inv.userId
			? (await listMeetingInvitees(meeting.row)).find(
					(i) => i.userId === inv.userId && i.scope !== 'case'
				)
			: undefined) ?? toInvitee(inv, user);
	return { ok: true, invitation: inv, meeting, invitee: current };
}

/** Answers through the signed link, no login: the link was sent to the invitee alone. */
export async function replyWithLink(
	invitationId: string,
	meetingId: string,
	signature: string | null,
	reply: 'accepted' | 'declined',
	ip: string | null,
	now: Date = new Date()
): Promise<ReplyResult> {
	const check = await checkReplyLink(invitationId, meetingId, signature, now);
	if (!check.ok) return check;
	const audit: AuditContext = check.invitation.userId
		? { actorType: 'user', actorId: check.invitation.userId, ip }
		: { actorType: 'guest', actorId: check.invitation.id, ip };
	return recordReply(invitationId, meetingId, reply, audit, now, 'signed_link');
}
