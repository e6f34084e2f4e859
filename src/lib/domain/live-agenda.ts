/**
 * Moving through the agenda of a live meeting, and where a guest's case stands in it. Indexes
 * are 0-based positions in the agenda order; -1 means no case on screen.
 */
export type MeetingStatus = 'scheduled' | 'open' | 'closed' | 'cancelled';

/** The case the chair's « next » or « previous » leads to; null past either end. */
export function stepIndex(
	current: number,
	step: 'next' | 'previous',
	length: number
): number | null {
	const target = step === 'next' ? current + 1 : current - 1;
	// Without a case on screen, « previous » has nowhere to go and « next » starts at the first.
	if (current < 0 && step === 'previous') return null;
	return target >= 0 && target < length ? target : null;
}

export interface GuestSlot {
	/** 1-based place of the guest's case on the agenda. */
	position: number;
	/** Cases still to be discussed before the guest's one, the case on screen included. */
	casesBefore: number;
	isCurrent: boolean;
	/** The guest's case has been discussed (the chair moved past it) or the meeting is over. */
	done: boolean;
}

export function computeGuestSlot(
	guestIndex: number,
	currentIndex: number,
	status: MeetingStatus
): GuestSlot | null {
	if (guestIndex < 0) return null;
	const running = status === 'open' && currentIndex >= 0;
	return {
		position: guestIndex + 1,
		casesBefore: running ? Math.max(0, guestIndex - currentIndex) : guestIndex,
		isCurrent: running && currentIndex === guestIndex,
		done: status === 'closed' || (running && currentIndex > guestIndex)
	};
}

/** The chair may open the meeting this long before its scheduled start (set-up, early start). */
export const OPEN_EARLY_MINUTES = 60;

/** Whether a scheduled meeting may be opened now: from shortly before its start to its end. */
export function checkOpeningTime(
	startsAt: Date,
	endsAt: Date,
	now: Date
): { ok: true } | { ok: false; reason: 'too_early' | 'over' } {
	if (now.getTime() < startsAt.getTime() - OPEN_EARLY_MINUTES * 60_000) {
		return { ok: false, reason: 'too_early' };
	}
	if (now >= endsAt) return { ok: false, reason: 'over' };
	return { ok: true };
}
