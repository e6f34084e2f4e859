import { fail } from '@sveltejs/kit';
import { canManageMeeting } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { getMeetingOverview, getMeetingRef } from '$lib/server/meetings';
import { parseForm } from '$lib/validation/form';
import { cancelMeetingSchema } from '$lib/validation/meetings';
import type { Actions, PageServerLoad } from './$types';
import { cancelMeeting, countMeetingCases } from '$lib/server/meeting-planning';

async function loadMeeting(meetingId: string, actor: App.Locals['actor']) {
	const found = (await getMeetingRef(meetingId)) ?? notFound('Cette séance n’existe pas.');
	await ensure(
		canManageMeeting(actor, found.ref),
		'Seule la coordination de la filière annule les séances.'
	);
	return found.meeting;
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const meeting = await loadMeeting(params.meetingId, locals.actor);
	return {
		overview: await getMeetingOverview(meeting),
		cancellable: meeting.status === 'scheduled' && meeting.startsAt > new Date(),
		registeredCases: await countMeetingCases(meeting.id)
	};
};

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		const meeting = await loadMeeting(params.meetingId, locals.actor);
		const parsed = parseForm(cancelMeetingSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = await cancelMeeting(meeting.id, parsed.data.reason, locals.audit);
		if (!result.ok) return fail(400, { values: parsed.values, errors: { form: result.message } });
		const cases = result.casesToMove
			? ` ${result.casesToMove} dossier(s) inscrit(s) sont à reprogrammer depuis les demandes d’inscription.`
			: '';
		return {
			success: result.already
				? 'Cette séance était déjà annulée : aucun nouveau message n’a été envoyé.'
				: `La séance est annulée ; ${result.mails.sent + result.mails.stored} invité(s) ont reçu l’annulation dans leur agenda.${cases}`
		};
	}
};
