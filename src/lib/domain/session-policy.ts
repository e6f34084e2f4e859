export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_ABSOLUTE_MS = 12 * 3_600_000;
/** Renew at most once a minute to spare a database write on every request. */
export const SESSION_RENEW_AFTER_MS = 60_000;

export type SessionEvaluation =
	{ valid: false; reason: 'idle' | 'absolute' } | { valid: true; renew: boolean; expiresAt: Date };

/**
 * Idle and absolute expiry of a session at `now`. When `renew` is true the caller stores
 * `now` as the new last-seen time; `expiresAt` already accounts for it.
 */
export function evaluateSession(
	s: { createdAt: Date; lastSeenAt: Date },
	now: Date
): SessionEvaluation {
	const nowMs = now.getTime();
	const absoluteEnd = s.createdAt.getTime() + SESSION_ABSOLUTE_MS;
	// The absolute limit wins: a session past 12 h ends whatever its activity.
	if (nowMs >= absoluteEnd) return { valid: false, reason: 'absolute' };

	const idleFor = nowMs - s.lastSeenAt.getTime();
	if (idleFor >= SESSION_IDLE_MS) return { valid: false, reason: 'idle' };

	const renew = idleFor >= SESSION_RENEW_AFTER_MS;
	const lastSeen = renew ? nowMs : s.lastSeenAt.getTime();
	return {
		valid: true,
		renew,
		expiresAt: new Date(Math.min(lastSeen + SESSION_IDLE_MS, absoluteEnd))
	};
}
