import { fail } from '@sveltejs/kit';
import { validateQuorumRule } from '$lib/domain/quorum';
import { notFound } from '$lib/server/guard';
import { getPathway, listPathwayMembers, updatePathway } from '$lib/server/pathways';
import { pathwaySchema } from '$lib/validation/admin';
import { parseForm } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

function find(id: string) {
	return getPathway(id) ?? notFound('Cette filière n’existe pas.');
}

export const load: PageServerLoad = ({ params }) => ({
	pathway: find(params.pathwayId),
	members: listPathwayMembers(params.pathwayId)
});

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		find(params.pathwayId);
		const parsed = parseForm(pathwaySchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const { requiredSpecialties, countedSpecialties, minDistinctSpecialties, ...rest } =
			parsed.data;
		const rule = validateQuorumRule({
			requiredSpecialties,
			minDistinctSpecialties,
			countedSpecialties: countedSpecialties.length ? countedSpecialties : null
		});
		if (!rule.ok)
			return fail(400, { values: parsed.values, errors: { requiredSpecialties: rule.error } });
		updatePathway(params.pathwayId, { ...rest, quorumRule: rule.rule }, locals.audit);
		return { success: 'La filière a été enregistrée.' };
	}
};
