import type { Cookies } from '@sveltejs/kit';
import { beforeAll, describe, expect, it } from 'vitest';
import { attemptLogin } from '$lib/server/auth/login';
import { auditEvents } from '$lib/server/db/schema';
import { createUser, setUserDisabled } from '$lib/server/users';
import { migratedDb } from '../support/db';

const db = migratedDb();
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

function lastAudit() {
	return db.select().from(auditEvents).all().at(-1)!;
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
		expect(lastAudit()).toMatchObject({
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
		expect(lastAudit()).toMatchObject({ action: 'login.failure', objectType: 'user' });
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
			expect(blocked.message).toMatch(/Trop de tentatives.*Réessayez dans \d+ minute/);
		expect(lastAudit()).toMatchObject({ action: 'login.throttled' });
		const owner = await attemptLogin(
			'victime@demo.fr',
			'le-bon-mot-de-passe',
			'10.0.0.9',
			jar(),
			false
		);
		expect(owner.ok).toBe(true);
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
		setUserDisabled(victimId, true, system);
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
		setUserDisabled(victimId, false, system);
	});
});
