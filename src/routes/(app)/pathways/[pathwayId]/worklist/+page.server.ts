import { fail } from '@sveltejs/kit';
import { caseStatuses } from '$lib/domain/case-status';
import { parseWorklistQuery } from '$lib/domain/worklist-query';
import { listPresenterChoices } from '$lib/server/agenda';
import { canCoordinate } from '$lib/server/auth/access';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getPathway } from '$lib/server/pathways';
import {
	countWorklist,
	listSchedulableMeetings,
	listWorklistRequesters,
	queryWorklist
} from '$lib/server/worklist';
import {
	bulkDeferCases,
	bulkRefuseCases,
	bulkRemindRequesters,
	bulkScheduleCases,
	saveWorklistPlan
} from '$lib/server/worklist-bulk';
import { parseForm, readForm, safeValues } from '$lib/validation/form';
import {
	bulkRefuseSchema,
	bulkSchema,
	bulkScheduleSchema,
	parsePlanForm
} from '$lib/validation/worklist';
import type { Actions, PageServerLoad, RequestEvent } from './$types';

async function loadPathway(locals: App.Locals, pathwayId: string) {
	const pathway = (await getPathway(pathwayId)) ?? notFound('Cette filière n’existe pas.');
	await ensure(
		canCoordinate(locals.actor, pathway.id),
		'La liste de travail est réservée à la coordination de la filière.'
	);
	return pathway;
}

export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const pathway = await loadPathway(locals, params.pathwayId);
	const query = parseWorklistQuery(url.searchParams);
	const now = new Date();
	const lines = await queryWorklist(pathway.id, query, locals.audit, now);
	return {
		pathway: { id: pathway.id, name: pathway.name, deadlineHours: pathway.submissionDeadlineHours },
		query,
		status: query.status,
		statuses: caseStatuses.filter((s) => s !== 'delivered'),
		counts: await countWorklist(pathway.id),
		meetings: await listSchedulableMeetings(pathway.id, now),
		requesters: await listWorklistRequesters(pathway.id),
		// The pathway's doctors; each line adds its own requester (as the single page does).
		presenters: await listPresenterChoices(pathway.id, []),
		lines
	};
};

type BulkKind = 'bulkSchedule' | 'bulkDefer' | 'bulkRemind' | 'bulkRefuse';

/** A bulk action: the pathway checked first, then each case by the single action's rule. */
async function bulk(event: RequestEvent, kind: BulkKind) {
	const { request, locals, url, params } = event;
	requireUser(locals, url);
	const pathway = await loadPathway(locals, params.pathwayId);
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
		const pathway = await loadPathway(locals, params.pathwayId);
		const values = readForm(await request.formData());
		const parsed = parsePlanForm(values);
		if (!parsed.ok)
			return fail(400, { action: 'plan', values: safeValues(values), errors: parsed.errors });
		const result = await saveWorklistPlan(locals.actor, pathway.id, parsed.entries, locals.audit);
		if (!result.ok)
			return fail(400, { action: 'plan', values: safeValues(values), errors: result.errors });
		return {
			action: 'plan',
			success:
				result.changed === 0
					? 'Aucun changement à enregistrer.'
					: `Présentateurs et durées enregistrés pour ${result.changed} dossier${result.changed > 1 ? 's' : ''}.`
		};
	}
};
