import { error, redirect } from '@sveltejs/kit';
import type { SessionUser } from './users';

/** The logged-in user, or a redirect to the login page that comes back here afterwards. */
export function requireUser(locals: App.Locals, url: URL): SessionUser {
	if (!locals.user) {
		const back = url.pathname + url.search;
		const expired = locals.sessionExpired ? '&expired=1' : '';
		redirect(303, `/login?redirectTo=${encodeURIComponent(back)}${expired}`);
	}
	return locals.user;
}

export function forbid(message = 'Vous n’avez pas accès à cette page.'): never {
	error(403, message);
}

/** Throws a 403 unless the policy allowed it. */
export function ensure(allowed: boolean, message?: string): void {
	if (!allowed) forbid(message);
}

export function notFound(message = 'Cette page n’existe pas ou n’existe plus.'): never {
	error(404, message);
}
