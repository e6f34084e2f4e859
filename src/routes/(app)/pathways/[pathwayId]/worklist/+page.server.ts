import { fail } from '@sveltejs/kit';
import { caseStatuses } from '$lib/domain/case-status';
import { parseWorklistQuery } from '$lib/domain/worklist-query';
import { listPresenterChoices } from '$lib/server/agenda';
import { canCoordinate, canScheduleCase } from '$lib/server/auth/access';
import { loadCaseRef } from '$lib/server/cases';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getPathway } from '$lib/server/pathways';
import {
	countWorklist,
	listSchedulableMeetings,
	listWorklistRequesters,
	queryWorklist,
	refuseCase,
	scheduleCase
} from '$lib/server/worklist';
import {
	bulkDeferCases,
	bulkRefuseCases,
	bulkRemindRequesters,
	bulkScheduleCases,
	saveWorklistPlan
} from '$lib/server/worklist-bulk';
import { acceptSchema, refuseSchema } from '$lib/validation/cases';
import { parseForm, readForm, safeValues } from '$lib/validation/form';
import {
	bulkRefuseSchema,
	bulkSchema,
	bulkScheduleSchema,
	parsePlanForm
} from '$lib/validation/worklist';
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
	const query = parseWorklistQuery(url.searchParams);
	const now = new Date();
	const lines = queryWorklist(pathway.id, query, locals.audit, now);
	return {
		pathway: { id: pathway.id, name: pathway.name, deadlineHours: pathway.submissionDeadlineHours },
		query,
		status: query.status,
		statuses: caseStatuses.filter((s) => s !== 'delivered'),
		counts: countWorklist(pathway.id),
		meetings: listSchedulableMeetings(pathway.id, now),
		requesters: listWorklistRequesters(pathway.id),
		// The pathway's doctors; each line adds its own requester (as the single page does).
		presenters: listPresenterChoices(pathway.id, []),
		lines
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

type BulkKind = 'bulkSchedule' | 'bulkDefer' | 'bulkRemind' | 'bulkRefuse';

/** A bulk action: the pathway checked first, then each case by the single action's rule. */
async function bulk(event: RequestEvent, kind: BulkKind) {
	const { request, locals, url, params } = event;
	requireUser(locals, url);
	const pathway = loadPathway(locals, params.pathwayId);
	const form = await request.formData();
	const actor = locals.actor;
	if (kind === 'bulkSchedule') {
		const parsed = parseForm(bulkScheduleSchema, form);
		if (!parsed.ok)
			return fail(400, { action: 'bulk', values: parsed.values, errors: parsed.errors });
		const result = await bulkScheduleCases(
			actor,
			pathway.id,
			{
				caseIds: parsed.data.caseId,
				meetingId: parsed.data.meetingId!,
				late: parsed.data.late,
				overrideReason: parsed.data.overrideReason
			},
			locals.audit
		);
		if ('errors' in result)
			return fail(400, { action: 'bulk', values: parsed.values, errors: result.errors });
		return { action: 'bulk', summary: result.summary, outcomes: result.outcomes };
	}
	if (kind === 'bulkRefuse') {
		const parsed = parseForm(bulkRefuseSchema, form);
		if (!parsed.ok)
			return fail(400, { action: 'bulk', values: parsed.values, errors: parsed.errors });
		const result = await bulkRefuseCases(
			actor,
			pathway.id,
			parsed.data.caseId,
			parsed.data.reason,
			locals.audit
		);
		return { action: 'bulk', summary: result.summary, outcomes: result.outcomes };
	}
	const parsed = parseForm(bulkSchema, form);
	if (!parsed.ok)
		return fail(400, { action: 'bulk', values: parsed.values, errors: parsed.errors });
	const result = await (kind === 'bulkDefer' ? bulkDeferCases : bulkRemindRequesters)(
		actor,
		pathway.id,
		parsed.data.caseId,
		locals.audit
	);
	return { action: 'bulk', summary: result.summary, outcomes: result.outcomes };
}

export const actions: Actions = {
	bulkSchedule: (event) => bulk(event, 'bulkSchedule'),
	bulkDefer: (event) => bulk(event, 'bulkDefer'),
	bulkRemind: (event) => bulk(event, 'bulkRemind'),
	bulkRefuse: (event) => bulk(event, 'bulkRefuse'),
	plan: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		const pathway = loadPathway(locals, params.pathwayId);
		const values = readForm(await request.formData());
		const parsed = parsePlanForm(values);
		if (!parsed.ok)
			return fail(400, { action: 'plan', values: safeValues(values), errors: parsed.errors });
		const result = saveWorklistPlan(locals.actor, pathway.id, parsed.entries, locals.audit);
		if (!result.ok)
			return fail(400, { action: 'plan', values: safeValues(values), errors: result.errors });
		return {
			action: 'plan',
			success:
				result.changed === 0
					? 'Aucun changement à enregistrer.'
					: `Présentateurs et durées enregistrés pour ${result.changed} dossier${result.changed > 1 ? 's' : ''}.`
		};
	},
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
