import { resolveLiveGuest } from '$lib/server/live/guest';
import { serveMeetingDocument } from '$lib/server/live/documents';
import type { RequestHandler } from './$types';

/** A document of the guest's own case, shown in the room page; other cases are refused. */
export const GET: RequestHandler = async ({ params, getClientAddress }) => {
	const guest = await resolveLiveGuest(params.token, getClientAddress());
	if (!guest.ok) return new Response(guest.message, { status: guest.status });
	return serveMeetingDocument(guest.meeting.id, params.documentId, guest.actor, guest.audit);
};
