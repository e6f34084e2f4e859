import { fail, redirect } from '@sveltejs/kit';
import { canGiveWrittenOpinion, canViewCase } from '$lib/server/auth/access';
import { loadCaseRef } from '$lib/server/cases';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getMeeting } from '$lib/server/meetings';
import { readCaseOpinions, saveWrittenOpinion, withdrawWrittenOpinion } from '$lib/server/opinions';
import { describePatient, getPatient } from '$lib/server/patients';
import { parseForm } from '$lib/validation/form';
import { opinionSchema } from '$lib/validation/live';
import type { Actions, PageServerLoad } from './$types';

async function loadCase(caseId: string, actor: App.Locals['actor']) {
	const found = (await loadCaseRef(caseId)) ?? notFound('Ce dossier n’existe pas.');
	await ensure(canViewCase(actor, found.ref), 'Vous n’avez pas accès à ce dossier.');
	return found;
}

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const user = requireUser(locals, url);
	const { caseRow, ref } = await loadCase(params.caseId, locals.actor);
	const patient = await getPatient(caseRow.patientId);
	const meeting = caseRow.meetingId ? await getMeeting(caseRow.meetingId) : undefined;
	const opinions = await readCaseOpinions(caseRow, locals.audit);
	return {
		caseId: caseRow.id,
		patient: patient ? describePatient(patient) : '—',
		question: caseRow.question,
		meeting: meeting
			? { id: meeting.id, startsAt: meeting.startsAt, status: meeting.status }
			: null,
		opinions,
		mine: opinions.find((o) => o.authorId === user.id) ?? null,
		mayGive: canGiveWrittenOpinion(locals.actor, ref) && meeting?.status === 'scheduled',
		specialty: user.specialty,
		saved: url.searchParams.get('enregistre') === '1'
	};
};

export const actions: Actions = {
	save: async ({ params, locals, request, url }) => {
		const user = requireUser(locals, url);
		const { caseRow, ref } = await loadCase(params.caseId, locals.actor);
		await ensure(
			canGiveWrittenOpinion(locals.actor, ref),
			'Seuls les médecins de la filière, avec une spécialité, donnent un avis écrit sur un dossier inscrit.'
		);
		const parsed = parseForm(opinionSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = await saveWrittenOpinion(caseRow, user, parsed.data.text, locals.audit);
		if (!result.ok) {
			return fail(409, { values: parsed.values, errors: { form: result.message } });
		}
		redirect(303, `/cases/${caseRow.id}/opinion?enregistre=1`);
	},
	withdraw: async ({ params, locals, url }) => {
		const user = requireUser(locals, url);
		const { caseRow, ref } = await loadCase(params.caseId, locals.actor);
		await ensure(canGiveWrittenOpinion(locals.actor, ref), 'Vous ne pouvez pas modifier cet avis.');
		const result = await withdrawWrittenOpinion(caseRow, user.id, locals.audit);
		if (!result.ok) return fail(409, { values: {}, errors: { form: result.message } });
		return { withdrawn: 'Votre avis écrit est retiré.' };
	}
};
