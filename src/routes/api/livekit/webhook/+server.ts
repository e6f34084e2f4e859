import { json } from '@sveltejs/kit';
import { receiveLivekitWebhook } from '$lib/server/livekit/webhooks';
import type { RequestHandler } from './$types';

/** LiveKit's webhooks: the signature covers the raw body, so it is read as text, untouched. */
export const POST: RequestHandler = async ({ request }) => {
	const outcome = await receiveLivekitWebhook(
		await request.text(),
		request.headers.get('authorization')
	);
	return json({ message: outcome.message }, { status: outcome.status });
};
