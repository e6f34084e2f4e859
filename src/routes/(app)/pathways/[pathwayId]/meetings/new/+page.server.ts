import { fail, redirect } from '@sveltejs/kit';
import { findPublicHoliday, formatHoliday } from '$lib/domain/holidays';
import { toParisParts } from '$lib/domain/schedule';
import { canCoordinate } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { getPathway } from '$lib/server/pathways';
import { parseForm } from '$lib/validation/form';
import { newMeetingSchema } from '$lib/validation/meetings';
import type { Actions, PageServerLoad } from './$types';
import { addMeeting, listChairCandidates } from '$lib/server/meeting-planning';

async function loadPathway(id: string, actor: App.Locals['actor']) {
	const pathway = (await getPathway(id)) ?? notFound('Cette filière n’existe pas.');
	await ensure(
		canCoordinate(actor, pathway.id),
		'Seule la coordination de la filière planifie les séances.'
	);
	return pathway;
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const pathway = await loadPathway(params.pathwayId, locals.actor);
	return {
		pathway: { id: pathway.id, name: pathway.name },
		chairs: await listChairCandidates(pathway.id),
		defaults: {
			date: toParisParts(new Date()).date,
			time: '17:30',
			durationMinutes: String(pathway.defaultDurationMinutes),
			place: '',
			videoOffered: 'on',
			chairId: '',
			inviteMembers: 'on',
			requestId: crypto.randomUUID()
		}
	};
};

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		const pathway = await loadPathway(params.pathwayId, locals.actor);
		const form = await request.formData();
		const parsed = parseForm(newMeetingSchema, form);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		// A public holiday: the form comes back with the warning until the coordinator confirms.
		const holiday = findPublicHoliday(parsed.data.date);
		if (holiday && form.get('confirmHoliday') !== 'on') {
			return fail(400, {
				values: parsed.values,
				errors: {
					confirmHoliday:
						'Cochez la case pour confirmer la séance un jour férié, ou changez la date.'
				},
				holidayWarning: `Cette séance tombe un jour férié : ${formatHoliday(holiday)}.`
			});
		}
		const result = await addMeeting(pathway.id, parsed.data, locals.audit);
		if (!result.ok) return fail(400, { values: parsed.values, errors: result.errors });
		redirect(303, `/meetings/${result.meetingId}?creee=${result.invited}`);
	}
};
