import { error, fail, redirect } from '@sveltejs/kit';
import type { Cim10Organ } from '$lib/domain/cim10';
import { getCaseFormKind } from '$lib/domain/case-forms';
import { getPathwayDefinition } from '$lib/domain/pathways';
import { formatParisTime } from '$lib/domain/schedule';
import { canContinueDraft, canSubmitCase } from '$lib/server/auth/access';
import { recordAudit, recordDenied } from '$lib/server/audit';
import {
	assistRequestForm,
	attachRequestFiles,
	checkRequestFiles,
	listChosenFileNames,
	prepareBirthplace,
	requesterAsReferring
} from '$lib/server/case-request-form';
import { listRequestableMeetings, loadCaseRef, saveCaseRequest } from '$lib/server/cases';
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

async function activePathway(id: string | null) {
	const p = id ? await getPathway(id) : undefined;
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
async function choosePatient(id: unknown, ask: PatientRequest): Promise<PatientSummary | null> {
	if (id === null || id === undefined || id === '') return null;
	const p = typeof id === 'string' && /^[\w-]{1,64}$/.test(id) ? await getPatient(id) : undefined;
	const allowed =
		p !== undefined &&
		((await canActorSeePatient(ask.locals.actor, p.id)) || insMatchesPatient(ask.typedIns, p));
	if (!p || !allowed) {
		await recordDenied(ask.locals.audit, {
			route: ROUTE,
			entry: ask.entry,
			objectType: 'patient',
			objectId: typeof id === 'string' ? id.slice(0, 64) : null,
			status: 404,
			reason: p ? 'patient not visible to the actor' : 'unknown patient'
		});
		error(404, UNKNOWN_PATIENT);
	}
	await recordAudit(ask.locals.audit, {
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
async function offerDuplicates(
	duplicates: PatientSummary[] | undefined,
	errors: Record<string, string>,
	locals: App.Locals,
	typedIns: unknown
): Promise<{ duplicates: PatientSummary[] | null; errors: Record<string, string> }> {
	if (!duplicates?.length) return { duplicates: null, errors };
	const shown: PatientSummary[] = [];
	for (const d of duplicates) {
		const p = await getPatient(d.id);
		if (p && (insMatchesPatient(typedIns, p) || (await canActorSeePatient(locals.actor, p.id))))
			shown.push(d);
	}
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

/**
 * The draft this page already saved as the doctor typed (autosave): its own draft request in
 * this pathway, or a 403. Null when the form names none.
 */
async function ownDraft(id: unknown, locals: App.Locals, pathwayId: string) {
	if (id === null || id === undefined || id === '') return null;
	const found = typeof id === 'string' && /^[\w-]{1,64}$/.test(id) ? await loadCaseRef(id) : null;
	await ensure(
		found !== null && canContinueDraft(locals.actor, found.ref, pathwayId),
		'Ce brouillon ne peut plus être modifié ici.'
	);
	return found!.caseRow;
}

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	await ensure(
		canSubmitCase(locals.actor),
		'Seuls les professionnels de santé inscrits peuvent demander une RCP.'
	);
	const pathwayId = url.searchParams.get('pathway');
	if (!pathwayId) {
		return {
			step: 'pathway' as const,
			pathways: (await listPathways())
				.filter((p) => p.active)
				.map((p) => ({ id: p.id, name: p.name }))
		};
	}
	const pathway = await activePathway(pathwayId);
	let search: {
		values: Record<string, string>;
		errors: Record<string, string>;
		results: Awaited<ReturnType<typeof searchPatients>>;
	} | null = null;
	if (url.searchParams.has('sIns') || url.searchParams.has('sName')) {
		const values = {
			ins: url.searchParams.get('sIns') ?? '',
			name: url.searchParams.get('sName') ?? '',
			birthDate: url.searchParams.get('sBirth') ?? ''
		};
		const parsed = patientSearchSchema.safeParse(values);
		search = parsed.success
			? {
					values,
					errors: {},
					results: await searchPatients(parsed.data, locals.actor, locals.audit)
				}
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
		meetings: (await listRequestableMeetings(pathway.id)).map((m) => ({
			id: m.id,
			label: m.label
		})),
		// The requester is the referring doctor unless they change it.
		defaults: {
			meetingChoice: 'next',
			birthplaceWhere: 'france',
			...(await requesterAsReferring(user.id))
		},
		search,
		chosen: await choosePatient(url.searchParams.get('patient'), {
			locals,
			entry: 'load',
			typedIns: null
		})
	};
};

export const actions: Actions = {
	save: async ({ request, locals, url }) => {
		const user = requireUser(locals, url);
		await ensure(canSubmitCase(locals.actor));
		const pathway = await activePathway(url.searchParams.get('pathway'));
		const form = await request.formData();
		// The patient is the object of this request: checked before anything is parsed.
		const chosen = await choosePatient(form.get('patientId'), {
			locals,
			entry: 'action:save',
			typedIns: form.get('ins')
		});
		const draft = await ownDraft(form.get('draftCaseId'), locals, pathway.id);
		const birthplace = prepareBirthplace(form);
		const files = await checkRequestFiles(form);
		const parsed = parseCaseRequest(form, getCaseFormKind(pathway), draft?.patientId ?? null);
		const extra: Record<string, string> = {};
		if (birthplace.error) extra[birthplace.field ?? 'birthplaceName'] = birthplace.error;
		if (!files.ok) extra.documents = files.error;
		const back = {
			values: parsed.values,
			chosen,
			lookups: birthplace.choices ? { birthplace: birthplace.choices } : null,
			reselect: listChosenFileNames(form)
		};
		if (!parsed.ok || !files.ok || birthplace.error) {
			return fail(400, { ...back, errors: { ...(parsed.ok ? {} : parsed.errors), ...extra } });
		}
		const result = await saveCaseRequest(
			{
				caseId: draft?.id ?? null,
				pathwayId: pathway.id,
				requesterId: user.id,
				input: parsed.data
			},
			locals.audit
		);
		if (!result.ok) {
			const offered = await offerDuplicates(
				result.duplicates,
				result.errors,
				locals,
				form.get('ins')
			);
			return fail(400, { ...back, errors: offered.errors, duplicates: offered.duplicates });
		}
		const failed = await attachRequestFiles(result.caseId, files.files, locals.audit);
		const notice = failed.length ? '&documentsFailed=' + failed.length : '';
		redirect(303, `/cases/${result.caseId}?${result.submitted ? 'submitted' : 'saved'}=1${notice}`);
	},
	/** « Rechercher » (directory, commune) and « Choisir » without JavaScript: values kept. */
	assist: async ({ request, locals, url }) => {
		requireUser(locals, url);
		await ensure(canSubmitCase(locals.actor));
		await activePathway(url.searchParams.get('pathway'));
		const form = await request.formData();
		const chosen = await choosePatient(form.get('patientId'), {
			locals,
			entry: 'action:assist',
			typedIns: form.get('ins')
		});
		const r = await assistRequestForm(form, safeValues(readForm(form)), locals.actor);
		return { ...r, chosen, reselect: listChosenFileNames(form) };
	},
	/**
	 * The draft saved as the doctor types (JavaScript): the first save creates the draft case
	 * (and the patient, from a complete identity), the next ones update it. Answers with a
	 * status line; the page keeps what is typed either way.
	 */
	autosave: async ({ request, locals, url }) => {
		const user = requireUser(locals, url);
		await ensure(canSubmitCase(locals.actor));
		const pathway = await activePathway(url.searchParams.get('pathway'));
		const form = await request.formData();
		form.set('intent', 'draft');
		const draft = await ownDraft(form.get('draftCaseId'), locals, pathway.id);
		if (!draft) {
			await choosePatient(form.get('patientId'), {
				locals,
				entry: 'action:autosave',
				typedIns: form.get('ins')
			});
		}
		prepareBirthplace(form);
		const parsed = parseCaseRequest(form, getCaseFormKind(pathway), draft?.patientId ?? null);
		const notSaved = (why: string) => ({
			autosave: { saved: false, message: `Brouillon non enregistré : ${why}` }
		});
		if (!parsed.ok) {
			return notSaved('un champ est à corriger (voir « Enregistrer le brouillon »).');
		}
		const result = await saveCaseRequest(
			{
				caseId: draft?.id ?? null,
				pathwayId: pathway.id,
				requesterId: user.id,
				input: parsed.data
			},
			locals.audit
		);
		if (!result.ok) {
			return notSaved(
				result.duplicates?.length
					? 'un patient semblable est déjà connu ; utilisez « Enregistrer le brouillon » pour le vérifier.'
					: 'un champ est à corriger (voir « Enregistrer le brouillon »).'
			);
		}
		const saved = (await loadCaseRef(result.caseId))!.caseRow;
		const p = (await getPatient(saved.patientId))!;
		return {
			autosave: {
				saved: true,
				caseId: result.caseId,
				patient: toPatientSummary(p),
				message: `Brouillon enregistré à ${formatParisTime(new Date())}`
			}
		};
	},
	/** Keeps everything typed and switches to a known patient the duplicate warning offered. */
	usePatient: async ({ request, locals, url }) => {
		requireUser(locals, url);
		await ensure(canSubmitCase(locals.actor));
		await activePathway(url.searchParams.get('pathway'));
		const form = await request.formData();
		const chosen = (await choosePatient(form.get('usePatient') || '-', {
			locals,
			entry: 'action:usePatient',
			typedIns: form.get('ins')
		}))!;
		const values = safeValues(readForm(form));
		return { values: { ...values, patientId: chosen.id }, errors: {}, chosen };
	}
};
