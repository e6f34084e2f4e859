import { redirect } from '@sveltejs/kit';
import { recordAudit } from '$lib/server/audit';
import { deleteSessionCookie, invalidateUserSessions } from '$lib/server/auth/session';
import { isSecureOrigin } from '$lib/server/config';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/');

// public: logging out must work whatever the session's state (expired, already gone); it only
// ever ends the caller's own sessions and cookie, and is declared open in route-policy.ts.
export const actions: Actions = {
	/** Logging out ends every session of the account (shared workstations are the norm). */
	default: async ({ locals, cookies, url }) => {
		if (locals.user) {
			await invalidateUserSessions(locals.user.id);
			await recordAudit(locals.audit, {
				action: 'logout',
				objectType: 'user',
				objectId: locals.user.id
			});
		}
		deleteSessionCookie(cookies, isSecureOrigin(url));
		redirect(303, '/login');
	}
};
