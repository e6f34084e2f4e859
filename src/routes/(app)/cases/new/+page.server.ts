import { error, fail, redirect } from '@sveltejs/kit';
import type { Cim10Organ } from '$lib/domain/cim10';
import { getCaseFormKind } from '$lib/domain/case-forms';
import { getPathwayDefinition } from '$lib/domain/pathways';
import { canSubmitCase } from '$lib/server/auth/access';
import { recordAudit, recordDenied } from '$lib/server/audit';
import { listRequestableMeetings, saveCaseRequest } from '$lib/server/cases';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import {
	canActorSeePatient,
	getPatient,
	insMatchesPatient,
	searchPatients,
	toPatientSummary,
	type PatientSummary
} from '$lib/server/patients';
import { getPathway, listPathways } from '$lib/server/pathways';
import { parseCaseRequest, patientSearchSchema } from '$lib/validation/cases';
import { readForm, safeValues, toFieldErrors } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

function activePathway(id: string | null) {
	const p = id ? getPathway(id) : undefined;
	return p && p.active ? p : notFound('Cette filière n’existe pas ou n’accepte plus de demandes.');
}

const ROUTE = '/(app)/cases/new';
const UNKNOWN_PATIENT = 'Ce patient est introuvable.';

interface PatientRequest {
	locals: App.Locals;
	/** The entry point asking, for the audit trail (`load`, `action:save`…). */
	entry: string;
	/** The INS typed in the form, when the patient came from the duplicate warning. */
	typedIns: unknown;
}

/**
 * The patient pre-selected for the request, or null when none was asked. Only a patient the
 * actor may already see (one of its cases is theirs to view), or the one whose exact INS they
 * typed (the duplicate warning offered it); anything else is a 404 — whether the patient
 * exists is itself a secret — and the refusal is audited.
 */
function choosePatient(id: unknown, ask: PatientRequest): PatientSummary | null {
	if (id === null || id === undefined || id === '') return null;
	const p = typeof id === 'string' && /^[\w-]{1,64}$/.test(id) ? getPatient(id) : undefined;
	const allowed =
		p !== undefined &&
		(canActorSeePatient(ask.locals.actor, p.id) || insMatchesPatient(ask.typedIns, p));
	if (!p || !allowed) {
		recordDenied(ask.locals.audit, {
			route: ROUTE,
			entry: ask.entry,
			objectType: 'patient',
			objectId: typeof id === 'string' ? id.slice(0, 64) : null,
			status: 404,
			reason: p ? 'patient not visible to the actor' : 'unknown patient'
		});
		error(404, UNKNOWN_PATIENT);
	}
	recordAudit(ask.locals.audit, {
		action: 'patient.read',
		objectType: 'patient',
		objectId: p.id,
		patientId: p.id,
		detail: { page: 'cases.new' }
	});
	return toPatientSummary(p);
}

/**
 * The known patients a refused submission offers: those with the INS the actor typed, and
 * those with the same traits that the actor may already see. Others matching by traits only
 * are not shown (name and birth date do not open an identity): the message asks for the INS.
 */
function offerDuplicates(
	duplicates: PatientSummary[] | undefined,
	errors: Record<string, string>,
	locals: App.Locals,
	typedIns: unknown
): { duplicates: PatientSummary[] | null; errors: Record<string, string> } {
	if (!duplicates?.length) return { duplicates: null, errors };
	const shown = duplicates.filter((d) => {
		const p = getPatient(d.id);
		return (
			p !== undefined && (insMatchesPatient(typedIns, p) || canActorSeePatient(locals.actor, p.id))
		);
	});
	if (shown.length || !errors.confirmNewPatient) return { duplicates: shown, errors };
	return {
		duplicates: null,
		errors: {
			...errors,
			confirmNewPatient:
				'Un patient de même nom de naissance, même premier prénom et même date de naissance est déjà connu : saisissez son matricule INS pour lui rattacher la demande, ou confirmez qu’il s’agit d’un autre patient.'
		}
	};
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
			? { values, errors: {}, results: searchPatients(parsed.data, locals.actor, locals.audit) }
			: {
					values,
					errors: toFieldErrors(parsed.error),
					results: { patients: [], knownByIns: false }
				};
	}
	return {
		step: 'form' as const,
		pathway: {
			id: pathway.id,
			name: pathway.name,
			kind: getCaseFormKind(pathway),
			organ: (getPathwayDefinition(pathway.code)?.organ ?? null) as Cim10Organ | null
		},
		meetings: listRequestableMeetings(pathway.id).map((m) => ({ id: m.id, label: m.label })),
		search,
		chosen: choosePatient(url.searchParams.get('patient'), {
			locals,
			entry: 'load',
			typedIns: null
		})
	};
};

export const actions: Actions = {
	save: async ({ request, locals, url }) => {
		const user = requireUser(locals, url);
		ensure(canSubmitCase(locals.actor));
		const pathway = activePathway(url.searchParams.get('pathway'));
		const form = await request.formData();
		// The patient is the object of this request: checked before anything is parsed.
		const chosen = choosePatient(form.get('patientId'), {
			locals,
			entry: 'action:save',
			typedIns: form.get('ins')
		});
		const parsed = parseCaseRequest(form, getCaseFormKind(pathway));
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors, chosen });
		const result = saveCaseRequest(
			{ caseId: null, pathwayId: pathway.id, requesterId: user.id, input: parsed.data },
			locals.audit
		);
		if (!result.ok) {
			const offered = offerDuplicates(result.duplicates, result.errors, locals, form.get('ins'));
			return fail(400, {
				values: parsed.values,
				errors: offered.errors,
				duplicates: offered.duplicates,
				chosen
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
		const chosen = choosePatient(form.get('usePatient') || '-', {
			locals,
			entry: 'action:usePatient',
			typedIns: form.get('ins')
		})!;
		const values = safeValues(readForm(form));
		return { values: { ...values, patientId: chosen.id }, errors: {}, chosen };
	}
};
