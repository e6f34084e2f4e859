import { error, fail } from '@sveltejs/kit';
import { resolveLiveGuest } from '$lib/server/live/guest';
import { setOwnHand } from '$lib/server/live/hands';
import { readLiveView } from '$lib/server/live/stream';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, getClientAddress }) => {
	const guest = await resolveLiveGuest(params.token, getClientAddress());
	if (!guest.ok) error(guest.status, guest.message);
	const view = await readLiveView(guest.meeting.id, guest.actor, guest.audit);
	if (!view) error(403, 'Ce lien ne donne pas accès à cette séance.');
	return { view, guestName: guest.invitation.guestName };
};

// public: no account; the guest token is the credential, resolved and scoped to its case below
// (resolveLiveGuest: valid window, not revoked, the guest's case on screen).
export const actions: Actions = {
	/** « Lever la main »: the guest is in the room while her patient's case is discussed. */
	raiseHand: async ({ params, getClientAddress, request }) => {
		const guest = await resolveLiveGuest(params.token, getClientAddress());
		if (!guest.ok) error(guest.status, guest.message);
		const m = guest.meeting;
		if (m.status !== 'open' || m.currentCaseId !== guest.invitation.caseId) {
			return fail(409, {
				message: 'Vous pourrez lever la main pendant la discussion du dossier de votre patient.'
			});
		}
		const raised = (await request.formData()).get('raised');
		if (raised !== 'true' && raised !== 'false') {
			return fail(400, { message: 'Demande de parole inconnue.' });
		}
		const result = await setOwnHand(m.id, guest.actor, raised === 'true');
		if (!result.ok) return fail(409, { message: result.message });
		return { success: result.message };
	}
};
