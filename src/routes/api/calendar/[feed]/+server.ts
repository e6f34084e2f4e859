import type { RequestHandler } from './$types';
import { renderCalendarFeed } from '$lib/server/calendar-feed';

/** The personal .ics feed: the secret address is the only credential (calendar clients have no login). */
export const GET: RequestHandler = async ({ params }) => {
	const body = await renderCalendarFeed(params.feed);
	if (body === null) {
		return new Response('Adresse d’abonnement inconnue ou réinitialisée.', {
			status: 404,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': 'inline; filename="pluri.ics"',
			'cache-control': 'private, no-store'
		}
	});
};
