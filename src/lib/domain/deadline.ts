/**
 * Scheduling a case into a meeting (DESIGN §3): before the meeting's submission deadline the
 * coordinator accepts freely; after it, only with an override and its reason; once the meeting
 * has started (or is no longer scheduled) nothing more is added.
 */
export interface DeadlineMeeting {
	status: 'scheduled' | 'open' | 'closed' | 'cancelled';
	startsAt: Date;
	deadlineAt: Date;
}

export type DeadlineCheck =
	| { ok: true; late: false }
	| { ok: true; late: true; overrideReason: string }
	| { ok: false; code: 'not_schedulable' | 'override_required'; message: string };

export const MIN_OVERRIDE_REASON = 5;

export function isPastDeadline(meeting: DeadlineMeeting, now: Date): boolean {
	return now.getTime() > meeting.deadlineAt.getTime();
}

/** Whether a case may still be put on this meeting's agenda at all. */
export function isSchedulable(meeting: DeadlineMeeting, now: Date): boolean {
	return meeting.status === 'scheduled' && now.getTime() < meeting.startsAt.getTime();
}

export function checkSchedulingDeadline(
	meeting: DeadlineMeeting,
	now: Date,
	overrideReason: string | null
): DeadlineCheck {
	if (!isSchedulable(meeting, now)) {
		return {
			ok: false,
			code: 'not_schedulable',
			message:
				meeting.status === 'cancelled'
					? 'Cette séance est annulée : choisissez-en une autre.'
					: 'Cette séance a déjà commencé ou est clôturée : choisissez une séance à venir.'
		};
	}
	if (!isPastDeadline(meeting, now)) return { ok: true, late: false };
	const reason = overrideReason?.trim() ?? '';
	if (reason.length < MIN_OVERRIDE_REASON) {
		return {
			ok: false,
			code: 'override_required',
			message:
				'La date limite d’inscription de cette séance est dépassée : cochez l’inscription hors délai et indiquez-en le motif.'
		};
	}
	return { ok: true, late: true, overrideReason: reason };
}

/** The meeting a « prochaine séance » request goes to: the first one still open to requests. */
export function pickNextOpenMeeting<M extends DeadlineMeeting>(
	meetings: readonly M[],
	now: Date
): M | null {
	const open = meetings
		.filter((m) => isSchedulable(m, now) && !isPastDeadline(m, now))
		.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
	return open[0] ?? null;
}
