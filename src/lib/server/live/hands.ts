import { eq } from 'drizzle-orm';

// Raised hands live in raised_hand (every instance serves the same list); the order and the
// rules are the domain's (raised-hands.ts), applied to the list read inside one transaction.
import {
	addRaisedHand,
	keepHandsOfCurrentCase,
	orderRaisedHands,
	removeRaisedHand,
	type RaisedHand
} from '$lib/domain/raised-hands';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import type { Actor } from '../auth/access';
import { getDb, queryOne, transaction, type DbOrTx } from '../db';
import { invitations, raisedHands, users } from '../db/schema';
import { formatPersonName } from '../users';
import { publishMeetingEvent } from './bus';

/** The participant's key in the list, or null for someone who cannot be in the room. */
export function handKeyOf(actor: Actor): string | null {
	if (actor.kind === 'user') return `user:${actor.id}`;
	if (actor.kind === 'guest') return `guest:${actor.invitationId}`;
	return null;
}

async function describeParticipant(
	actor: Actor
): Promise<{ name: string; specialty: string | null; caseId?: string | null } | null> {
	const db = getDb();
	if (actor.kind === 'user') {
		const u = await queryOne(db.select().from(users).where(eq(users.id, actor.id)));
		if (!u) return null;
		return {
			name: formatPersonName(u),
			specialty: u.specialty ? getSpecialtyLabel(u.specialty) : null
		};
	}
	if (actor.kind === 'guest') {
		const inv = await queryOne(
			db
				.select({ name: invitations.guestName, caseId: invitations.caseId })
				.from(invitations)
				.where(eq(invitations.id, actor.invitationId))
		);
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

async function readHands(meetingId: string, db: DbOrTx): Promise<RaisedHand[]> {
	return (await db.select().from(raisedHands).where(eq(raisedHands.meetingId, meetingId))).map(
		(r) => ({
			key: r.participantKey,
			name: r.name,
			specialty: r.specialty,
			raisedAt: r.raisedAt,
			...(r.caseId ? { caseId: r.caseId } : {})
		})
	);
}

/** Replaces the meeting's list (a few rows at most). */
async function writeHands(meetingId: string, list: RaisedHand[], tx: DbOrTx): Promise<void> {
	await tx.delete(raisedHands).where(eq(raisedHands.meetingId, meetingId));
	if (!list.length) return;
	await tx.insert(raisedHands).values(
		list.map((h) => ({
			meetingId,
			participantKey: h.key,
			name: h.name,
			specialty: h.specialty,
			caseId: h.caseId ?? null,
			raisedAt: h.raisedAt
		}))
	);
}

export async function listRaisedHands(
	meetingId: string,
	db: DbOrTx = getDb()
): Promise<RaisedHand[]> {
	return orderRaisedHands(await readHands(meetingId, db));
}

/**
 * Raises or lowers the actor's own hand; the caller has checked canFollowLiveMeeting and that
 * the meeting is open. Returns the French confirmation.
 */
export async function setOwnHand(
	meetingId: string,
	actor: Actor,
	raised: boolean,
	now: Date = new Date()
): Promise<{ ok: true; message: string } | { ok: false; message: string }> {
	const key = handKeyOf(actor);
	const who = key ? await describeParticipant(actor) : null;
	if (!key || !who) return { ok: false, message: 'Participant inconnu.' };
	const changed = await transaction(getDb(), async (tx) => {
		const before = await readHands(meetingId, tx);
		const after = raised
			? addRaisedHand(before, { key, ...who, raisedAt: now })
			: removeRaisedHand(before, key);
		if (after.length === before.length) return false;
		await writeHands(meetingId, after, tx);
		return true;
	});
	if (changed) publishMeetingEvent(meetingId, { type: 'hands' });
	return {
		ok: true,
		message: raised
			? 'Vous avez levé la main : le président de séance la voit.'
			: 'Vous avez baissé la main.'
	};
}

/** The chair lowers someone's hand (they have spoken, or it was raised by mistake). */
export async function lowerHandOf(
	meetingId: string,
	key: string
): Promise<{ ok: true; message: string } | { ok: false; message: string }> {
	const found = await transaction(getDb(), async (tx) => {
		const before = await readHands(meetingId, tx);
		const hand = before.find((h) => h.key === key);
		if (hand) await writeHands(meetingId, removeRaisedHand(before, key), tx);
		return hand;
	});
	if (!found) return { ok: false, message: 'Cette main est déjà baissée.' };
	publishMeetingEvent(meetingId, { type: 'hands' });
	return { ok: true, message: `Main de ${found.name} baissée.` };
}

/**
 * After the chair has made `currentCaseId` current: the hands tied to another case (guests whose
 * patient has been discussed) are lowered. Returns how many; the caller's case event carries the
 * change to every screen (the snapshot is read after this).
 */
export async function lowerHandsOutsideCase(
	meetingId: string,
	currentCaseId: string | null,
	tx: DbOrTx = getDb()
): Promise<number> {
	const before = await readHands(meetingId, tx);
	const after = keepHandsOfCurrentCase(before, currentCaseId);
	if (after.length !== before.length) await writeHands(meetingId, after, tx);
	return before.length - after.length;
}

/** When the meeting ends nobody is waiting to speak any more. */
export async function clearRaisedHands(meetingId: string, tx: DbOrTx = getDb()): Promise<void> {
	await tx.delete(raisedHands).where(eq(raisedHands.meetingId, meetingId));
}
