import { eq } from 'drizzle-orm';
import type { GuestActor, MeetingRef } from '../auth/access';
import type { AuditContext } from '../audit';
import { getDb, queryOne } from '../db';
import { invitations } from '../db/schema';
import { type InvitationRow } from '../invitations';
import { toMeetingRef, type MeetingRow } from '../meetings';
import { resolveGuestToken, toGuestActor } from '../guest-links';

export type GuestAccess =
	| {
			ok: true;
			invitation: InvitationRow;
			meeting: MeetingRow;
			ref: MeetingRef;
			actor: GuestActor;
			audit: AuditContext;
	  }
	| { ok: false; status: number; message: string };

/**
 * The guest behind an invitation link, for the live meeting: the link must be valid now (its
 * window, not revoked) and scoped to one case. Each use is audited by resolveGuestToken.
 */
export async function resolveLiveGuest(
	token: string,
	ip: string | null,
	now = new Date()
): Promise<GuestAccess> {
	const resolved = await resolveGuestToken(token, now, { ip });
	if (!resolved.ok) {
		return {
			ok: false,
			status: resolved.reason === 'unknown' ? 404 : 403,
			message: resolved.message
		};
	}
	if (!resolved.caseId) {
		return {
			ok: false,
			status: 403,
			message:
				'Ce lien d’invitation ne concerne aucun dossier : il ne donne pas accès à la séance en direct.'
		};
	}
	return {
		ok: true,
		invitation: resolved.invitation,
		meeting: resolved.meeting,
		ref: await toMeetingRef(resolved.meeting),
		actor: toGuestActor(resolved.invitation),
		audit: { actorType: 'guest', actorId: resolved.invitation.id, ip }
	};
}

/** Still usable: not revoked, not expired since the stream opened. */
export async function isInvitationLive(invitationId: string, now = new Date()): Promise<boolean> {
	const row = await queryOne(
		getDb()
			.select({ revokedAt: invitations.revokedAt, expiresAt: invitations.expiresAt })
			.from(invitations)
			.where(eq(invitations.id, invitationId))
	);
	return !!row && !row.revokedAt && (!row.expiresAt || row.expiresAt > now);
}
