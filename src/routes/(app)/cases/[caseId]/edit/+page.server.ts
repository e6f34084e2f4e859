import { fail, redirect } from '@sveltejs/kit';
import type { Cim10Organ } from '$lib/domain/cim10';
import { getCaseFormKind } from '$lib/domain/case-forms';
import { getPathwayDefinition } from '$lib/domain/pathways';
import { formatParisTime } from '$lib/domain/schedule';
import { canEditCase, canViewCase } from '$lib/server/auth/access';
import {
	assistRequestForm,
	attachRequestFiles,
	checkRequestFiles,
	listChosenFileNames
} from '$lib/server/case-request-form';
import { listRequestableMeetings, loadCaseRef, readCase, saveCaseRequest } from '$lib/server/cases';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getPathway } from '$lib/server/pathways';
import { toPatientSummary } from '$lib/server/patients';
import { parseCaseRequest } from '$lib/validation/cases';
import { readForm, safeValues } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

async function loadEditable(locals: App.Locals, caseId: string) {
	const found = (await loadCaseRef(caseId)) ?? notFound('Ce dossier n’existe pas.');
	await ensure(canViewCase(locals.actor, found.ref), 'Vous n’avez pas accès à ce dossier.');
	await ensure(canEditCase(locals.actor, found.ref), 'Ce dossier ne peut plus être modifié.');
	return found;
}

/** Statuses in which the request still goes through « Soumettre ». */
const beforeSubmission = ['draft', 'refused'];

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const { caseRow } = await loadEditable(locals, params.caseId);
	const view = await readCase(caseRow, locals.audit);
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
			: (await listRequestableMeetings(caseRow.pathwayId)).map((m) => ({
					id: m.id,
					label: m.label
				})),
		canSubmit: beforeSubmission.includes(caseRow.status)
	};
};

export const actions: Actions = {
	save: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { caseRow } = await loadEditable(locals, params.caseId);
		const pathway = (await getPathway(caseRow.pathwayId))!;
		const form = await request.formData();
		// Once submitted, a request keeps what a submission needs; its meeting changes elsewhere.
		if (!beforeSubmission.includes(caseRow.status)) {
			form.set('intent', 'submit');
			if (!form.get('meetingChoice')) form.set('meetingChoice', caseRow.meetingId ?? 'next');
		}
		const files = await checkRequestFiles(form);
		const parsed = parseCaseRequest(form, getCaseFormKind(pathway), caseRow.patientId);
		const reselect = listChosenFileNames(form);
		if (!parsed.ok || !files.ok) {
			const errors = { ...(parsed.ok ? {} : parsed.errors) };
			if (!files.ok) errors.documents = files.error;
			return fail(400, { values: parsed.values, errors, reselect });
		}
		const result = await saveCaseRequest(
			{
				caseId: caseRow.id,
				pathwayId: caseRow.pathwayId,
				requesterId: caseRow.requesterId,
				input: parsed.data
			},
			locals.audit
		);
		if (!result.ok) return fail(400, { values: parsed.values, errors: result.errors, reselect });
		const failed = await attachRequestFiles(caseRow.id, files.files, locals.audit);
		const notice = failed.length ? '&documentsFailed=' + failed.length : '';
		redirect(303, `/cases/${caseRow.id}?${result.submitted ? 'submitted' : 'saved'}=1${notice}`);
	},
	/** « Rechercher dans l’annuaire » and « Choisir » without JavaScript: values kept. */
	assist: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		await loadEditable(locals, params.caseId);
		const form = await request.formData();
		const r = await assistRequestForm(form, safeValues(readForm(form)), locals.actor);
		return { ...r, reselect: listChosenFileNames(form) };
	},
	/** The draft saved as one types (JavaScript), while the request is not yet submitted. */
	autosave: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { caseRow } = await loadEditable(locals, params.caseId);
		if (!beforeSubmission.includes(caseRow.status)) {
			return {
				autosave: { saved: false, message: 'Demande déjà soumise : utilisez « Enregistrer ».' }
			};
		}
		const pathway = (await getPathway(caseRow.pathwayId))!;
		const form = await request.formData();
		form.set('intent', 'draft');
		const parsed = parseCaseRequest(form, getCaseFormKind(pathway), caseRow.patientId);
		const result = parsed.ok
			? await saveCaseRequest(
					{
						caseId: caseRow.id,
						pathwayId: caseRow.pathwayId,
						requesterId: caseRow.requesterId,
						input: parsed.data
					},
					locals.audit
				)
			: null;
		return {
			autosave: result?.ok
				? { saved: true, message: `Brouillon enregistré à ${formatParisTime(new Date())}` }
				: {
						saved: false,
						message:
							'Brouillon non enregistré : un champ est à corriger (voir « Enregistrer le brouillon »).'
					}
		};
	}
};
