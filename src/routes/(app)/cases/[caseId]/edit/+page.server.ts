import { fail, redirect } from '@sveltejs/kit';
import type { Cim10Organ } from '$lib/domain/cim10';
import { getCaseFormKind } from '$lib/domain/case-forms';
import { getPathwayDefinition } from '$lib/domain/pathways';
import { canEditCase, canViewCase } from '$lib/server/auth/access';
import { listRequestableMeetings, loadCaseRef, readCase, saveCaseRequest } from '$lib/server/cases';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getPathway } from '$lib/server/pathways';
import { toPatientSummary } from '$lib/server/patients';
import { parseCaseRequest } from '$lib/validation/cases';
import type { Actions, PageServerLoad } from './$types';

function loadEditable(locals: App.Locals, caseId: string) {
	const found = loadCaseRef(caseId) ?? notFound('Ce dossier n’existe pas.');
	ensure(canViewCase(locals.actor, found.ref), 'Vous n’avez pas accès à ce dossier.');
	ensure(canEditCase(locals.actor, found.ref), 'Ce dossier ne peut plus être modifié.');
	return found;
}

/** Statuses in which the request still goes through « Soumettre ». */
const beforeSubmission = ['draft', 'refused'];

export const load: PageServerLoad = ({ locals, url, params }) => {
	requireUser(locals, url);
	const { caseRow } = loadEditable(locals, params.caseId);
	const view = readCase(caseRow, locals.audit);
	const onAgenda = caseRow.status === 'scheduled' || caseRow.status === 'deferred';
	const values: Record<string, unknown> = {
		...caseRow.pathwayData,
		question: caseRow.question,
		summary: caseRow.summary,
		referringName: caseRow.referringName,
		referringRpps: caseRow.referringRpps,
		referringEmail: caseRow.referringEmail,
		gpName: caseRow.gpName,
		gpRpps: caseRow.gpRpps,
		gpEmail: caseRow.gpEmail,
		meetingChoice: caseRow.meetingId ?? (caseRow.wantsNextMeeting ? 'next' : '')
	};
	return {
		caseId: caseRow.id,
		status: caseRow.status,
		pathway: {
			name: view.pathway.name,
			kind: getCaseFormKind(view.pathway),
			organ: (getPathwayDefinition(view.pathway.code)?.organ ?? null) as Cim10Organ | null
		},
		patient: toPatientSummary(view.patient),
		values,
		meetings: onAgenda
			? null
			: listRequestableMeetings(caseRow.pathwayId).map((m) => ({ id: m.id, label: m.label })),
		canSubmit: beforeSubmission.includes(caseRow.status)
	};
};

export const actions: Actions = {
	save: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { caseRow } = loadEditable(locals, params.caseId);
		const pathway = getPathway(caseRow.pathwayId)!;
		const form = await request.formData();
		// Once submitted, a request keeps what a submission needs; its meeting changes elsewhere.
		if (!beforeSubmission.includes(caseRow.status)) {
			form.set('intent', 'submit');
			if (!form.get('meetingChoice')) form.set('meetingChoice', caseRow.meetingId ?? 'next');
		}
		const parsed = parseCaseRequest(form, getCaseFormKind(pathway), caseRow.patientId);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = saveCaseRequest(
			{
				caseId: caseRow.id,
				pathwayId: caseRow.pathwayId,
				requesterId: caseRow.requesterId,
				input: parsed.data
			},
			locals.audit
		);
		if (!result.ok) return fail(400, { values: parsed.values, errors: result.errors });
		redirect(303, `/cases/${caseRow.id}?${result.submitted ? 'submitted' : 'saved'}=1`);
	}
};
