// Inviting a guest (the GP or referring doctor) for one case, and renewing the link.
import { computeGuestLinkExpiry } from '$lib/domain/guest-link';
import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { getDb, queryOne, transaction } from './db';
import { cases, invitations, meetings } from './db/schema';
import { issueGuestToken } from './guest-tokens';
import { listMeetingInvitees, loadCalendarMeeting } from './invitations';
import { isLive, mailNewMeetingInvitations } from './member-invitations';
import { count, emptyTally, mailInvitee, type MailTally } from './invitation-mails';

export interface GuestInput {
	name: string;
	rpps: string | null;
	email: string;
	caseId: string | null;
}

export type GuestInviteResult =
	| { ok: true; invitationId: string; already: boolean; mails: MailTally }
	| { ok: false; field?: string; message: string };

/**
 * Invites an outside doctor (often the patient's GP) to one meeting, or to one case of it.
 * The link's token is random and only its hash is kept: it exists in the mail alone.
 */
export async function inviteGuest(
	meetingId: string,
	input: GuestInput,
	audit: AuditContext,
	now: Date = new Date()
): Promise<GuestInviteResult> {
	const id = crypto.randomUUID();
	const issued = await issueGuestToken(id);
	const token = issued.token;
	const outcome = await transaction(getDb(), async (tx) => {
		const meeting = await queryOne(tx.select().from(meetings).where(eq(meetings.id, meetingId)));
		if (!meeting) return { ok: false as const, message: 'Cette séance n’existe pas.' };
		if (!isLive(meeting, now)) {
			return {
				ok: false as const,
				message: 'Cette séance est annulée ou passée : on ne peut plus y inviter.'
			};
		}
		let patientId: string | null = null;
		if (input.caseId) {
			const c = await queryOne(
				tx
					.select({ meetingId: cases.meetingId, patientId: cases.patientId })
					.from(cases)
					.where(eq(cases.id, input.caseId))
			);
			if (!c || c.meetingId !== meetingId) {
				return {
					ok: false as const,
					field: 'caseId',
					message: 'Ce dossier n’est pas inscrit à l’ordre du jour de cette séance.'
				};
			}
			patientId = c.patientId;
		}
		const existing = await queryOne(
			tx
				.select()
				.from(invitations)
				.where(
					and(
						eq(invitations.meetingId, meetingId),
						eq(invitations.guestEmail, input.email),
						input.caseId ? eq(invitations.caseId, input.caseId) : isNull(invitations.caseId),
						isNull(invitations.revokedAt)
					)
				)
		);
		if (existing) return { ok: true as const, invitationId: existing.id, already: true };
		await tx.insert(invitations).values({
			id,
			meetingId,
			guestName: input.name,
			guestRpps: input.rpps,
			guestEmail: input.email,
			caseId: input.caseId,
			tokenHash: issued.tokenHash,
			tokenNonce: issued.tokenNonce,
			expiresAt: computeGuestLinkExpiry(meeting.endsAt),
			createdBy: audit.actorId
		});
		await recordAudit(
			audit,
			{
				action: 'invitation.create',
				objectType: 'invitation',
				objectId: id,
				patientId,
				detail: { meetingId, guest: input.email, caseId: input.caseId }
			},
			tx
		);
		return { ok: true as const, invitationId: id, already: false };
	});
	if (!outcome.ok) return outcome;
	if (outcome.already) return { ...outcome, mails: emptyTally() };
	const mails = await mailNewMeetingInvitations(
		meetingId,
		[outcome.invitationId],
		now,
		new Map([[outcome.invitationId, token]])
	);
	return { ...outcome, mails };
}

/** A new link for a guest who lost theirs; the previous one stops working at once. */
export async function renewGuestLink(
	invitationId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<{ ok: true; mails: MailTally } | { ok: false; message: string }> {
	const issued = await issueGuestToken(invitationId);
	const token = issued.token;
	const outcome = await transaction(getDb(), async (tx) => {
		const inv = await queryOne(
			tx.select().from(invitations).where(eq(invitations.id, invitationId))
		);
		if (!inv || inv.userId !== null || !inv.meetingId) {
			return { ok: false as const, message: 'Cette invitation n’a pas de lien personnel.' };
		}
		if (inv.revokedAt) return { ok: false as const, message: 'Cette invitation a été retirée.' };
		const meeting = await queryOne(
			tx.select().from(meetings).where(eq(meetings.id, inv.meetingId))
		);
		if (!meeting || !isLive(meeting, now)) {
			return { ok: false as const, message: 'Cette séance est annulée ou passée.' };
		}
		await tx
			.update(invitations)
			.set({
				tokenHash: issued.tokenHash,
				tokenNonce: issued.tokenNonce,
				expiresAt: computeGuestLinkExpiry(meeting.endsAt)
			})
			.where(eq(invitations.id, invitationId));
		await recordAudit(
			audit,
			{ action: 'invitation.renew_link', objectType: 'invitation', objectId: invitationId },
			tx
		);
		return { ok: true as const, meetingId: meeting.id };
	});
	if (!outcome.ok) return outcome;
	const tally = emptyTally();
	const meeting = await loadCalendarMeeting(outcome.meetingId);
	const invitee = meeting
		? (await listMeetingInvitees(meeting.row)).find((i) => i.invitationId === invitationId)
		: undefined;
	if (meeting && invitee) {
		count(tally, await mailInvitee(invitee, meeting, 'guest_link', { guestToken: token }));
	}
	return { ok: true, mails: tally };
}
