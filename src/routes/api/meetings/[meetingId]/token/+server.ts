import { json } from '@sveltejs/kit';
import { getMeetingRef } from '$lib/server/meetings';
import { checkVideoAccess, issueUserVideoToken } from '$lib/server/live/video';
import type { RequestHandler } from './$types';

/** A video token for the logged-in doctor, minted only after the access policy agreed. */
export const POST: RequestHandler = async ({ params, locals }) => {
	if (!locals.user) {
		return json({ message: 'Votre session a expiré : reconnectez-vous.' }, { status: 401 });
	}
	const found = await getMeetingRef(params.meetingId);
	if (!found) return json({ message: 'Cette séance n’existe pas.' }, { status: 404 });
	const refusal = checkVideoAccess(locals.actor, found.ref, found.meeting.currentCaseId);
	if (refusal) return json({ message: refusal.message }, { status: refusal.status });
	const result = await issueUserVideoToken(
		found.meeting,
		found.ref,
		locals.user,
		locals.actor,
		locals.audit
	);
	return result.ok
		? json(result.value, { headers: { 'cache-control': 'no-store' } })
		: json({ message: result.message }, { status: result.status });
};
