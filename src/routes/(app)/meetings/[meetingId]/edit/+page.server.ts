import { fail, redirect } from '@sveltejs/kit';
import { toParisParts } from '$lib/domain/schedule';
import { canManageMeeting } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { getMeetingOverview, getMeetingRef } from '$lib/server/meetings';
import { parseForm } from '$lib/validation/form';
import { meetingSlotSchema } from '$lib/validation/meetings';
import type { Actions, PageServerLoad } from './$types';
import { listChairCandidates, updateMeeting } from '$lib/server/meeting-planning';

async function loadMeeting(meetingId: string, actor: App.Locals['actor']) {
	const found = (await getMeetingRef(meetingId)) ?? notFound('Cette séance n’existe pas.');
	await ensure(
		canManageMeeting(actor, found.ref),
		'Seule la coordination de la filière modifie les séances.'
	);
	return found.meeting;
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const meeting = await loadMeeting(params.meetingId, locals.actor);
	const start = toParisParts(meeting.startsAt);
	return {
		overview: await getMeetingOverview(meeting),
		editable: meeting.status === 'scheduled' && meeting.startsAt > new Date(),
		chairs: await listChairCandidates(meeting.pathwayId),
		current: {
			date: start.date,
			time: start.time,
			durationMinutes: String(
				Math.round((meeting.endsAt.getTime() - meeting.startsAt.getTime()) / 60_000)
			),
			place: meeting.place,
			videoOffered: meeting.videoOffered ? 'on' : '',
			chairId: meeting.chairId ?? ''
		}
	};
};

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		const meeting = await loadMeeting(params.meetingId, locals.actor);
		const parsed = parseForm(meetingSlotSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = await updateMeeting(meeting.id, parsed.data, locals.audit);
		if (!result.ok) return fail(400, { values: parsed.values, errors: result.errors });
		if (!result.changed.length) {
			return { values: parsed.values, success: 'Aucun changement : rien n’a été envoyé.' };
		}
		redirect(
			303,
			`/meetings/${meeting.id}/edit?modifiee=${result.mails.sent + result.mails.stored}`
		);
	}
};
