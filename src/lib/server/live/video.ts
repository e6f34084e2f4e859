import {
	canChairMeeting,
	canFollowLiveMeeting,
	canJoinVideo,
	type Actor,
	type MeetingRef
} from '../auth/access';
import { recordAudit, type AuditContext } from '../audit';
import { getLivekitConfig } from '../config';
import type { InvitationRow } from '../invitations';
import type { MeetingRow } from '../meetings';
import { roomNameFor } from '../livekit/rooms';
import {
	guestIdentity,
	mintVideoToken,
	userIdentity,
	type VideoParticipant
} from '../livekit/tokens';
import type { SessionUser } from '../users';

export interface VideoGrantResponse {
	url: string;
	token: string;
	identity: string;
	expiresAt: string;
}

export type VideoTokenResult =
	{ ok: true; value: VideoGrantResponse } | { ok: false; status: number; message: string };

/**
 * Why a video token is refused, or null when it may be minted. The order gives each case its
 * own status: 403 for who is not invited, 409 for a meeting not (or no longer) open, or a guest
 * whose case is not the one being discussed.
 */
export function checkVideoAccess(
	actor: Actor,
	ref: MeetingRef,
	currentCaseId: string | null
): { status: number; message: string } | null {
	if (ref.status === 'cancelled') return { status: 409, message: 'Cette séance a été annulée.' };
	if (!canFollowLiveMeeting(actor, ref)) {
		return {
			status: 403,
			message:
				actor.kind === 'guest'
					? 'Ce lien ne donne pas accès à cette séance.'
					: 'Vous n’êtes pas invité(e) à cette séance.'
		};
	}
	if (ref.status === 'scheduled') {
		return { status: 409, message: 'La séance n’est pas encore ouverte par le président.' };
	}
	if (ref.status === 'closed') return { status: 409, message: 'Cette séance est terminée.' };
	if (!canJoinVideo(actor, ref, currentCaseId)) {
		return actor.kind === 'guest'
			? {
					status: 409,
					message:
						'Ce n’est pas le moment du dossier de votre patient : la visioconférence vous est ouverte pendant sa présentation.'
				}
			: { status: 403, message: 'Vous n’avez pas accès à la visioconférence de cette séance.' };
	}
	return null;
}

async function issue(
	meeting: MeetingRow,
	participant: VideoParticipant,
	audit: AuditContext
): Promise<VideoTokenResult> {
	const config = getLivekitConfig();
	if (!config) {
		return {
			ok: false,
			status: 503,
			message:
				'La visioconférence n’est pas configurée sur ce serveur : la séance se tient en salle.'
		};
	}
	const minted = await mintVideoToken(
		config,
		meeting.roomName ?? roomNameFor(meeting.id),
		participant
	);
	await recordAudit(audit, {
		action: 'live.token',
		objectType: 'meeting',
		objectId: meeting.id,
		detail: { identity: participant.identity, role: participant.role }
	});
	return {
		ok: true,
		value: {
			url: config.url,
			token: minted.token,
			identity: minted.identity,
			expiresAt: minted.expiresAt.toISOString()
		}
	};
}

/** A doctor's token, after checkVideoAccess: the chair administers the room, others take part. */
export function issueUserVideoToken(
	meeting: MeetingRow,
	ref: MeetingRef,
	user: SessionUser,
	actor: Actor,
	audit: AuditContext
): Promise<VideoTokenResult> {
	return issue(
		meeting,
		{
			identity: userIdentity(user.id),
			name: user.displayName,
			role: canChairMeeting(actor, ref) ? 'chair' : 'member',
			specialty: user.specialty
		},
		audit
	);
}

export function issueGuestVideoToken(
	meeting: MeetingRow,
	invitation: InvitationRow,
	audit: AuditContext
): Promise<VideoTokenResult> {
	return issue(
		meeting,
		{
			identity: guestIdentity(invitation.id),
			name: invitation.guestName ?? 'Médecin invité',
			role: 'guest',
			// An outside doctor (GP or referring): their specialty is not on record here.
			specialty: null
		},
		audit
	);
}
