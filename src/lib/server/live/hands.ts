import { eq } from 'drizzle-orm';
import {
	addRaisedHand,
	keepHandsOfCurrentCase,
	orderRaisedHands,
	removeRaisedHand,
	type RaisedHand
} from '$lib/domain/raised-hands';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import type { Actor } from '../auth/access';
import { getDb } from '../db';
import { invitations, users } from '../db/schema';
import { formatPersonName } from '../users';
import { publishMeetingEvent } from './bus';

/**
 * Raised hands of each open meeting, held in the process like the bus that carries them: a
 * hand is a request to speak now, not a record (not audited, no patient data), and it does not
 * survive the meeting (closing clears it). Several nodes would keep this next to the broker behind the same functions.
 */
const hands = new Map<string, RaisedHand[]>();

/** The participant's key in the list, or null for someone who cannot be in the room. */
export function handKeyOf(actor: Actor): string | null {
	if (actor.kind === 'user') return `user:${actor.id}`;
	if (actor.kind === 'guest') return `guest:${actor.invitationId}`;
	return null;
}

function describeParticipant(
	actor: Actor
): { name: string; specialty: string | null; caseId?: string | null } | null {
	const db = getDb();
	if (actor.kind === 'user') {
		const u = db.select().from(users).where(eq(users.id, actor.id)).get();
		if (!u) return null;
		return {
			name: formatPersonName(u),
			specialty: u.specialty ? getSpecialtyLabel(u.specialty) : null
		};
	}
	if (actor.kind === 'guest') {
		const inv = db
			.select({ name: invitations.guestName, caseId: invitations.caseId })
			.from(invitations)
			.where(eq(invitations.id, actor.invitationId))
			.get();
		// Tied to her case: the hand is lowered when the chair moves on (lowerHandsOutsideCase).
		return inv
			? {
					name: inv.name ?? 'Médecin invité(e)',
					specialty: 'Médecin invité(e)',
					caseId: inv.caseId
				}
			: null;
	}
	return null;
}

export function listRaisedHands(meetingId: string): RaisedHand[] {
	return orderRaisedHands(hands.get(meetingId) ?? []);
}

/**
 * Raises or lowers the actor's own hand; the caller has checked canFollowLiveMeeting and that
 * the meeting is open. Returns the French confirmation.
 */
export function setOwnHand(
	meetingId: string,
	actor: Actor,
	raised: boolean,
	now: Date = new Date()
): { ok: true; message: string } | { ok: false; message: string } {
	const key = handKeyOf(actor);
	const who = key ? describeParticipant(actor) : null;
	if (!key || !who) return { ok: false, message: 'Participant inconnu.' };
	const before = hands.get(meetingId) ?? [];
	const after = raised
		? addRaisedHand(before, { key, ...who, raisedAt: now })
		: removeRaisedHand(before, key);
	store(meetingId, after);
	if (after.length !== before.length) publishMeetingEvent(meetingId, { type: 'hands' });
	return {
		ok: true,
		message: raised
			? 'Vous avez levé la main : le président de séance la voit.'
			: 'Vous avez baissé la main.'
	};
}

/** The chair lowers someone's hand (they have spoken, or it was raised by mistake). */
export function lowerHandOf(
	meetingId: string,
	key: string
): { ok: true; message: string } | { ok: false; message: string } {
	const before = hands.get(meetingId) ?? [];
	const found = before.find((h) => h.key === key);
	if (!found) return { ok: false, message: 'Cette main est déjà baissée.' };
	store(meetingId, removeRaisedHand(before, key));
	publishMeetingEvent(meetingId, { type: 'hands' });
	return { ok: true, message: `Main de ${found.name} baissée.` };
}

/**
 * After the chair has made `currentCaseId` current: the hands tied to another case (guests whose
 * patient has been discussed) are lowered. Returns how many; the caller's case event carries the
 * change to every screen (the snapshot is read after this).
 */
export function lowerHandsOutsideCase(meetingId: string, currentCaseId: string | null): number {
	const before = hands.get(meetingId) ?? [];
	const after = keepHandsOfCurrentCase(before, currentCaseId);
	if (after.length !== before.length) store(meetingId, after);
	return before.length - after.length;
}

/** When the meeting ends nobody is waiting to speak any more. */
export function clearRaisedHands(meetingId: string): void {
	hands.delete(meetingId);
}

function store(meetingId: string, list: RaisedHand[]): void {
	if (list.length) hands.set(meetingId, list);
	else hands.delete(meetingId);
}
