import { canFollowLiveMeeting } from '$lib/server/auth/access';
import { serveMeetingDocument } from '$lib/server/live/documents';
import { getMeetingRef } from '$lib/server/meetings';
import type { RequestHandler } from './$types';

/** A document of a case on the agenda, displayed in the meeting room. */
export const GET: RequestHandler = async ({ params, locals }) => {
	if (!locals.user) return new Response('Reconnectez-vous.', { status: 401 });
	const found = await getMeetingRef(params.meetingId);
	if (!found) return new Response('Cette séance n’existe pas.', { status: 404 });
	if (!canFollowLiveMeeting(locals.actor, found.ref)) {
		return new Response('Vous n’êtes pas invité(e) à cette séance.', { status: 403 });
	}
	return serveMeetingDocument(found.meeting.id, params.documentId, locals.actor, locals.audit);
};
