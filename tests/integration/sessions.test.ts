import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	createSession,
	invalidateUserSessions,
	validateSessionToken
} from '$lib/server/auth/session';
import { auditEvents, sessions } from '$lib/server/db/schema';
import {
	changeOwnPassword,
	createUser,
	getUser,
	setUserDisabled,
	setUserPassword,
	toSessionUser
} from '$lib/server/users';
import { verifyPassword } from '$lib/server/auth/password';
import { migratedDb, queryOne } from '../support/db';

const db = await migratedDb();
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
	it('stores only the SHA-256 of the secret, never the token', async () => {
		const { token, session } = await createSession(userId, meta, t0);
		const [id, secret] = token.split('.');
		expect(id).toHaveLength(32);
		expect(secret).toHaveLength(32);
		const row = (await queryOne(db.select().from(sessions).where(eq(sessions.id, session.id))))!;
		expect(row.secretHash).toHaveLength(32);
		expect(Buffer.from(row.secretHash).toString('utf8')).not.toContain(secret!);
	});

	it('refuses a token with the right id and a wrong secret', async () => {
		const { token } = await createSession(userId, meta, t0);
		const [id] = token.split('.');
		expect(await validateSessionToken(`${id}.${'b'.repeat(32)}`, at(1))).toBeNull();
		expect(await validateSessionToken(`${id}`, at(1))).toBeNull();
		expect(await validateSessionToken(`${token}.extra`, at(1))).toBeNull();
	});

	it('expires after 30 idle minutes and is deleted', async () => {
		const { token, session } = await createSession(userId, meta, t0);
		expect(await validateSessionToken(token, at(29))).not.toBeNull();
		// Activity at 29 min renewed it: idle counts from there.
		expect(await validateSessionToken(token, at(29 + 29))).not.toBeNull();
		expect(await validateSessionToken(token, at(29 + 29 + 31))).toBeNull();
		expect(
			await queryOne(db.select().from(sessions).where(eq(sessions.id, session.id)))
		).toBeUndefined();
	});

	it('expires 12 hours after login even with constant activity', async () => {
		const { token } = await createSession(userId, meta, t0);
		let minute = 0;
		while (minute < 11 * 60 + 59) {
			minute += 10;
			if (minute > 11 * 60 + 59) break;
			expect(await validateSessionToken(token, at(minute)), `minute ${minute}`).not.toBeNull();
		}
		expect(await validateSessionToken(token, at(11 * 60 + 59))).not.toBeNull();
		expect(await validateSessionToken(token, at(12 * 60 + 1))).toBeNull();
	});

	it('renews last-seen at most once a minute', async () => {
		const { token, session } = await createSession(userId, meta, t0);
		await validateSessionToken(token, new Date(t0.getTime() + 30_000));
		const after30s = (await queryOne(
			db.select().from(sessions).where(eq(sessions.id, session.id))
		))!;
		expect(after30s.lastSeenAt.getTime()).toBe(t0.getTime());
		await validateSessionToken(token, at(2));
		const after2m = (await queryOne(
			db.select().from(sessions).where(eq(sessions.id, session.id))
		))!;
		expect(after2m.lastSeenAt.getTime()).toBe(at(2).getTime());
	});

	it('ends every session of the user on logout everywhere and on disable', async () => {
		const a = await createSession(userId, meta, t0);
		const b = await createSession(userId, meta, t0);
		await invalidateUserSessions(userId);
		expect(await validateSessionToken(a.token, at(1))).toBeNull();
		expect(await validateSessionToken(b.token, at(1))).toBeNull();
		const c = await createSession(userId, meta, t0);
		await setUserDisabled(userId, true, audit);
		expect(await validateSessionToken(c.token, at(1))).toBeNull();
		expect(await db.select().from(sessions).where(eq(sessions.userId, userId))).toEqual([]);
		await setUserDisabled(userId, false, audit);
	});

	it('ends every session and flags the account when an administrator resets the password', async () => {
		const a = await createSession(userId, meta);
		const result = await setUserPassword(userId, 'une-phrase-donnee-par-admin', audit);
		expect(result.ok).toBe(true);
		expect(await validateSessionToken(a.token)).toBeNull();
		expect((await toSessionUser((await getUser(userId))!)).mustChangePassword).toBe(true);
	});

	it('on an own change, closes the other sessions and renews the current one', async () => {
		const current = await createSession(userId, meta);
		const other = await createSession(userId, { ip: '10.9.9.9', userAgent: 'autre poste' });
		const actor = { actorType: 'user' as const, actorId: userId, ip: '127.0.0.1' };
		const result = await changeOwnPassword(userId, 'ma-propre-phrase-secrete', meta, actor);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(await validateSessionToken(other.token)).toBeNull();
		expect(await validateSessionToken(current.token)).toBeNull();
		expect((await validateSessionToken(result.token))?.user.id).toBe(userId);
		expect(await db.select().from(sessions).where(eq(sessions.userId, userId))).toHaveLength(1);
		const row = (await getUser(userId))!;
		expect(row.mustChangePassword).toBe(false);
		expect(await verifyPassword(row.passwordHash!, 'ma-propre-phrase-secrete')).toBe(true);
		expect((await db.select().from(auditEvents)).at(-1)).toMatchObject({
			action: 'user.password_change',
			actorId: userId,
			objectId: userId,
			detail: JSON.stringify({ forced: true })
		});
	});

	it('refuses to keep the same password, or one the policy refuses, and changes nothing', async () => {
		const before = await createSession(userId, meta);
		const same = await changeOwnPassword(userId, 'ma-propre-phrase-secrete', meta, audit);
		expect(same).toEqual({
			ok: false,
			field: 'password',
			message: 'Le nouveau mot de passe doit être différent du mot de passe actuel.'
		});
		const named = await changeOwnPassword(userId, 'session-du-mardi-soir', meta, audit);
		expect(named).toMatchObject({ ok: false, field: 'password' });
		expect(await validateSessionToken(before.token)).not.toBeNull();
	});
});
