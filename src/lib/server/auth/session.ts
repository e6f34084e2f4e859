import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Cookies } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { evaluateSession, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '$lib/domain/session-policy';
import { getDb, queryOne } from '../db';
import { sessions, users } from '../db/schema';

export const SESSION_COOKIE = 'pluri_session';

type UserRow = typeof users.$inferSelect;
export interface SessionRecord {
	id: string;
	userId: string;
	createdAt: Date;
	lastSeenAt: Date;
	expiresAt: Date;
}

function randomPart(): string {
	// 20 bytes = 160 bits of entropy per part.
	return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(20)));
}

function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

export async function createSession(
	userId: string,
	meta: { ip: string | null; userAgent: string | null },
	now: Date = new Date()
): Promise<{ token: string; session: SessionRecord }> {
	const id = randomPart();
	const secret = randomPart();
	await getDb()
		.insert(sessions)
		.values({
			id,
			secretHash: Buffer.from(hashSecret(secret)),
			userId,
			createdAt: now,
			lastSeenAt: now,
			ip: meta.ip,
			userAgent: meta.userAgent?.slice(0, 300) ?? null
		});
	const expiresAt = new Date(now.getTime() + SESSION_IDLE_MS);
	return {
		token: `${id}.${secret}`,
		session: { id, userId, createdAt: now, lastSeenAt: now, expiresAt }
	};
}

/**
 * Resolves a cookie token to its session and user, enforcing the idle and absolute limits.
 * Returns null (and deletes the row when it has expired) for anything that does not hold.
 */
export async function validateSessionToken(
	token: string,
	now: Date = new Date()
): Promise<{ session: SessionRecord; user: UserRow } | null> {
	const [id, secret, extra] = token.split('.');
	if (!id || !secret || extra !== undefined) return null;
	const db = getDb();
	const row = await queryOne(
		db
			.select({ session: sessions, user: users })
			.from(sessions)
			.innerJoin(users, eq(users.id, sessions.userId))
			.where(eq(sessions.id, id))
	);
	if (!row) return null;
	const given = hashSecret(secret);
	const stored = new Uint8Array(row.session.secretHash);
	if (given.length !== stored.length || !constantTimeEqual(given, stored)) return null;
	if (row.user.disabledAt) {
		await invalidateUserSessions(row.user.id);
		return null;
	}
	const verdict = evaluateSession(row.session, now);
	if (!verdict.valid) {
		await db.delete(sessions).where(eq(sessions.id, id));
		return null;
	}
	let lastSeenAt = row.session.lastSeenAt;
	if (verdict.renew) {
		lastSeenAt = now;
		await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, id));
	}
	return {
		session: {
			id,
			userId: row.user.id,
			createdAt: row.session.createdAt,
			lastSeenAt,
			expiresAt: verdict.expiresAt
		},
		user: row.user
	};
}

export async function invalidateSession(sessionId: string): Promise<void> {
	await getDb().delete(sessions).where(eq(sessions.id, sessionId));
}

export async function invalidateUserSessions(userId: string): Promise<void> {
	await getDb().delete(sessions).where(eq(sessions.userId, userId));
}

export function setSessionCookie(
	cookies: Cookies,
	token: string,
	expiresAt: Date,
	secure: boolean
): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		expires: expiresAt
	});
}

export function deleteSessionCookie(cookies: Cookies, secure: boolean): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

export { SESSION_ABSOLUTE_MS };
