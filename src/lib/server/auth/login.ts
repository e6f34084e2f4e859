import type { Cookies } from '@sveltejs/kit';
import { recordAudit } from '../audit';
import { signPayload, verifyPayload } from '../signing';
import { findUserByEmail, normalizeEmail } from '../users';
import { verifyDecoy, verifyPassword } from './password';
import { loginThrottle, throttledMessage } from './rate-limit';

const DEVICE_COOKIE = 'pluri_device';
const GENERIC_FAILURE = 'Adresse électronique ou mot de passe incorrect.';

export type LoginResult = { ok: true; userId: string } | { ok: false; message: string };

async function trustedDeviceFor(cookies: Cookies, email: string): Promise<boolean> {
	const value = cookies.get(DEVICE_COOKIE);
	if (!value) return false;
	const [who, sig] = value.split('~');
	return who === email && !!sig && (await verifyPayload(`device:${who}`, sig));
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Checks throttling, then the password; every outcome is audited. */
export async function attemptLogin(
	emailInput: string,
	password: string,
	ip: string,
	cookies: Cookies,
	secure: boolean
): Promise<LoginResult> {
	const email = normalizeEmail(emailInput);
	const trusted = await trustedDeviceFor(cookies, email);
	const verdict = await loginThrottle.reserve(email, ip, trusted);
	const ctx = { actorType: 'anonymous' as const, actorId: null, ip };
	if (!verdict.allowed) {
		await recordAudit(ctx, {
			action: 'login.throttled',
			detail: { email, scope: verdict.scope, retryAfterMs: verdict.retryAfterMs }
		});
		return { ok: false, message: throttledMessage(verdict.retryAfterMs) };
	}
	// An address with many recent failures is slowed down, never refused (hospital NAT).
	if (verdict.slowdownMs > 0) await pause(verdict.slowdownMs);
	const user = await findUserByEmail(email);
	const valid = user?.passwordHash
		? await verifyPassword(user.passwordHash, password)
		: (await verifyDecoy(password), false);
	if (!user || !valid) {
		await loginThrottle.settle(email, ip, trusted, false);
		await recordAudit(ctx, {
			action: 'login.failure',
			objectType: user ? 'user' : null,
			objectId: user?.id ?? null,
			detail: { email, reason: user ? 'password' : 'unknown_account' }
		});
		return { ok: false, message: GENERIC_FAILURE };
	}
	if (user.disabledAt) {
		await loginThrottle.settle(email, ip, trusted, false);
		await recordAudit(ctx, {
			action: 'login.failure',
			objectType: 'user',
			objectId: user.id,
			detail: { email, reason: 'disabled' }
		});
		return { ok: false, message: 'Ce compte est désactivé. Contactez l’administrateur de Pluri.' };
	}
	await loginThrottle.settle(email, ip, trusted, true);
	await recordAudit(
		{ actorType: 'user', actorId: user.id, ip },
		{ action: 'login.success', objectType: 'user', objectId: user.id }
	);
	cookies.set(DEVICE_COOKIE, `${email}~${await signPayload(`device:${email}`)}`, {
		path: '/login',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		maxAge: 60 * 60 * 24 * 180
	});
	return { ok: true, userId: user.id };
}

/**
 * Checks the current password of a logged-in account before it changes it, under the same
 * per-(account, address) counter as the login form: a stolen session cannot guess it either.
 */
export async function checkCurrentPassword(
	user: { id: string; email: string; passwordHash: string | null },
	password: string,
	ip: string
): Promise<{ ok: true } | { ok: false; message: string; throttled: boolean }> {
	const email = normalizeEmail(user.email);
	const verdict = await loginThrottle.reserve(email, ip, true);
	if (!verdict.allowed)
		return { ok: false, message: throttledMessage(verdict.retryAfterMs), throttled: true };
	if (verdict.slowdownMs > 0) await pause(verdict.slowdownMs);
	const valid = user.passwordHash ? await verifyPassword(user.passwordHash, password) : false;
	await loginThrottle.settle(email, ip, true, valid);
	return valid
		? { ok: true }
		: { ok: false, message: 'Le mot de passe actuel est incorrect.', throttled: false };
}
