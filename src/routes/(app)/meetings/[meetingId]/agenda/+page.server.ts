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

async function loadMeeting(locals: App.Locals, meetingId: string) {
	const found = (await getMeetingRef(meetingId)) ?? notFound('Cette séance n’existe pas.');
	await ensure(canViewMeeting(locals.actor, found.ref), 'Vous n’avez pas accès à cette séance.');
	return found;
}

async function ensureManager(locals: App.Locals, meetingId: string) {
	const found = await loadMeeting(locals, meetingId);
	await ensure(
		canManageMeeting(locals.actor, found.ref),
		'L’ordre du jour est préparé par la coordination de la filière.'
	);
	return found;
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const { meeting, ref } = await loadMeeting(locals, params.meetingId);
	const overview = await getMeetingOverview(meeting);
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
		agenda: await loadAgenda(meeting, locals.actor, locals.audit, now),
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
		const { meeting } = await ensureManager(locals, params.meetingId);
		const parsed = parseForm(agendaMoveSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'move', errors: parsed.errors });
		const result = await moveAgendaCase(
			meeting,
			parsed.data.caseId,
			parsed.data.direction,
			locals.audit
		);
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
		const { meeting } = await ensureManager(locals, params.meetingId);
		const parsed = parseForm(agendaOrderSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'reorder', errors: parsed.errors });
		const result = await reorderAgenda(meeting, parsed.data.order, locals.audit);
		if (!result.ok) return fail(400, { action: 'reorder', errors: { form: result.message } });
		return { action: 'reorder', success: 'Le nouvel ordre du jour est enregistré.' };
	},
	close: async ({ locals, url, params }) => {
		requireUser(locals, url);
		const { ref } = await loadMeeting(locals, params.meetingId);
		await ensure(
			canCloseMeeting(locals.actor, ref),
			'La séance est clôturée par la coordination ou son président.'
		);
		const result = await closeMeeting(params.meetingId, locals.audit);
		if (!result.ok) return fail(400, { action: 'close', errors: { form: result.message } });
		const next = result.nextMeetingId ? (await getMeetingRef(result.nextMeetingId))?.meeting : null;
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
