import { redirect } from '@sveltejs/kit';
import { getOidcSettings, startOidcLogin } from '$lib/server/auth/oidc';
import { isSecureOrigin } from '$lib/server/config';
import { safeRedirect } from '$lib/validation/auth';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = async ({ url, cookies }) => {
	const settings = getOidcSettings();
	if (!settings) redirect(303, '/login');
	let target: URL;
	try {
		const back = safeRedirect(url.searchParams.get('redirectTo'));
		target = await startOidcLogin(settings, cookies, back, isSecureOrigin(url));
	} catch (e) {
		console.error('OIDC discovery failed', e);
		redirect(303, '/login?oidcError=unreachable');
	}
	redirect(303, target.href);
};
