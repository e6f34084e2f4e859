import type { Cookies } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkPasswordPolicy, passwordMessages } from '$lib/domain/password-policy';
import { attemptLogin, checkCurrentPassword } from '$lib/server/auth/login';
import { LoginThrottle } from '$lib/server/auth/rate-limit';
import { DEMO_PASSWORD, seedDemoNetwork } from '$lib/server/demo/network';
import { auditEvents, loginThrottleCounters, users } from '$lib/server/db/schema';
import { createUser, getUser, setUserDisabled, setUserPassword } from '$lib/server/users';
import { migratedDb, queryOne } from '../support/db';

const db = await migratedDb();
const system = { actorType: 'system' as const, actorId: null, ip: null };

/** A cookie jar with the subset of SvelteKit's Cookies that login uses. */
function jar(): Cookies {
	const values = new Map<string, string>();
	return {
		get: (name: string) => values.get(name),
		set: (name: string, value: string) => void values.set(name, value),
		delete: (name: string) => void values.delete(name)
	} as unknown as Cookies;
}

const userInput = (email: string, firstName = 'A', lastName = 'B') => ({
	email,
	title: 'Dr' as const,
	firstName,
	lastName,
	rpps: null,
	specialty: 'radiology',
	sector: 'establishment' as const,
	establishmentId: null,
	mssanteAddress: null,
	isAdmin: false
});

async function makeUser(email: string): Promise<string> {
	const result = await createUser(
		{
			email,
			title: 'Dr',
			firstName: 'A',
			lastName: 'B',
			rpps: null,
			specialty: 'radiology',
			sector: 'establishment',
			establishmentId: null,
			mssanteAddress: null,
			isAdmin: false
		},
		'le-bon-mot-de-passe',
		system
	);
	if (!result.ok) throw new Error(result.message);
	return result.id;
}

let victimId: string;
beforeAll(async () => {
	victimId = await makeUser('victime@demo.fr');
	await makeUser('autre@demo.fr');
});

async function lastAudit() {
	return (await db.select().from(auditEvents)).at(-1)!;
}

describe('login', () => {
	it('logs in with the right password and audits it', async () => {
		const result = await attemptLogin(
			'Victime@Demo.fr',
			'le-bon-mot-de-passe',
			'10.0.0.1',
			jar(),
			false
		);
		expect(result).toEqual({ ok: true, userId: victimId });
		expect(await lastAudit()).toMatchObject({
			action: 'login.success',
			actorId: victimId,
			ip: '10.0.0.1'
		});
	});

	it('gives the same French message for an unknown account and a wrong password', async () => {
		const unknown = await attemptLogin('personne@demo.fr', 'x', '10.0.0.2', jar(), false);
		const wrong = await attemptLogin('autre@demo.fr', 'x', '10.0.0.2', jar(), false);
		expect(unknown).toEqual({
			ok: false,
			message: 'Adresse électronique ou mot de passe incorrect.'
		});
		expect(wrong).toEqual(unknown);
		expect(await lastAudit()).toMatchObject({ action: 'login.failure', objectType: 'user' });
	});

	it('throttles one account from one address, not the owner from elsewhere', async () => {
		for (let i = 0; i < 5; i++)
			await attemptLogin('victime@demo.fr', 'faux', '6.6.6.6', jar(), false);
		const blocked = await attemptLogin(
			'victime@demo.fr',
			'le-bon-mot-de-passe',
			'6.6.6.6',
			jar(),
			false
		);
		expect(blocked.ok).toBe(false);
		if (!blocked.ok)
			expect(blocked.message).toMatch(
				/^Trop de tentatives de connexion\. Réessayez dans 1 minute \(à partir de \d\d h \d\d\)\.$/
			);
		expect(await lastAudit()).toMatchObject({ action: 'login.throttled' });
		const owner = await attemptLogin(
			'victime@demo.fr',
			'le-bon-mot-de-passe',
			'10.0.0.9',
			jar(),
			false
		);
		expect(owner.ok).toBe(true);
	});

	it('keeps the lock in the database, for a restart or another instance', async () => {
		const pair = await queryOne(
			db
				.select()
				.from(loginThrottleCounters)
				.where(eq(loginThrottleCounters.key, 'pair:victime@demo.fr|6.6.6.6'))
		);
		expect(pair).toMatchObject({ scope: 'pair', failures: 5 });
		// A new throttle, as a restarted or second app instance would have, sees the same lock.
		expect(await new LoginThrottle().reserve('victime@demo.fr', '6.6.6.6', false)).toMatchObject({
			allowed: false,
			scope: 'pair'
		});
	});

	it('says the same thing for a throttled unknown account as for a real one', async () => {
		for (let i = 0; i < 5; i++) {
			await attemptLogin('personne-2@demo.fr', 'faux', '6.6.6.7', jar(), false);
			await attemptLogin('autre@demo.fr', 'faux', '6.6.6.7', jar(), false);
		}
		const unknown = await attemptLogin('personne-2@demo.fr', 'x', '6.6.6.7', jar(), false);
		const known = await attemptLogin('autre@demo.fr', 'x', '6.6.6.7', jar(), false);
		expect(unknown.ok).toBe(false);
		expect(known).toEqual(unknown);
	});

	it('lets every other account in from an address that failed a lot (hospital NAT)', async () => {
		const nat = '172.16.0.1';
		for (let i = 0; i < 60; i++)
			await attemptLogin(`absent${i % 30}@demo.fr`, 'faux', nat, jar(), false);
		const result = await attemptLogin('autre@demo.fr', 'le-bon-mot-de-passe', nat, jar(), false);
		expect(result.ok).toBe(true);
	});

	it('keeps the owner’s trusted browser working during a distributed attack', async () => {
		const ownerBrowser = jar();
		expect(
			(await attemptLogin('autre@demo.fr', 'le-bon-mot-de-passe', '10.1.1.1', ownerBrowser, false))
				.ok
		).toBe(true);
		for (let i = 0; i < 25; i++)
			await attemptLogin('autre@demo.fr', 'faux', `7.7.${i}.1`, jar(), false);
		const stranger = await attemptLogin(
			'autre@demo.fr',
			'le-bon-mot-de-passe',
			'8.8.8.8',
			jar(),
			false
		);
		expect(stranger.ok).toBe(false);
		const owner = await attemptLogin(
			'autre@demo.fr',
			'le-bon-mot-de-passe',
			'10.1.1.2',
			ownerBrowser,
			false
		);
		expect(owner.ok).toBe(true);
	});

	it('refuses a disabled account with its own message', async () => {
		await setUserDisabled(victimId, true, system);
		const result = await attemptLogin(
			'victime@demo.fr',
			'le-bon-mot-de-passe',
			'10.0.0.3',
			jar(),
			false
		);
		expect(result).toEqual({
			ok: false,
			message: 'Ce compte est désactivé. Contactez l’administrateur de Pluri.'
		});
		await setUserDisabled(victimId, false, system);
	});
});

describe('password changes', () => {
	it('refuses a common or personal password wherever one is set', async () => {
		const common = await createUser(userInput('courant@demo.fr'), 'qwerty123456', system);
		expect(common).toEqual({ ok: false, field: 'password', message: passwordMessages.common });
		const named = await createUser(
			userInput('j.lefevre@demo.fr', 'Jérôme', 'Lefèvre'),
			'lefevre-cardio-2026',
			system
		);
		expect(named).toEqual({ ok: false, field: 'password', message: passwordMessages.personal });
		const reset = await setUserPassword(victimId, 'victime-de-la-saone', system);
		expect(reset).toEqual({ ok: false, field: 'password', message: passwordMessages.personal });
		expect((await getUser(victimId))?.mustChangePassword).toBe(false);
	});

	it('flags an administrator’s reset for a change at the next login', async () => {
		const reset = await setUserPassword(victimId, 'une-phrase-de-reinitialisation', system);
		expect(reset.ok).toBe(true);
		expect((await getUser(victimId))?.mustChangePassword).toBe(true);
		expect(await lastAudit()).toMatchObject({ action: 'user.password_reset', objectId: victimId });
		const login = await attemptLogin(
			'victime@demo.fr',
			'une-phrase-de-reinitialisation',
			'10.0.0.20',
			jar(),
			false
		);
		expect(login.ok).toBe(true);
	});

	it('throttles guesses of the current password from a session', async () => {
		const account = (await getUser(victimId))!;
		for (let i = 0; i < 5; i++) {
			const wrong = await checkCurrentPassword(account, 'faux', '10.0.0.30');
			expect(wrong).toEqual({
				ok: false,
				message: 'Le mot de passe actuel est incorrect.',
				throttled: false
			});
		}
		const locked = await checkCurrentPassword(
			account,
			'une-phrase-de-reinitialisation',
			'10.0.0.30'
		);
		expect(locked).toMatchObject({ ok: false, throttled: true });
		expect(
			await checkCurrentPassword(account, 'une-phrase-de-reinitialisation', '10.0.0.31')
		).toEqual({ ok: true });
	});
});

describe('demo network', () => {
	it('keeps the demo password valid for every demo account and logs in with it', async () => {
		await seedDemoNetwork();
		const demo = (await db.select().from(users)).filter((u) => u.email.endsWith('@demo.pluri.fr'));
		expect(demo.length).toBeGreaterThan(5);
		for (const u of demo) expect(checkPasswordPolicy(DEMO_PASSWORD, u), u.email).toBeNull();
		const result = await attemptLogin(demo[0]!.email, DEMO_PASSWORD, '10.0.0.40', jar(), false);
		expect(result.ok).toBe(true);
	});
});
