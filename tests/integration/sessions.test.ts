import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	createSession,
	invalidateUserSessions,
	validateSessionToken
} from '$lib/server/auth/session';
import { sessions } from '$lib/server/db/schema';
import { createUser, setUserDisabled } from '$lib/server/users';
import { migratedDb } from '../support/db';

const db = migratedDb();
const audit = { actorType: 'system' as const, actorId: null, ip: null };
let userId: string;
const meta = { ip: '127.0.0.1', userAgent: 'vitest' };
const t0 = new Date('2026-12-01T08:00:00Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

beforeAll(async () => {
	const result = await createUser(
		{
			email: 'session@test.fr',
			title: 'Dr',
			firstName: 'Session',
			lastName: 'Test',
			rpps: null,
			specialty: 'radiology',
			sector: 'establishment',
			establishmentId: null,
			mssanteAddress: null,
			isAdmin: false
		},
		'un-mot-de-passe-long',
		audit
	);
	if (!result.ok) throw new Error(result.message);
	userId = result.id;
});

describe('sessions stored in SQLite', () => {
	it('stores only the SHA-256 of the secret, never the token', () => {
		const { token, session } = createSession(userId, meta, t0);
		const [id, secret] = token.split('.');
		expect(id).toHaveLength(32);
		expect(secret).toHaveLength(32);
		const row = db.select().from(sessions).where(eq(sessions.id, session.id)).get()!;
		expect(row.secretHash).toHaveLength(32);
		expect(Buffer.from(row.secretHash).toString('utf8')).not.toContain(secret!);
	});

	it('refuses a token with the right id and a wrong secret', () => {
		const { token } = createSession(userId, meta, t0);
		const [id] = token.split('.');
		expect(validateSessionToken(`${id}.${'b'.repeat(32)}`, at(1))).toBeNull();
		expect(validateSessionToken(`${id}`, at(1))).toBeNull();
		expect(validateSessionToken(`${token}.extra`, at(1))).toBeNull();
	});

	it('expires after 30 idle minutes and is deleted', () => {
		const { token, session } = createSession(userId, meta, t0);
		expect(validateSessionToken(token, at(29))).not.toBeNull();
		// Activity at 29 min renewed it: idle counts from there.
		expect(validateSessionToken(token, at(29 + 29))).not.toBeNull();
		expect(validateSessionToken(token, at(29 + 29 + 31))).toBeNull();
		expect(db.select().from(sessions).where(eq(sessions.id, session.id)).get()).toBeUndefined();
	});

	it('expires 12 hours after login even with constant activity', () => {
		const { token } = createSession(userId, meta, t0);
		let minute = 0;
		while (minute < 11 * 60 + 59) {
			minute += 10;
			if (minute > 11 * 60 + 59) break;
			expect(validateSessionToken(token, at(minute)), `minute ${minute}`).not.toBeNull();
		}
		expect(validateSessionToken(token, at(11 * 60 + 59))).not.toBeNull();
		expect(validateSessionToken(token, at(12 * 60 + 1))).toBeNull();
	});

	it('renews last-seen at most once a minute', () => {
		const { token, session } = createSession(userId, meta, t0);
		validateSessionToken(token, new Date(t0.getTime() + 30_000));
		const after30s = db.select().from(sessions).where(eq(sessions.id, session.id)).get()!;
		expect(after30s.lastSeenAt.getTime()).toBe(t0.getTime());
		validateSessionToken(token, at(2));
		const after2m = db.select().from(sessions).where(eq(sessions.id, session.id)).get()!;
		expect(after2m.lastSeenAt.getTime()).toBe(at(2).getTime());
	});

	it('ends every session of the user on logout everywhere and on disable', () => {
		const a = createSession(userId, meta, t0);
		const b = createSession(userId, meta, t0);
		invalidateUserSessions(userId);
		expect(validateSessionToken(a.token, at(1))).toBeNull();
		expect(validateSessionToken(b.token, at(1))).toBeNull();
		const c = createSession(userId, meta, t0);
		setUserDisabled(userId, true, audit);
		expect(validateSessionToken(c.token, at(1))).toBeNull();
		expect(db.select().from(sessions).where(eq(sessions.userId, userId)).all()).toEqual([]);
		setUserDisabled(userId, false, audit);
	});
});
