import { json } from '@sveltejs/kit';
import { canFollowLiveMeeting } from '$lib/server/auth/access';
import { isInvitationLive, resolveLiveGuest } from '$lib/server/live/guest';
import { openLiveStream } from '$lib/server/live/stream';
import type { RequestHandler } from './$types';

/** The live meeting as the guest may see it (their case only), as Server-Sent Events. */
export const GET: RequestHandler = async ({ params, request, getClientAddress }) => {
	const guest = await resolveLiveGuest(params.token, getClientAddress());
	if (!guest.ok) return json({ message: guest.message }, { status: guest.status });
	if (!canFollowLiveMeeting(guest.actor, guest.ref)) {
		return json({ message: 'Ce lien ne donne pas accès à cette séance.' }, { status: 403 });
	}
	const { actor, invitation } = guest;
	const stream = openLiveStream(
		guest.meeting.id,
		{
			actor: async () => ((await isInvitationLive(invitation.id)) ? actor : null),
			audit: guest.audit
		},
		request.signal
	);
	return new Response(stream, {
		headers: {
			'content-type': 'text/event-stream; charset=utf-8',
			'cache-control': 'no-store',
			connection: 'keep-alive',
			'x-accel-buffering': 'no'
		}
	});
};
