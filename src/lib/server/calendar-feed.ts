// Each user's personal calendar feed (signed URL, reset, iCalendar rendering).
import { eq } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { buildCalendarFeed } from './calendar';
import { getPublicOrigin } from './config';
import { getDb, queryOne, transaction } from './db';
import { memberships, users } from './db/schema';
import { listUserCalendar, MATERIALIZE_DAYS } from './meetings';
import { signPayload, verifyPayload } from './signing';

/** The secret part of the feed address; resetting bumps the version and kills old addresses. */
function feedSignature(userId: string, version: number): Promise<string> {
	return signPayload(`feed:${userId}:${version}`);
}

export async function buildCalendarFeedUrl(user: {
	id: string;
	calendarFeedVersion: number;
}): Promise<string> {
	return `${getPublicOrigin()}/api/calendar/${user.id}.${await feedSignature(user.id, user.calendarFeedVersion)}.ics`;
}

export async function getCalendarFeedUrl(userId: string): Promise<string | null> {
	const user = await queryOne(getDb().select().from(users).where(eq(users.id, userId)));
	return user ? buildCalendarFeedUrl(user) : null;
}

/** A new secret address; subscriptions to the old one stop at their next refresh. */
export async function resetCalendarFeed(userId: string, audit: AuditContext): Promise<string> {
	return transaction(getDb(), async (tx): Promise<string> => {
		const user = (await queryOne(tx.select().from(users).where(eq(users.id, userId))))!;
		const version = user.calendarFeedVersion + 1;
		await tx.update(users).set({ calendarFeedVersion: version }).where(eq(users.id, userId));
		await recordAudit(
			audit,
			{ action: 'calendar.feed_reset', objectType: 'user', objectId: userId },
			tx
		);
		return buildCalendarFeedUrl({ id: userId, calendarFeedVersion: version });
	});
}

/** How far back and ahead the feed reaches. */
const FEED_PAST_DAYS = 92;
const FEED_AHEAD_DAYS = MATERIALIZE_DAYS;

/**
 * The iCalendar text of a feed address (`<userId>.<signature>.ics`), or null when the address
 * is unknown, reset or its account disabled. It lists meetings only, never patient data.
 */
export async function renderCalendarFeed(
	address: string,
	now: Date = new Date()
): Promise<string | null> {
	const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,100})\.ics$/i.exec(address);
	if (!match) return null;
	const [, userId, signature] = match as unknown as [string, string, string];
	const user = await queryOne(getDb().select().from(users).where(eq(users.id, userId)));
	if (!user || user.disabledAt) return null;
	if (!(await verifyPayload(`feed:${user.id}:${user.calendarFeedVersion}`, signature))) return null;
	const pathwayIds = [
		...new Set(
			(
				await getDb()
					.select({ pathwayId: memberships.pathwayId })
					.from(memberships)
					.where(eq(memberships.userId, user.id))
			).map((m) => m.pathwayId)
		)
	];
	const meetingsOfUser = await listUserCalendar(
		user.id,
		pathwayIds,
		new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000),
		new Date(now.getTime() + FEED_AHEAD_DAYS * 86_400_000)
	);
	return buildCalendarFeed('Pluri — mes séances de RCP', meetingsOfUser, now);
}
