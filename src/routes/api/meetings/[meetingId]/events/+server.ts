import { json } from '@sveltejs/kit';
import { canFollowLiveMeeting } from '$lib/server/auth/access';
import { isSessionAlive, openLiveStream } from '$lib/server/live/stream';
import { getMeetingRef } from '$lib/server/meetings';
import type { RequestHandler } from './$types';

/** The live meeting's state for a logged-in participant, as Server-Sent Events. */
export const GET: RequestHandler = async ({ params, locals, request }) => {
	if (!locals.user) {
		return json({ message: 'Votre session a expiré : reconnectez-vous.' }, { status: 401 });
	}
	const found = await getMeetingRef(params.meetingId);
	if (!found) return json({ message: 'Cette séance n’existe pas.' }, { status: 404 });
	if (!canFollowLiveMeeting(locals.actor, found.ref)) {
		return json({ message: 'Vous n’êtes pas invité(e) à cette séance.' }, { status: 403 });
	}
	const actor = locals.actor;
	const sessionId = locals.session?.id ?? '';
	const stream = openLiveStream(
		found.meeting.id,
		// A logout or a disabled account ends the stream at the next change.
		{ actor: async () => ((await isSessionAlive(sessionId)) ? actor : null), audit: locals.audit },
		request.signal
	);
	return new Response(stream, { headers: sseHeaders });
};

const sseHeaders = {
	'content-type': 'text/event-stream; charset=utf-8',
	'cache-control': 'no-store',
	connection: 'keep-alive',
	'x-accel-buffering': 'no'
};
