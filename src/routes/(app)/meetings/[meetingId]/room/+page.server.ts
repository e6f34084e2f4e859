import { fail } from '@sveltejs/kit';
import {
	canChairMeeting,
	canCheckInAttendees,
	canFollowLiveMeeting,
	canOpenMeeting,
	canRunMeeting,
	canWriteDecision,
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
import { submitDraft, submitValidation } from '$lib/server/live/decision-form';
import { lowerHandOf, setOwnHand } from '$lib/server/live/hands';
import { readLiveView } from '$lib/server/live/stream';
import { loadCaseRef } from '$lib/server/cases';
import { getPathway } from '$lib/server/pathways';
import { getProposalTypes, type PathwayKind } from '$lib/domain/pathways';
import { getMeetingRef } from '$lib/server/meetings';
import { parseForm } from '$lib/validation/form';
import {
	caseTargetSchema,
	checkInSchema,
	checkOutSchema,
	participantSchema
} from '$lib/validation/live';
import type { Actions, PageServerLoad } from './$types';

async function loadMeeting(meetingId: string, actor: Actor) {
	const found = (await getMeetingRef(meetingId)) ?? notFound('Cette séance n’existe pas.');
	await ensure(canFollowLiveMeeting(actor, found.ref), 'Vous n’êtes pas invité(e) à cette séance.');
	return found;
}

/** Chair controls: a non-chair is refused (403); a chair on a meeting not open gets told (409). */
async function requireRunning(meetingId: string, actor: Actor) {
	const found = await loadMeeting(meetingId, actor);
	if (!canChairMeeting(actor, found.ref))
		return await forbid('Seul le président de séance dirige la séance.');
	return found;
}

/**
 * The decision form of the room: the case is named in the URL (`?/saveDraft&case=<id>`) so the
 * object is checked before the body is read. Only the chair writes (403 for anyone else).
 */
async function requireDecisionWriter(meetingId: string, caseId: string | null, actor: Actor) {
	const found = await loadMeeting(meetingId, actor);
	if (!canChairMeeting(actor, found.ref)) {
		return await forbid('Seul le président de séance rédige et valide la proposition.');
	}
	const c = caseId ? await loadCaseRef(caseId) : null;
	if (!c || c.caseRow.meetingId !== meetingId) {
		notFound('Ce dossier n’est pas à l’ordre du jour de cette séance.');
	}
	if (!canWriteDecision(actor, c.ref)) {
		return { caseId: c.caseRow.id, closed: true as const };
	}
	return { caseId: c.caseRow.id, closed: false as const };
}

const notOpen = (caseId: string) =>
	fail(409, {
		action: 'decision' as const,
		kind: 'refused' as const,
		caseId,
		values: {},
		errors: { form: 'La séance n’est pas ouverte : la proposition ne peut pas être rédigée ici.' }
	});

function outcome(action: string, result: LiveActionResult) {
	if (!result.ok) return fail(409, { action, message: result.message });
	return { action, success: result.message, warning: result.warning ?? null };
}

export const load: PageServerLoad = async ({ params, locals, url }) => {
	requireUser(locals, url);
	const { meeting, ref } = await loadMeeting(params.meetingId, locals.actor);
	const view = (await readLiveView(meeting.id, locals.actor, locals.audit)) ?? notFound();
	const pathway = canChairMeeting(locals.actor, ref)
		? await getPathway(meeting.pathwayId)
		: undefined;
	return {
		view,
		/** The chair's decision form: the proposal types of the pathway. */
		proposalTypes: pathway
			? getProposalTypes(pathway.kind as PathwayKind).map((t) => ({ code: t.code, label: t.label }))
			: [],
		candidates: canCheckInAttendees(locals.actor, ref) ? await listCheckInCandidates(meeting) : []
	};
};

export const actions: Actions = {
	open: async ({ params, locals }) => {
		const { meeting, ref } = await requireRunning(params.meetingId, locals.actor);
		if (!canOpenMeeting(locals.actor, ref)) {
			return fail(409, {
				action: 'open',
				message: 'La séance n’est pas à ouvrir : rechargez la page.'
			});
		}
		return outcome('open', await openLiveMeeting(meeting.id, locals.audit));
	},
	next: async ({ params, locals }) => {
		const { meeting, ref } = await requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'move', message: 'La séance n’est pas ouverte.' });
		}
		return outcome('move', await moveToCase(meeting.id, 'next', locals.audit));
	},
	previous: async ({ params, locals }) => {
		const { meeting, ref } = await requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'move', message: 'La séance n’est pas ouverte.' });
		}
		return outcome('move', await moveToCase(meeting.id, 'previous', locals.audit));
	},
	goto: async ({ params, locals, request }) => {
		const { meeting, ref } = await requireRunning(params.meetingId, locals.actor);
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
		const { meeting, ref } = await requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'close', message: 'La séance n’est pas ouverte.' });
		}
		return outcome('close', await closeLiveMeeting(meeting.id, locals.audit));
	},
	retryVideo: async ({ params, locals }) => {
		const { meeting, ref } = await requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'video', message: 'La séance n’est pas ouverte.' });
		}
		return outcome('video', await retryVideoRoom(meeting.id));
	},
	mute: async ({ params, locals, request }) => {
		const { meeting, ref } = await requireRunning(params.meetingId, locals.actor);
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
		const { meeting, ref } = await requireRunning(params.meetingId, locals.actor);
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
		const { meeting, ref } = await loadMeeting(params.meetingId, locals.actor);
		await ensure(
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
		const result = await checkInAttendee(meeting, parsed.data.person, locals.audit);
		if (!result.ok) return fail(409, { action: 'checkIn', message: result.message });
		return { action: 'checkIn', success: `${result.name} est enregistré(e) présent(e) en salle.` };
	},
	saveDraft: async ({ params, locals, request, url }) => {
		const target = await requireDecisionWriter(
			params.meetingId,
			url.searchParams.get('case'),
			locals.actor
		);
		if (target.closed) return notOpen(target.caseId);
		return submitDraft(request, params.meetingId, target.caseId, locals.audit);
	},
	validate: async ({ params, locals, request, url }) => {
		const target = await requireDecisionWriter(
			params.meetingId,
			url.searchParams.get('case'),
			locals.actor
		);
		if (target.closed) return notOpen(target.caseId);
		return submitValidation(request, params.meetingId, target.caseId, locals.audit);
	},
	/** « Lever la main »: any participant, for themself, while the meeting is open. */
	raiseHand: async ({ params, locals, request }) => {
		const { meeting } = await loadMeeting(params.meetingId, locals.actor);
		if (meeting.status !== 'open') {
			return fail(409, { action: 'hand', message: 'La séance n’est pas ouverte.' });
		}
		const raised = (await request.formData()).get('raised');
		if (raised !== 'true' && raised !== 'false') {
			return fail(400, { action: 'hand', message: 'Demande de parole inconnue.' });
		}
		const result = await setOwnHand(meeting.id, locals.actor, raised === 'true');
		if (!result.ok) return fail(409, { action: 'hand', message: result.message });
		return { action: 'hand', success: result.message };
	},
	/** The chair lowers someone's hand. */
	lowerHand: async ({ params, locals, request }) => {
		const { meeting, ref } = await requireRunning(params.meetingId, locals.actor);
		if (!canRunMeeting(locals.actor, ref)) {
			return fail(409, { action: 'hand', message: 'La séance n’est pas ouverte.' });
		}
		const parsed = parseForm(participantSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'hand', message: 'Participant inconnu.' });
		const result = await lowerHandOf(meeting.id, parsed.data.identity);
		if (!result.ok) return fail(409, { action: 'hand', message: result.message });
		return { action: 'hand', success: result.message };
	},
	checkOut: async ({ params, locals, request }) => {
		const { meeting, ref } = await loadMeeting(params.meetingId, locals.actor);
		await ensure(
			canCheckInAttendees(locals.actor, ref),
			'Seuls la coordination et le président enregistrent les présences.'
		);
		const parsed = parseForm(checkOutSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'checkIn', message: 'Présence inconnue.' });
		const result = await checkOutAttendee(meeting.id, parsed.data.attendanceId, locals.audit);
		if (!result.ok) return fail(409, { action: 'checkIn', message: result.message });
		return { action: 'checkIn', success: `${result.name} n’est plus compté(e) présent(e).` };
	}
};
