import { redirect } from '@sveltejs/kit';
import { eq } from 'drizzle-orm';
import { recordAudit } from '$lib/server/audit';
import { finishOidcLogin, getOidcSettings } from '$lib/server/auth/oidc';
import { createSession, setSessionCookie } from '$lib/server/auth/session';
import { isSecureOrigin } from '$lib/server/config';
import { getDb, queryOne } from '$lib/server/db';
import { users } from '$lib/server/db/schema';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, cookies, getClientAddress, request }) => {
	const settings = getOidcSettings();
	if (!settings) redirect(303, '/login');
	const ip = getClientAddress();
	const anonymous = { actorType: 'anonymous' as const, actorId: null, ip };
	const outcome = await finishOidcLogin(settings, cookies, url);
	if (!outcome.ok) {
		await recordAudit(anonymous, {
			action: 'login.failure',
			detail: { method: 'oidc', reason: outcome.reason, detail: outcome.detail }
		});
		redirect(303, `/login?oidcError=${outcome.reason}`);
	}
	const user = await queryOne(getDb().select().from(users).where(eq(users.rpps, outcome.rpps)));
	if (!user || user.disabledAt) {
		await recordAudit(anonymous, {
			action: 'login.failure',
			objectType: user ? 'user' : null,
			objectId: user?.id ?? null,
			detail: { method: 'oidc', rpps: outcome.rpps, reason: user ? 'disabled' : 'unknown_rpps' }
		});
		redirect(303, `/login?oidcError=${user ? 'disabled' : 'unknown'}`);
	}
	if (user.oidcSubject !== outcome.subject) {
		await getDb().update(users).set({ oidcSubject: outcome.subject }).where(eq(users.id, user.id));
	}
	await recordAudit(
		{ actorType: 'user', actorId: user.id, ip },
		{ action: 'login.success', objectType: 'user', objectId: user.id, detail: { method: 'oidc' } }
	);
	const { token, session } = await createSession(user.id, {
		ip,
		userAgent: request.headers.get('user-agent')
	});
	setSessionCookie(cookies, token, session.expiresAt, isSecureOrigin(url));
	redirect(303, outcome.redirectTo);
};
