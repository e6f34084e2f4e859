import type { Cookies } from '@sveltejs/kit';
import { recordAudit } from '../audit';
import { signPayload, verifyPayload } from '../signing';
import { findUserByEmail, normalizeEmail } from '../users';
import { verifyDecoy, verifyPassword } from './password';
import { loginThrottle } from './rate-limit';

const DEVICE_COOKIE = 'pluri_device';
const GENERIC_FAILURE = 'Adresse électronique ou mot de passe incorrect.';

export type LoginResult = { ok: true; userId: string } | { ok: false; message: string };

function trustedDeviceFor(cookies: Cookies, email: string): boolean {
	const value = cookies.get(DEVICE_COOKIE);
	if (!value) return false;
	const [who, sig] = value.split('~');
	return who === email && !!sig && verifyPayload(`device:${who}`, sig);
}

function minutes(ms: number): number {
	return Math.max(1, Math.ceil(ms / 60_000));
}

/** Checks throttling, then the password; every outcome is audited. */
export async function attemptLogin(
	emailInput: string,
	password: string,
	ip: string,
	cookies: Cookies,
	secure: boolean
): Promise<LoginResult> {
	const email = normalizeEmail(emailInput);
	const trusted = trustedDeviceFor(cookies, email);
	const verdict = loginThrottle.check(email, ip, trusted);
	const ctx = { actorType: 'anonymous' as const, actorId: null, ip };
	if (!verdict.allowed) {
		recordAudit(ctx, { action: 'login.throttled', detail: { email, scope: verdict.scope } });
		return {
			ok: false,
			message: `Trop de tentatives de connexion. Réessayez dans ${minutes(verdict.retryAfterMs)} minute(s).`
		};
	}
	const user = findUserByEmail(email);
	const valid = user?.passwordHash
		? await verifyPassword(user.passwordHash, password)
		: (await verifyDecoy(password), false);
	if (!user || !valid) {
		loginThrottle.recordFailure(email, ip, trusted);
		recordAudit(ctx, {
			action: 'login.failure',
			objectType: user ? 'user' : null,
			objectId: user?.id ?? null,
			detail: { email, reason: user ? 'password' : 'unknown_account' }
		});
		return { ok: false, message: GENERIC_FAILURE };
	}
	if (user.disabledAt) {
		recordAudit(ctx, {
			action: 'login.failure',
			objectType: 'user',
			objectId: user.id,
			detail: { email, reason: 'disabled' }
		});
		return { ok: false, message: 'Ce compte est désactivé. Contactez l’administrateur de Pluri.' };
	}
	loginThrottle.recordSuccess(email, ip);
	recordAudit(
		{ actorType: 'user', actorId: user.id, ip },
		{ action: 'login.success', objectType: 'user', objectId: user.id }
	);
	cookies.set(DEVICE_COOKIE, `${email}~${signPayload(`device:${email}`)}`, {
		path: '/login',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		maxAge: 60 * 60 * 24 * 180
	});
	return { ok: true, userId: user.id };
}
