/**
 * When an invitation link lets an outside doctor in: from shortly before the meeting until its
 * end, never once revoked, never for a cancelled meeting. Pure, so the window is unit-tested.
 */
import { formatParisDateTime, formatParisTime } from './schedule';

/** The link opens this long before the meeting starts (waiting room, device check). */
export const GUEST_EARLY_MINUTES = 30;
/** Hard limit of a link, after the meeting's end: reading the validated decision afterwards. */
export const GUEST_LINK_RETENTION_DAYS = 30;

export type GuestRefusal =
	'unknown' | 'revoked' | 'expired' | 'not_yet' | 'meeting_over' | 'cancelled';

export interface GuestLinkFacts {
	revokedAt: Date | null;
	expiresAt: Date | null;
}

export interface GuestMeetingFacts {
	startsAt: Date;
	endsAt: Date;
	status: 'scheduled' | 'open' | 'closed' | 'cancelled';
}

export type GuestWindowCheck =
	{ ok: true } | { ok: false; reason: Exclude<GuestRefusal, 'unknown'>; message: string };

export function computeGuestLinkExpiry(endsAt: Date): Date {
	return new Date(endsAt.getTime() + GUEST_LINK_RETENTION_DAYS * 86_400_000);
}

export function computeGuestOpening(startsAt: Date): Date {
	return new Date(startsAt.getTime() - GUEST_EARLY_MINUTES * 60_000);
}

/**
 * Whether the link works now. `afterEnd` lets later pages (the validated decision) accept a link
 * after the meeting, up to its hard expiry; the meeting itself never does.
 */
export function checkGuestWindow(
	link: GuestLinkFacts,
	meeting: GuestMeetingFacts,
	now: Date,
	options: { afterEnd?: boolean } = {}
): GuestWindowCheck {
	if (link.revokedAt !== null && link.revokedAt <= now) return refuse('revoked', meeting);
	if (meeting.status === 'cancelled') return refuse('cancelled', meeting);
	if (link.expiresAt !== null && link.expiresAt < now) return refuse('expired', meeting);
	const over = meeting.status === 'closed' || meeting.endsAt <= now;
	if (over) return options.afterEnd ? { ok: true } : refuse('meeting_over', meeting);
	// A chair may open the meeting early: the link follows the meeting, not the clock.
	if (meeting.status !== 'open' && now < computeGuestOpening(meeting.startsAt)) {
		return refuse('not_yet', meeting);
	}
	return { ok: true };
}

function refuse(
	reason: Exclude<GuestRefusal, 'unknown'>,
	meeting: GuestMeetingFacts
): GuestWindowCheck {
	return { ok: false, reason, message: describeGuestRefusal(reason, meeting) };
}

/** The French explanation shown to the doctor holding the link. */
export function describeGuestRefusal(reason: GuestRefusal, meeting?: GuestMeetingFacts): string {
	switch (reason) {
		case 'unknown':
			return 'Ce lien d’invitation n’est pas valide. Vérifiez qu’il a été copié en entier, ou demandez un nouveau lien au secrétariat de la RCP.';
		case 'revoked':
			return 'Ce lien d’invitation a été retiré par le secrétariat de la RCP. Contactez-le si vous devez participer à la séance.';
		case 'expired':
			return 'Ce lien d’invitation a expiré. Demandez un nouveau lien au secrétariat de la RCP si nécessaire.';
		case 'cancelled':
			return 'Cette séance a été annulée : le lien d’invitation ne donne plus accès.';
		case 'meeting_over':
			return 'Cette séance est terminée : le lien d’invitation ne donne plus accès à la séance.';
		case 'not_yet':
			return meeting
				? `Ce lien sera actif à partir du ${formatParisDateTime(computeGuestOpening(meeting.startsAt))}, ${GUEST_EARLY_MINUTES} minutes avant le début de la séance (${formatParisTime(meeting.startsAt)}).`
				: `Ce lien sera actif ${GUEST_EARLY_MINUTES} minutes avant le début de la séance.`;
	}
}
