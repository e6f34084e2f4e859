import { fail } from '@sveltejs/kit';
import {
	canChairMeeting,
	canCheckInAttendees,
	canFollowLiveMeeting,
	canOpenMeeting,
	canRunMeeting,
	type Actor
} from '$lib/server/auth/access';
import { checkInAttendee, checkOutAttendee, listCheckInCandidates } from '$lib/server/attendance';
import { ensure, forbid, notFound, requireUser } from '$lib/server/guard';
import {
	closeLiveMeeting,
	moveToCase,
	muteParticipant,
	openLiveMeeting,
	removeParticipant,
	retryVideoRoom,
	type LiveActionResult
} from '$lib/server/live/control';
import { readLiveView } from '$lib/server/live/stream';
import { getMeetingRef } from '$lib/server/meetings';
import { parseForm } from '$lib/validation/form';
import {
	caseTargetSchema,
	checkInSchema,
	checkOutSchema,
	participantSchema
} from '$lib/validation/live';
import type { Actions, PageServerLoad } from './$types';

function loadMeeting(meetingId: string, actor: Actor) {
	const found = getMeetingRef(meetingId) ?? notFound('Cette séance n’existe pas.');
	ensure(canFollowLiveMeeting(actor, found.ref), 'Vous n’êtes pas invité(e) à cette séance.');
	return found;
}

/** Chair controls: a non-chair is refused (403); a chair on a meeting not open gets told (409). */
function requireRunning(meetingId: string, actor: Actor) {
	const found = loadMeeting(meetingId, actor);
	if (!canChairMeeting(actor, found.ref)) forbid('Seul le président de séance dirige la séance.');
	return found;
}

function outcome(action: string, result: LiveActionResult) {
	if (!result.ok) return fail(409, { action, message: result.message });
	return { action, success: result.message, warning: result.warning ?? null };
}

export const load: PageServerLoad = ({ params, locals, url }) => {
	requireUser(locals, url);
	const { meeting, ref } = loadMeeting(params.meetingId, locals.actor);
	const view = readLiveView(meeting.id, locals.actor, locals.audit) ?? notFound();
	return {
		view,
		candidates: canCheckInAttendees(locals.actor, ref) ? listCheckInCandidates(meeting) : []
	};
};

export const actions: Actions = {
	open: async ({ params, locals }) => {
		const { meeting, ref } = requireRunning(params.meetingId, locals.actor);
		if (!canOpenMeeting(locals.actor, ref)) {
			return fail(409, {
				action: 'open',
				message: 'La séance n’est pas à ouvrir : rechargez la page.'
			});
		}
		return outcome('open', await openLiveMeeting(meeting.id, locals.audit));
	},
	next: async ({ params, locals }) => {
		const { meeting, ref } = requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'move', message: 'La séance n’est pas ouverte.' });
		}
		return outcome('move', await moveToCase(meeting.id, 'next', locals.audit));
	},
	previous: async ({ params, locals }) => {
		const { meeting, ref } = requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'move', message: 'La séance n’est pas ouverte.' });
		}
		return outcome('move', await moveToCase(meeting.id, 'previous', locals.audit));
	},
	goto: async ({ params, locals, request }) => {
		const { meeting, ref } = requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'move', message: 'La séance n’est pas ouverte.' });
		}
		const parsed = parseForm(caseTargetSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'move', message: 'Dossier inconnu.' });
		return outcome(
			'move',
			await moveToCase(meeting.id, { caseId: parsed.data.caseId }, locals.audit)
		);
	},
	close: async ({ params, locals }) => {
		const { meeting, ref } = requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'close', message: 'La séance n’est pas ouverte.' });
		}
		return outcome('close', await closeLiveMeeting(meeting.id, locals.audit));
	},
	retryVideo: async ({ params, locals }) => {
		const { meeting, ref } = requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'video', message: 'La séance n’est pas ouverte.' });
		}
		return outcome('video', await retryVideoRoom(meeting.id));
	},
	mute: async ({ params, locals, request }) => {
		const { meeting, ref } = requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'participant', message: 'La séance n’est pas ouverte.' });
		}
		const parsed = parseForm(participantSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'participant', message: 'Participant inconnu.' });
		return outcome(
			'participant',
			await muteParticipant(meeting.id, parsed.data.identity, locals.audit)
		);
	},
	remove: async ({ params, locals, request }) => {
		const { meeting, ref } = requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'participant', message: 'La séance n’est pas ouverte.' });
		}
		const parsed = parseForm(participantSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'participant', message: 'Participant inconnu.' });
		return outcome(
			'participant',
			await removeParticipant(meeting.id, parsed.data.identity, locals.audit)
		);
	},
	checkIn: async ({ params, locals, request }) => {
		const { meeting, ref } = loadMeeting(params.meetingId, locals.actor);
		ensure(
			canCheckInAttendees(locals.actor, ref),
			'Seuls la coordination et le président enregistrent les présences.'
		);
		const parsed = parseForm(checkInSchema, await request.formData());
		if (!parsed.ok) {
			return fail(400, {
				action: 'checkIn',
				message: parsed.errors.person ?? 'Formulaire invalide.'
			});
		}
		const result = checkInAttendee(meeting, parsed.data.person, locals.audit);
		if (!result.ok) return fail(409, { action: 'checkIn', message: result.message });
		return { action: 'checkIn', success: `${result.name} est enregistré(e) présent(e) en salle.` };
	},
	checkOut: async ({ params, locals, request }) => {
		const { meeting, ref } = loadMeeting(params.meetingId, locals.actor);
		ensure(
			canCheckInAttendees(locals.actor, ref),
			'Seuls la coordination et le président enregistrent les présences.'
		);
		const parsed = parseForm(checkOutSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'checkIn', message: 'Présence inconnue.' });
		const result = checkOutAttendee(meeting.id, parsed.data.attendanceId, locals.audit);
		if (!result.ok) return fail(409, { action: 'checkIn', message: result.message });
		return { action: 'checkIn', success: `${result.name} n’est plus compté(e) présent(e).` };
	}
};
