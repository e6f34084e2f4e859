import { fail } from '@sveltejs/kit';
import {
	canCloseMeeting,
	canCoordinate,
	canManageMeeting,
	canViewMeeting
} from '$lib/server/auth/access';
import { loadAgenda, moveAgendaCase, reorderAgenda } from '$lib/server/agenda';
import { closeMeeting } from '$lib/server/carry-over';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getMeetingOverview, getMeetingRef } from '$lib/server/meetings';
import { formatParisDateTime } from '$lib/domain/schedule';
import { agendaMoveSchema, agendaOrderSchema } from '$lib/validation/cases';
import { parseForm } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

function loadMeeting(locals: App.Locals, meetingId: string) {
	const found = getMeetingRef(meetingId) ?? notFound('Cette séance n’existe pas.');
	ensure(canViewMeeting(locals.actor, found.ref), 'Vous n’avez pas accès à cette séance.');
	return found;
}

function ensureManager(locals: App.Locals, meetingId: string) {
	const found = loadMeeting(locals, meetingId);
	ensure(
		canManageMeeting(locals.actor, found.ref),
		'L’ordre du jour est préparé par la coordination de la filière.'
	);
	return found;
}

export const load: PageServerLoad = ({ locals, url, params }) => {
	requireUser(locals, url);
	const { meeting, ref } = loadMeeting(locals, params.meetingId);
	const overview = getMeetingOverview(meeting);
	const now = new Date();
	return {
		meeting: {
			id: meeting.id,
			pathwayId: meeting.pathwayId,
			startsAt: meeting.startsAt,
			endsAt: meeting.endsAt,
			deadlineAt: meeting.deadlineAt,
			status: meeting.status,
			place: meeting.place
		},
		pathwayName: overview.pathwayName,
		chairName: overview.chairName,
		agenda: loadAgenda(meeting, locals.actor, locals.audit, now),
		updated: url.searchParams.has('updated') ? 'Le dossier est mis à jour.' : null,
		can: {
			manage: canManageMeeting(locals.actor, ref) && ['scheduled', 'open'].includes(meeting.status),
			coordinate: canCoordinate(locals.actor, meeting.pathwayId),
			close: canCloseMeeting(locals.actor, ref),
			closeNow: meeting.status === 'open' || meeting.startsAt <= now
		}
	};
};

export const actions: Actions = {
	move: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { meeting } = ensureManager(locals, params.meetingId);
		const parsed = parseForm(agendaMoveSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'move', errors: parsed.errors });
		const result = moveAgendaCase(meeting, parsed.data.caseId, parsed.data.direction, locals.audit);
		if (!result.ok)
			return fail(400, {
				action: 'move',
				caseId: parsed.data.caseId,
				errors: { form: result.message }
			});
		return {
			action: 'move',
			caseId: parsed.data.caseId,
			direction: parsed.data.direction,
			position: result.position,
			total: result.total,
			success: `Dossier déplacé en position ${result.position} sur ${result.total}.`
		};
	},
	reorder: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { meeting } = ensureManager(locals, params.meetingId);
		const parsed = parseForm(agendaOrderSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'reorder', errors: parsed.errors });
		const result = reorderAgenda(meeting, parsed.data.order, locals.audit);
		if (!result.ok) return fail(400, { action: 'reorder', errors: { form: result.message } });
		return { action: 'reorder', success: 'Le nouvel ordre du jour est enregistré.' };
	},
	close: ({ locals, url, params }) => {
		requireUser(locals, url);
		const { ref } = loadMeeting(locals, params.meetingId);
		ensure(
			canCloseMeeting(locals.actor, ref),
			'La séance est clôturée par la coordination ou son président.'
		);
		const result = closeMeeting(params.meetingId, locals.audit);
		if (!result.ok) return fail(400, { action: 'close', errors: { form: result.message } });
		const next = result.nextMeetingId ? getMeetingRef(result.nextMeetingId)?.meeting : null;
		return {
			action: 'close',
			success:
				result.carriedOver === 0
					? 'La séance est clôturée ; aucun dossier n’était à reporter.'
					: next
						? `La séance est clôturée ; ${result.carriedOver} dossier(s) reporté(s) à la séance du ${formatParisDateTime(next.startsAt)}. Les demandeurs sont prévenus.`
						: `La séance est clôturée ; ${result.carriedOver} dossier(s) en attente d’une prochaine séance. Les demandeurs sont prévenus.`
		};
	}
};
