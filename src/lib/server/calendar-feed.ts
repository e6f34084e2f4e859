// Each user's personal calendar feed (signed URL, reset, iCalendar rendering).
import { eq } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { buildCalendarFeed } from './calendar';
import { getPublicOrigin } from './config';
import { getDb } from './db';
import { memberships, users } from './db/schema';
import { listUserCalendar, MATERIALIZE_DAYS } from './meetings';
import { signPayload, verifyPayload } from './signing';

/** The secret part of the feed address; resetting bumps the version and kills old addresses. */
function feedSignature(userId: string, version: number): string {
	return signPayload(`feed:${userId}:${version}`);
}

export function buildCalendarFeedUrl(user: { id: string; calendarFeedVersion: number }): string {
	return `${getPublicOrigin()}/api/calendar/${user.id}.${feedSignature(user.id, user.calendarFeedVersion)}.ics`;
}

export function getCalendarFeedUrl(userId: string): string | null {
	const user = getDb().select().from(users).where(eq(users.id, userId)).get();
	return user ? buildCalendarFeedUrl(user) : null;
}

/** A new secret address; subscriptions to the old one stop at their next refresh. */
export function resetCalendarFeed(userId: string, audit: AuditContext): string {
	return getDb().transaction(
		(tx) => {
			const user = tx.select().from(users).where(eq(users.id, userId)).get()!;
			const version = user.calendarFeedVersion + 1;
			tx.update(users).set({ calendarFeedVersion: version }).where(eq(users.id, userId)).run();
			recordAudit(
				audit,
				{ action: 'calendar.feed_reset', objectType: 'user', objectId: userId },
				tx
			);
			return buildCalendarFeedUrl({ id: userId, calendarFeedVersion: version });
		},
		{ behavior: 'immediate' }
	);
}

/** How far back and ahead the feed reaches. */
const FEED_PAST_DAYS = 92;
const FEED_AHEAD_DAYS = MATERIALIZE_DAYS;

/**
 * The iCalendar text of a feed address (`<userId>.<signature>.ics`), or null when the address
 * is unknown, reset or its account disabled. It lists meetings only, never patient data.
 */
export function renderCalendarFeed(address: string, now: Date = new Date()): string | null {
	const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,100})\.ics$/i.exec(address);
	if (!match) return null;
	const [, userId, signature] = match as unknown as [string, string, string];
	const user = getDb().select().from(users).where(eq(users.id, userId)).get();
	if (!user || user.disabledAt) return null;
	if (!verifyPayload(`feed:${user.id}:${user.calendarFeedVersion}`, signature)) return null;
	const pathwayIds = [
		...new Set(
			getDb()
				.select({ pathwayId: memberships.pathwayId })
				.from(memberships)
				.where(eq(memberships.userId, user.id))
				.all()
				.map((m) => m.pathwayId)
		)
	];
	const meetingsOfUser = listUserCalendar(
		user.id,
		pathwayIds,
		new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000),
		new Date(now.getTime() + FEED_AHEAD_DAYS * 86_400_000)
	);
	return buildCalendarFeed('Pluri — mes séances de RCP', meetingsOfUser, now);
}
