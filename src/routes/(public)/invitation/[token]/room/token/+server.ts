import { json } from '@sveltejs/kit';
import { resolveLiveGuest } from '$lib/server/live/guest';
import { checkVideoAccess, issueGuestVideoToken } from '$lib/server/live/video';
import type { RequestHandler } from './$types';

/**
 * The guest's video token, only while their patient's case is the one being discussed. JSON
 * only: a cross-site form can never ask for it.
 */
export const POST: RequestHandler = async ({ params, request, getClientAddress }) => {
	const type = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
	if (type !== 'application/json') {
		return json({ message: 'Type de contenu refusé.' }, { status: 415 });
	}
	const guest = await resolveLiveGuest(params.token, getClientAddress());
	if (!guest.ok) return json({ message: guest.message }, { status: guest.status });
	const refusal = checkVideoAccess(guest.actor, guest.ref, guest.meeting.currentCaseId);
	if (refusal) return json({ message: refusal.message }, { status: refusal.status });
	const result = await issueGuestVideoToken(guest.meeting, guest.invitation, guest.audit);
	return result.ok
		? json(result.value, { headers: { 'cache-control': 'no-store' } })
		: json({ message: result.message }, { status: result.status });
};
