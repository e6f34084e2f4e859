import { notFound } from '$lib/server/guard';
import { clientIp } from '../decision/guest';
import type { RequestHandler } from './$types';
import { buildGuestCalendarForToken } from '$lib/server/guest-links';

/** The guest's slot for her calendar: the link itself is the credential (no account). */
export const GET: RequestHandler = async ({ params, getClientAddress }) => {
	const body = await buildGuestCalendarForToken(params.token, new Date(), {
		ip: clientIp(getClientAddress)
	});
	if (body === null) notFound('Ce lien d’invitation n’est pas valide ou a été retiré.');
	return new Response(body, {
		headers: {
			'content-type': 'text/calendar; charset=utf-8',
			'content-disposition': 'attachment; filename="seance-rcp.ics"',
			'cache-control': 'private, no-store',
			'x-robots-tag': 'noindex'
		}
	});
};
