import { error } from '@sveltejs/kit';
import { resolveLiveGuest } from '$lib/server/live/guest';
import { readLiveView } from '$lib/server/live/stream';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, getClientAddress }) => {
	const guest = resolveLiveGuest(params.token, getClientAddress());
	if (!guest.ok) error(guest.status, guest.message);
	const view = readLiveView(guest.meeting.id, guest.actor, guest.audit);
	if (!view) error(403, 'Ce lien ne donne pas accès à cette séance.');
	return { view, guestName: guest.invitation.guestName };
};
