/**
 * « Lever la main » in the live meeting: who asks to speak, in the order they asked. Raising
 * again keeps one's place (a double click or a reconnection must not send one to the back).
 */

export interface RaisedHand {
	/** The participant: `user:<id>` or `guest:<invitationId>`. */
	key: string;
	name: string;
	specialty: string | null;
	raisedAt: Date;
	/**
	 * For a guest: the case she is invited for. She is in the room for her patient only, so her
	 * hand stands while that case is current. Absent for members (their hand spans the meeting).
	 */
	caseId?: string | null;
}

/** First raised first; the same instant is settled by key so every screen shows one order. */
export function orderRaisedHands(hands: readonly RaisedHand[]): RaisedHand[] {
	return [...hands].sort(
		(a, b) =>
			a.raisedAt.getTime() - b.raisedAt.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
	);
}

/** The list with this hand raised; one already raised keeps its time and place. */
export function addRaisedHand(hands: readonly RaisedHand[], hand: RaisedHand): RaisedHand[] {
	if (hands.some((h) => h.key === hand.key)) return orderRaisedHands(hands);
	return orderRaisedHands([...hands, hand]);
}

/** The list without this participant's hand (lowering one not raised changes nothing). */
export function removeRaisedHand(hands: readonly RaisedHand[], key: string): RaisedHand[] {
	return orderRaisedHands(hands.filter((h) => h.key !== key));
}

/**
 * The list once `currentCaseId` is on screen: a hand tied to a case (a guest's) is lowered when
 * that case is no longer current (the chair moved on, or no case is shown); the others stay.
 */
export function keepHandsOfCurrentCase(
	hands: readonly RaisedHand[],
	currentCaseId: string | null
): RaisedHand[] {
	return orderRaisedHands(hands.filter((h) => !h.caseId || h.caseId === currentCaseId));
}
