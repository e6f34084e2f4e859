import { requireUser } from '$lib/server/guard';
import { getUser } from '$lib/server/users';
import { changePasswordFromForm } from './password-change.server';
import type { Actions, PageServerLoad } from './$types';
import { getCalendarFeedUrl, resetCalendarFeed } from '$lib/server/calendar-feed';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	return {
		feedUrl: await getCalendarFeedUrl(user.id),
		hasPassword: !!(await getUser(user.id))?.passwordHash,
		passwordChanged: url.searchParams.has('passwordChanged')
	};
};

export const actions: Actions = {
	reset: async ({ locals, url }) => {
		const user = requireUser(locals, url);
		await resetCalendarFeed(user.id, locals.audit);
		return {
			success:
				'Une nouvelle adresse a été créée ; l’ancienne ne fonctionne plus. Abonnez-vous de nouveau avec l’adresse ci-dessous.'
		};
	},
	password: (event) => changePasswordFromForm(event)
};
