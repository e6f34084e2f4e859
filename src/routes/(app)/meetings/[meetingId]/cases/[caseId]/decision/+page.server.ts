import { fail, redirect } from '@sveltejs/kit';
import { getProposalTypes, type PathwayKind } from '$lib/domain/pathways';
import { describeMissingRecommended, describeQuorum, evaluateQuorum } from '$lib/domain/quorum';
import { listQuorumAttendees, listQuorumOpinions } from '$lib/server/attendance';
import { recordAudit } from '$lib/server/audit';
import { canAmendDecision, canReadDecision, canWriteDecision } from '$lib/server/auth/access';
import { loadCaseRef } from '$lib/server/cases';
import { getLatestDecision } from '$lib/server/decisions';
import { submitDraft, submitValidation } from '$lib/server/live/decision-form';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getMeeting } from '$lib/server/meetings';
import { getPathway } from '$lib/server/pathways';
import { describePatient, getPatient } from '$lib/server/patients';
import { amendFormSchema, decisionFormSchema } from '$lib/validation/decisions';
import { parseForm, readForm, safeValues } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';
import { amendDecision } from '$lib/server/decision-amendment';

/** The case on this meeting's agenda, or 404. */
async function loadCase(meetingId: string, caseId: string) {
	const found = await loadCaseRef(caseId);
	if (!found || found.caseRow.meetingId !== meetingId) {
		notFound('Ce dossier n’est pas à l’ordre du jour de cette séance.');
	}
	return found;
}

/** The fields' own errors when there are some (the summary lists and links them), else the message. */
function withMessage(errors: Record<string, string> | undefined, message: string) {
	return errors && Object.keys(errors).length ? errors : { form: message };
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const { caseRow, ref } = await loadCase(params.meetingId, params.caseId);
	const latest = await getLatestDecision(caseRow.id);
	const canWrite = canWriteDecision(locals.actor, ref);
	const canAmend = canAmendDecision(locals.actor, ref) && latest?.status === 'validated';
	await ensure(
		canWrite || canAmend || canReadDecision(locals.actor, ref, latest?.status ?? 'draft'),
		'Vous n’avez pas accès à la proposition de ce dossier.'
	);
	const meeting = (await getMeeting(params.meetingId))!;
	const pathway = (await getPathway(caseRow.pathwayId))!;
	const patient = (await getPatient(caseRow.patientId))!;
	const quorum = evaluateQuorum(
		pathway.quorumRule,
		await listQuorumAttendees(meeting.id),
		await listQuorumOpinions(caseRow.id)
	);
	await recordAudit(locals.audit, {
		action: 'decision.form',
		objectType: 'rcp_case',
		objectId: caseRow.id,
		patientId: caseRow.patientId
	});
	return {
		meeting: { id: meeting.id, startsAt: meeting.startsAt, status: meeting.status },
		caseInfo: { id: caseRow.id, question: caseRow.question, status: caseRow.status },
		patient: describePatient(patient),
		pathwayName: pathway.name,
		proposalTypes: getProposalTypes(pathway.kind as PathwayKind).map((t) => ({ ...t })),
		quorum: {
			reached: quorum.reached,
			text: describeQuorum(quorum),
			// Recommended specialties missing (INCa 2023): a warning, recorded with the decision.
			warning: describeMissingRecommended(quorum)
		},
		decision: latest
			? {
					version: latest.version,
					status: latest.status,
					proposalTypes: latest.proposalTypes,
					text: latest.text,
					conformity: latest.conformity,
					justification: latest.justification,
					trialProposed: latest.trialProposed,
					trialName: latest.trialName,
					followUp: latest.followUp,
					updatedAt: latest.updatedAt,
					validatedAt: latest.validatedAt,
					sameMeeting: latest.meetingId === meeting.id,
					revision: latest.draftRevision
				}
			: null,
		canWrite,
		canAmend,
		noticeKind: url.searchParams.has('provisional') ? ('warning' as const) : ('success' as const),
		notice: url.searchParams.has('validated')
			? 'La proposition thérapeutique est validée : elle part vers le dossier patient et les médecins.'
			: url.searchParams.has('provisional')
				? 'Avis provisoire enregistré : le quorum n’étant pas atteint, le dossier sera représenté à la prochaine séance.'
				: url.searchParams.has('amended')
					? 'L’amendement est enregistré et sera transmis de nouveau.'
					: null
	};
};

export const actions: Actions = {
	/** Draft save: the autosave while typing, or the button without JavaScript. */
	save: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { ref } = await loadCase(params.meetingId, params.caseId);
		await ensure(
			canWriteDecision(locals.actor, ref),
			'Seul le président de séance rédige la proposition.'
		);
		return submitDraft(request, params.meetingId, params.caseId, locals.audit);
	},
	/** Two steps: what will be recorded (quorum evaluated now, on the server), then confirm. */
	validate: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { ref } = await loadCase(params.meetingId, params.caseId);
		await ensure(
			canWriteDecision(locals.actor, ref),
			'Seul le président de séance valide la proposition.'
		);
		const result = await submitValidation(request, params.meetingId, params.caseId, locals.audit);
		if ('kind' in result && result.kind === 'recorded') {
			redirect(
				303,
				`${url.pathname}?${result.outcome === 'validated' ? 'validated' : 'provisional'}=1`
			);
		}
		return result;
	},
	amend: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const { ref } = await loadCase(params.meetingId, params.caseId);
		await ensure(
			canAmendDecision(locals.actor, ref),
			'Seul le président de séance amende la proposition.'
		);
		const form = await request.formData();
		const parsed = parseForm(decisionFormSchema, form);
		const reason = amendFormSchema.safeParse(readForm(form));
		const values = safeValues(readForm(form));
		if (!parsed.ok) return fail(400, { action: 'amend', values, errors: parsed.errors });
		const result = await amendDecision(
			params.caseId,
			parsed.data,
			reason.success ? reason.data.reason : null,
			locals.audit
		);
		if (!result.ok) {
			const errors = result.message.includes('motif')
				? { reason: result.message }
				: withMessage(result.errors, result.message);
			return fail(result.code === 'invalid' ? 400 : 409, { action: 'amend', values, errors });
		}
		redirect(303, `${url.pathname}?amended=1`);
	}
};
