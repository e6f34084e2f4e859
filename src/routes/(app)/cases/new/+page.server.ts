import { fail, redirect } from '@sveltejs/kit';
import type { Cim10Organ } from '$lib/domain/cim10';
import { getPathwayDefinition } from '$lib/domain/pathways';
import { canSubmitCase } from '$lib/server/auth/access';
import { recordAudit } from '$lib/server/audit';
import { listRequestableMeetings, saveCaseRequest } from '$lib/server/cases';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getPatient, searchPatients, toPatientSummary } from '$lib/server/patients';
import { getPathway, listPathways } from '$lib/server/pathways';
import { parseCaseRequest, patientSearchSchema } from '$lib/validation/cases';
import { readForm, safeValues, toFieldErrors } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

function activePathway(id: string | null) {
	const p = id ? getPathway(id) : undefined;
	return p && p.active ? p : notFound('Cette filière n’existe pas ou n’accepte plus de demandes.');
}

function chosenPatient(id: string | null | undefined, audit: App.Locals['audit']) {
	const p = id ? getPatient(id) : undefined;
	if (!p) return null;
	recordAudit(audit, {
		action: 'patient.read',
		objectType: 'patient',
		objectId: p.id,
		patientId: p.id,
		detail: { page: 'cases.new' }
	});
	return toPatientSummary(p);
}

export const load: PageServerLoad = ({ locals, url }) => {
	requireUser(locals, url);
	ensure(
		canSubmitCase(locals.actor),
		'Seuls les professionnels de santé inscrits peuvent demander une RCP.'
	);
	const pathwayId = url.searchParams.get('pathway');
	if (!pathwayId) {
		return {
			step: 'pathway' as const,
			pathways: listPathways()
				.filter((p) => p.active)
				.map((p) => ({ id: p.id, name: p.name }))
		};
	}
	const pathway = activePathway(pathwayId);
	let search: {
		values: Record<string, string>;
		errors: Record<string, string>;
		results: ReturnType<typeof searchPatients>;
	} | null = null;
	if (url.searchParams.has('sIns') || url.searchParams.has('sName')) {
		const values = {
			ins: url.searchParams.get('sIns') ?? '',
			name: url.searchParams.get('sName') ?? '',
			birthDate: url.searchParams.get('sBirth') ?? ''
		};
		const parsed = patientSearchSchema.safeParse(values);
		search = parsed.success
			? { values, errors: {}, results: searchPatients(parsed.data, locals.audit) }
			: { values, errors: toFieldErrors(parsed.error), results: [] };
	}
	return {
		step: 'form' as const,
		pathway: {
			id: pathway.id,
			name: pathway.name,
			kind: pathway.kind,
			organ: (getPathwayDefinition(pathway.code)?.organ ?? null) as Cim10Organ | null
		},
		meetings: listRequestableMeetings(pathway.id).map((m) => ({ id: m.id, label: m.label })),
		search,
		chosen: chosenPatient(url.searchParams.get('patient'), locals.audit)
	};
};

export const actions: Actions = {
	save: async ({ request, locals, url }) => {
		const user = requireUser(locals, url);
		ensure(canSubmitCase(locals.actor));
		const pathway = activePathway(url.searchParams.get('pathway'));
		const form = await request.formData();
		const parsed = parseCaseRequest(form, pathway.kind);
		const chosen = () => chosenPatient(form.get('patientId') as string | null, locals.audit);
		if (!parsed.ok)
			return fail(400, { values: parsed.values, errors: parsed.errors, chosen: chosen() });
		const result = saveCaseRequest(
			{ caseId: null, pathwayId: pathway.id, requesterId: user.id, input: parsed.data },
			locals.audit
		);
		if (!result.ok) {
			return fail(400, {
				values: parsed.values,
				errors: result.errors,
				duplicates: result.duplicates ?? null,
				chosen: chosen()
			});
		}
		redirect(303, `/cases/${result.caseId}?${result.submitted ? 'submitted' : 'saved'}=1`);
	},
	/** Keeps everything typed and switches to a known patient the duplicate warning offered. */
	usePatient: async ({ request, locals, url }) => {
		requireUser(locals, url);
		ensure(canSubmitCase(locals.actor));
		activePathway(url.searchParams.get('pathway'));
		const form = await request.formData();
		const values = safeValues(readForm(form));
		const id = form.get('usePatient');
		const chosen = chosenPatient(typeof id === 'string' ? id : null, locals.audit);
		if (!chosen)
			return fail(400, { values, errors: { form: 'Ce patient n’existe pas.' }, chosen: null });
		return { values: { ...values, patientId: chosen.id }, errors: {}, chosen };
	}
};
