import { fail, redirect } from '@sveltejs/kit';
import { describeCaseData, assessHeartFailureCase, getCaseFormKind } from '$lib/domain/case-forms';
import { formatCim10 } from '$lib/domain/cim10';
import { formatIns } from '$lib/domain/ins';
import { formatTnm } from '$lib/domain/tnm';
import {
	canAddCaseDocument,
	canCoordinate,
	canEditCase,
	canRemoveCaseDocument,
	canViewCase,
	canViewMeeting,
	canWithdrawCase
} from '$lib/server/auth/access';
import { loadCaseRef, readCase, submitCase, withdrawCase } from '$lib/server/cases';
import {
	addCaseDocument,
	getCaseDocument,
	listCaseDocuments,
	removeCaseDocument
} from '$lib/server/documents';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { updatePatientIdentity } from '$lib/server/patients';
import { documentMetaSchema, identityUpdateSchema, withdrawSchema } from '$lib/validation/cases';
import { parseForm, readForm, safeValues, toFieldErrors } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';
import { summarizeCaseDecision } from '$lib/server/decision-views';

/** The case and its access facts, or 404; then the policy's answer, or 403. */
async function loadCase(locals: App.Locals, caseId: string) {
	const found = (await loadCaseRef(caseId)) ?? notFound('Ce dossier n’existe pas.');
	await ensure(canViewCase(locals.actor, found.ref), 'Vous n’avez pas accès à ce dossier.');
	return found;
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const { caseRow, ref } = await loadCase(locals, params.caseId);
	const view = await readCase(caseRow, locals.audit);
	const kind = view.pathway.kind;
	const data = caseRow.pathwayData;
	const docs = await listCaseDocuments(caseRow.id);
	return {
		caseRow: {
			id: caseRow.id,
			status: caseRow.status,
			question: caseRow.question,
			summary: caseRow.summary,
			referringName: caseRow.referringName,
			referringRpps: caseRow.referringRpps,
			referringEmail: caseRow.referringEmail,
			gpName: caseRow.gpName,
			gpRpps: caseRow.gpRpps,
			gpEmail: caseRow.gpEmail,
			refusalReason: caseRow.refusalReason,
			lateOverrideReason: caseRow.lateOverrideReason,
			wantsNextMeeting: caseRow.wantsNextMeeting,
			submittedAt: caseRow.submittedAt,
			createdAt: caseRow.createdAt
		},
		patient: {
			birthName: view.patient.birthName,
			firstNames: view.patient.firstNames,
			sex: view.patient.sex,
			birthDate: view.patient.birthDate,
			birthplaceCode: view.patient.birthplaceCode,
			ins: view.patient.insMatricule ? formatIns(view.patient.insMatricule) : null,
			insOid: view.patient.insOid,
			identityStatus: view.patient.identityStatus
		},
		pathway: { id: view.pathway.id, name: view.pathway.name, kind },
		meeting: view.meeting
			? {
					id: view.meeting.id,
					startsAt: view.meeting.startsAt,
					status: view.meeting.status,
					visible: ref.meeting ? canViewMeeting(locals.actor, ref.meeting) : false
				}
			: null,
		requesterName: view.requesterName,
		presenterName: view.presenterName,
		facts: describeCaseData(getCaseFormKind(view.pathway), data),
		primarySite: typeof data.primarySite === 'string' ? formatCim10(data.primarySite) : null,
		tnm: kind === 'oncology' ? formatTnm(data as Record<string, string>) : '',
		advanced: kind === 'heart_failure' ? assessHeartFailureCase(data) : null,
		readiness: view.readiness,
		events: view.events,
		documents: docs.map((d) => ({
			...d,
			removable: canRemoveCaseDocument(locals.actor, ref, d.uploadedBy)
		})),
		can: {
			edit: canEditCase(locals.actor, ref),
			submit: canEditCase(locals.actor, ref) && ['draft', 'refused'].includes(caseRow.status),
			withdraw: canWithdrawCase(locals.actor, ref),
			addDocument: canAddCaseDocument(locals.actor, ref),
			coordinate: canCoordinate(locals.actor, caseRow.pathwayId)
		},
		decision: await summarizeCaseDecision(caseRow.id, locals.actor, ref),
		notice: url.searchParams.has('submitted')
			? 'La demande a été soumise à la coordination.'
			: url.searchParams.has('saved')
				? 'La demande a été enregistrée.'
				: null
	};
};

export const actions: Actions = {
	submit: async ({ locals, url, params }) => {
		requireUser(locals, url);
		const { ref } = await loadCase(locals, params.caseId);
		await ensure(canEditCase(locals.actor, ref));
		const result = await submitCase(params.caseId, locals.audit);
		if (!result.ok) return fail(400, { action: 'submit', errors: { form: result.message } });
		redirect(303, `/cases/${params.caseId}?submitted=1`);
	},
	withdraw: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { ref } = await loadCase(locals, params.caseId);
		await ensure(canWithdrawCase(locals.actor, ref));
		const parsed = parseForm(withdrawSchema, await request.formData());
		if (!parsed.ok)
			return fail(400, { action: 'withdraw', values: parsed.values, errors: parsed.errors });
		const result = await withdrawCase(params.caseId, parsed.data.reason, locals.audit);
		if (!result.ok) return fail(400, { action: 'withdraw', errors: { form: result.message } });
		return { action: 'withdraw', success: 'Le dossier est retiré.' };
	},
	upload: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { ref } = await loadCase(locals, params.caseId);
		await ensure(canAddCaseDocument(locals.actor, ref));
		let form: FormData;
		try {
			form = await request.formData();
		} catch {
			return fail(413, {
				action: 'upload',
				errors: {
					file: 'Le fichier n’a pas pu être reçu : il dépasse sans doute la taille maximale de 20 Mo.'
				}
			});
		}
		const values = safeValues(readForm(form));
		const meta = documentMetaSchema.safeParse(values);
		if (!meta.success)
			return fail(400, { action: 'upload', values, errors: toFieldErrors(meta.error) });
		const file = form.get('file');
		const result = await addCaseDocument(
			{ caseId: params.caseId, file: file instanceof File ? file : null, ...meta.data },
			locals.audit
		);
		if (!result.ok) return fail(400, { action: 'upload', values, errors: result.errors });
		return { action: 'upload', success: 'Le document est joint au dossier.' };
	},
	deleteDocument: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { caseRow, ref } = await loadCase(locals, params.caseId);
		// Who may remove documents of this case at all, before the document is even looked up.
		await ensure(canAddCaseDocument(locals.actor, ref));
		const id = (await request.formData()).get('documentId');
		const doc = typeof id === 'string' ? await getCaseDocument(params.caseId, id) : undefined;
		if (!doc)
			return fail(400, {
				action: 'deleteDocument',
				errors: { form: 'Ce document n’existe plus.' }
			});
		await ensure(canRemoveCaseDocument(locals.actor, ref, doc.uploadedBy));
		await removeCaseDocument(doc, caseRow.patientId, locals.audit);
		return {
			action: 'deleteDocument',
			success: `Le document « ${doc.fileName} » est retiré du dossier.`
		};
	},
	identity: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { caseRow, ref } = await loadCase(locals, params.caseId);
		await ensure(canEditCase(locals.actor, ref));
		const parsed = parseForm(identityUpdateSchema, await request.formData());
		if (!parsed.ok)
			return fail(400, { action: 'identity', values: parsed.values, errors: parsed.errors });
		const result = await updatePatientIdentity(caseRow.patientId, parsed.data, locals.audit, {
			caseId: caseRow.id
		});
		if (!result.ok)
			return fail(400, { action: 'identity', values: parsed.values, errors: result.errors });
		return { action: 'identity', success: 'L’identité du patient est mise à jour.' };
	}
};
