import { json, redirect, type Handle } from '@sveltejs/kit';

/** Where an account whose password an administrator reset must go first. */
export const PASSWORD_CHANGE_PATH = '/account/password';

/** What stays reachable meanwhile: the change page itself, logging out, static assets. */
const allowedRoutes = new Set(['/(app)/account/password', '/(public)/logout']);

export function mayProceedWithoutChange(routeId: string | null, pathname: string): boolean {
	if (pathname.startsWith('/_app/')) return true;
	// No route: a static file or a 404, which shows nothing of the account.
	if (routeId === null) return true;
	return allowedRoutes.has(routeId);
}

/**
 * After an administrator's reset (`user.mustChangePassword`), every page, form action and data
 * request of the logged-in account leads to the password change page until the account has
 * chosen its own password. Machine endpoints get a 403 in JSON instead of a redirect. Placed
 * last in `hooks.server.ts`, after the session is read.
 */
export const forcePasswordChange: Handle = async ({ event, resolve }) => {
	const user = event.locals.user;
	if (!user?.mustChangePassword) return resolve(event);
	if (mayProceedWithoutChange(event.route.id, event.url.pathname)) return resolve(event);
	if (event.url.pathname.startsWith('/api/'))
		return json(
			{ message: 'Vous devez d’abord changer votre mot de passe.', location: PASSWORD_CHANGE_PATH },
			{ status: 403 }
		);
	// SvelteKit turns this into a 303, a JSON redirect for data requests and enhanced forms.
	redirect(303, PASSWORD_CHANGE_PATH);
};
