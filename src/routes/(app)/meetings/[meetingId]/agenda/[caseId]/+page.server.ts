import { fail, redirect } from '@sveltejs/kit';
import { canManageMeeting, canViewMeeting } from '$lib/server/auth/access';
import { recordAudit } from '$lib/server/audit';
import { listPathwaySpecialties, listPresenterChoices, updateAgendaItem } from '$lib/server/agenda';
import { getCase } from '$lib/server/cases';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getMeetingRef } from '$lib/server/meetings';
import { describePatient, getPatient } from '$lib/server/patients';
import { agendaItemSchema } from '$lib/validation/cases';
import { parseForm } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

/** The meeting (managed by this coordinator) and one case of its agenda, or 404 / 403. */
async function loadItem(locals: App.Locals, meetingId: string, caseId: string) {
	const found = (await getMeetingRef(meetingId)) ?? notFound('Cette séance n’existe pas.');
	await ensure(canViewMeeting(locals.actor, found.ref), 'Vous n’avez pas accès à cette séance.');
	await ensure(
		canManageMeeting(locals.actor, found.ref),
		'L’ordre du jour est préparé par la coordination de la filière.'
	);
	const c = await getCase(caseId);
	if (!c || c.meetingId !== meetingId)
		notFound('Ce dossier n’est pas à l’ordre du jour de cette séance.');
	return { meeting: found.meeting, caseRow: c };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const { meeting, caseRow } = await loadItem(locals, params.meetingId, params.caseId);
	const patient = (await getPatient(caseRow.patientId))!;
	await recordAudit(locals.audit, {
		action: 'case.read',
		objectType: 'rcp_case',
		objectId: caseRow.id,
		patientId: caseRow.patientId,
		detail: { page: 'agenda.item' }
	});
	return {
		meetingId: meeting.id,
		meetingStartsAt: meeting.startsAt,
		editable: meeting.status === 'scheduled' || meeting.status === 'open',
		item: {
			id: caseRow.id,
			patientLabel: describePatient(patient),
			question: caseRow.question,
			minutes: caseRow.estimatedMinutes,
			presenterId: caseRow.presenterId,
			needed: caseRow.neededSpecialties
		},
		presenters: await listPresenterChoices(meeting.pathwayId, [caseRow.requesterId]),
		specialties: await listPathwaySpecialties(meeting.pathwayId)
	};
};

export const actions: Actions = {
	default: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { meeting, caseRow } = await loadItem(locals, params.meetingId, params.caseId);
		const form = await request.formData();
		form.set('caseId', caseRow.id);
		const parsed = parseForm(agendaItemSchema, form);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const choices = (await listPresenterChoices(meeting.pathwayId, [caseRow.requesterId])).map(
			(o) => o.value
		);
		const result = await updateAgendaItem(
			meeting,
			{
				caseId: caseRow.id,
				minutes: parsed.data.minutes,
				presenterId: parsed.data.presenterId ?? null,
				neededSpecialties: parsed.data.neededSpecialties
			},
			choices,
			locals.audit
		);
		if (!result.ok) return fail(400, { values: parsed.values, errors: result.errors });
		redirect(303, `/meetings/${meeting.id}/agenda?updated=${caseRow.id}#case-${caseRow.id}`);
	}
};
