import { fail } from '@sveltejs/kit';
import { caseStatuses, isCaseStatus, type CaseStatus } from '$lib/domain/case-status';
import { canCoordinate, canScheduleCase } from '$lib/server/auth/access';
import { loadCaseRef } from '$lib/server/cases';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getPathway } from '$lib/server/pathways';
import {
	countWorklist,
	listSchedulableMeetings,
	listWorklist,
	refuseCase,
	scheduleCase
} from '$lib/server/worklist';
import { acceptSchema, refuseSchema } from '$lib/validation/cases';
import { parseForm } from '$lib/validation/form';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

function loadPathway(locals: App.Locals, pathwayId: string) {
	const pathway = getPathway(pathwayId) ?? notFound('Cette filière n’existe pas.');
	ensure(
		canCoordinate(locals.actor, pathway.id),
		'La liste de travail est réservée à la coordination de la filière.'
	);
	return pathway;
}

/** The case, checked against the policy: it must belong to this pathway's coordination. */
function ensureSchedulable(locals: App.Locals, caseId: string, pathwayId: string): void {
	const found = loadCaseRef(caseId);
	if (!found || found.caseRow.pathwayId !== pathwayId)
		notFound('Ce dossier n’existe pas dans cette filière.');
	ensure(canScheduleCase(locals.actor, found.ref));
}

export const load: PageServerLoad = ({ locals, url, params }) => {
	requireUser(locals, url);
	const pathway = loadPathway(locals, params.pathwayId);
	const asked = url.searchParams.get('status') ?? 'submitted';
	const status: CaseStatus = isCaseStatus(asked) ? asked : 'submitted';
	const now = new Date();
	return {
		pathway: { id: pathway.id, name: pathway.name, deadlineHours: pathway.submissionDeadlineHours },
		status,
		statuses: caseStatuses.filter((s) => s !== 'delivered'),
		counts: countWorklist(pathway.id),
		meetings: listSchedulableMeetings(pathway.id, now),
		lines: listWorklist(pathway.id, status, locals.audit, now)
	};
};

async function schedule(event: RequestEvent, mode: 'accept' | 'move') {
	const { request, locals, url, params } = event;
	requireUser(locals, url);
	const pathway = loadPathway(locals, params.pathwayId);
	const parsed = parseForm(acceptSchema, await request.formData());
	const caseId = typeof parsed.values.caseId === 'string' ? parsed.values.caseId : null;
	if (!parsed.ok)
		return fail(400, { action: mode, caseId, values: parsed.values, errors: parsed.errors });
	ensureSchedulable(locals, parsed.data.caseId, pathway.id);
	const result = await scheduleCase(
		{
			caseId: parsed.data.caseId,
			pathwayId: pathway.id,
			meetingId: parsed.data.meetingId!,
			late: parsed.data.late,
			overrideReason: parsed.data.overrideReason
		},
		mode,
		locals.audit
	);
	if (!result.ok)
		return fail(400, { action: mode, caseId, values: parsed.values, errors: result.errors });
	return {
		action: mode,
		caseId,
		success:
			mode === 'accept'
				? `Le dossier est inscrit à l’ordre du jour${result.late ? ' (hors délai)' : ''}.`
				: `Le dossier est déplacé${result.late ? ' (hors délai)' : ''}.`
	};
}

export const actions: Actions = {
	accept: (event) => schedule(event, 'accept'),
	move: (event) => schedule(event, 'move'),
	refuse: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const pathway = loadPathway(locals, params.pathwayId);
		const parsed = parseForm(refuseSchema, await request.formData());
		const caseId = typeof parsed.values.caseId === 'string' ? parsed.values.caseId : null;
		if (!parsed.ok)
			return fail(400, { action: 'refuse', caseId, values: parsed.values, errors: parsed.errors });
		ensureSchedulable(locals, parsed.data.caseId, pathway.id);
		const result = await refuseCase(
			parsed.data.caseId,
			pathway.id,
			parsed.data.reason,
			locals.audit
		);
		if (!result.ok)
			return fail(400, {
				action: 'refuse',
				caseId,
				values: parsed.values,
				errors: { form: result.message }
			});
		return {
			action: 'refuse',
			caseId,
			success: 'La demande est refusée ; le demandeur en est informé.'
		};
	}
};
