import { requireUser } from '$lib/server/guard';
import { getCalendarFeedUrl, resetCalendarFeed } from '$lib/server/meetings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const user = requireUser(locals, url);
	return { feedUrl: getCalendarFeedUrl(user.id) };
};

export const actions: Actions = {
	reset: ({ locals, url }) => {
		const user = requireUser(locals, url);
		resetCalendarFeed(user.id, locals.audit);
		return {
			success:
				'Une nouvelle adresse a été créée ; l’ancienne ne fonctionne plus. Abonnez-vous de nouveau avec l’adresse ci-dessous.'
		};
	}
};
