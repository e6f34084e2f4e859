import { fail, redirect } from '@sveltejs/kit';
import { attemptLogin } from '$lib/server/auth/login';
import { createSession, setSessionCookie } from '$lib/server/auth/session';
import { isSecureOrigin } from '$lib/server/config';
import { loginSchema, safeRedirect } from '$lib/validation/auth';
import { parseForm } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const redirectTo = safeRedirect(url.searchParams.get('redirectTo'));
	if (locals.user) redirect(303, redirectTo);
	return { redirectTo, expired: url.searchParams.has('expired') };
};

export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, url }) => {
		const parsed = parseForm(loginSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const secure = isSecureOrigin(url);
		const ip = getClientAddress();
		const result = await attemptLogin(parsed.data.email, parsed.data.password, ip, cookies, secure);
		if (!result.ok) {
			return fail(400, { values: parsed.values, errors: { form: result.message } });
		}
		const { token, session } = createSession(result.userId, {
			ip,
			userAgent: request.headers.get('user-agent')
		});
		setSessionCookie(cookies, token, session.expiresAt, secure);
		redirect(303, safeRedirect(parsed.data.redirectTo));
	}
};
