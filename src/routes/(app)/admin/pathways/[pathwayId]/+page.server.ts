import { fail } from '@sveltejs/kit';
import { validateQuorumRule } from '$lib/domain/quorum';
import { checkRcpProfile, findLooserFields, getDefaultQuorumRule } from '$lib/domain/rcp-types';
import { listSpecialtyEntries } from '$lib/domain/specialties';
import { canAdminister } from '$lib/server/auth/access';
import { listEstablishments } from '$lib/server/establishments';
import { ensure, notFound } from '$lib/server/guard';
import {
	archivePathway,
	getPathway,
	listPathwayEstablishmentIds,
	listPathwayMembers,
	restorePathway,
	setPathwayRole,
	updatePathway
} from '$lib/server/pathways';
import { formatPersonName, listUsers } from '$lib/server/users';
import { parseForm } from '$lib/validation/form';
import { pathwayEditSchema, pathwayRolesSchema } from '$lib/validation/referentials';
import type { Actions, PageServerLoad } from './$types';

async function find(id: string) {
	return (await getPathway(id)) ?? notFound('Cette RCP n’existe pas.');
}

export const load: PageServerLoad = async ({ params, locals, url }) => {
	await ensure(canAdminister(locals.actor));
	const pathway = await find(params.pathwayId);
	return {
		pathway,
		created: url.searchParams.has('created'),
		defaultRule: getDefaultQuorumRule(pathway),
		establishmentIds: await listPathwayEstablishmentIds(pathway.id),
		establishments: (await listEstablishments()).map((e) => ({
			id: e.id,
			name: e.name,
			finess: e.finess
		})),
		members: await listPathwayMembers(pathway.id),
		people: (await listUsers())
			.filter((u) => u.disabledAt === null)
			.map((u) => ({ id: u.id, name: formatPersonName(u), specialty: u.specialty })),
		specialties: listSpecialtyEntries()
			.filter((s) => s.active && s.code !== 'general_practice')
			.map((s) => ({ code: s.code, label: s.label, countsTowardQuorum: s.countsTowardQuorum }))
	};
};

/** The per-specialty choice of the rule table: `rule:<code>` = required / recommended / empty. */
function readRuleChoices(form: FormData): { required: string[]; recommended: string[] } {
	const required: string[] = [];
	const recommended: string[] = [];
	for (const [key, value] of form.entries()) {
		if (!key.startsWith('rule:') || typeof value !== 'string') continue;
		const code = key.slice(5);
		if (value === 'required') required.push(code);
		else if (value === 'recommended') recommended.push(code);
	}
	return { required, recommended };
}

export const actions: Actions = {
	save: async ({ request, params, locals }) => {
		await ensure(canAdminister(locals.actor));
		await find(params.pathwayId);
		const form = await request.formData();
		const parsed = parseForm(pathwayEditSchema, form);
		const choices = readRuleChoices(form);
		const values = { ...parsed.values, ...choices };
		if (!parsed.ok) return fail(400, { values, errors: parsed.errors });
		const d = parsed.data;
		const checked = checkRcpProfile(d);
		if (!checked.ok) return fail(400, { values, errors: checked.errors });
		const rule = validateQuorumRule({
			requiredSpecialties: choices.required,
			recommendedSpecialties: choices.recommended,
			minDistinctSpecialties: d.minDistinctSpecialties,
			countedSpecialties: d.countedSpecialties.length ? d.countedSpecialties : null
		});
		if (!rule.ok) return fail(400, { values, errors: { requiredSpecialties: rule.error } });
		const looser = findLooserFields(rule.rule, getDefaultQuorumRule(checked.profile));
		if (Object.keys(looser).length > 0) return fail(400, { values, errors: looser });
		const known = new Set((await listEstablishments()).map((e) => e.id));
		if (d.establishmentIds.some((id) => !known.has(id)))
			return fail(400, {
				values,
				errors: { establishmentIds: 'Choisissez des établissements du réseau.' }
			});
		await updatePathway(
			params.pathwayId,
			{
				...checked.profile,
				name: d.name,
				clinicalForm: d.clinicalForm,
				quorumRule: rule.rule,
				submissionDeadlineHours: d.submissionDeadlineHours,
				freshnessDays: d.freshnessDays,
				presenceGraceSeconds: d.presenceGraceSeconds,
				active: d.active,
				establishmentIds: d.establishmentIds
			},
			locals.audit
		);
		return { success: 'La RCP a été enregistrée.' };
	},

	roles: async ({ request, params, locals }) => {
		await ensure(canAdminister(locals.actor));
		await find(params.pathwayId);
		const parsed = parseForm(pathwayRolesSchema, await request.formData());
		if (!parsed.ok) return fail(400, { rolesValues: parsed.values, rolesErrors: parsed.errors });
		const known = new Set(
			(await listUsers()).filter((u) => u.disabledAt === null).map((u) => u.id)
		);
		const { coordinators, chairs } = parsed.data;
		if ([...coordinators, ...chairs].some((id) => !known.has(id)))
			return fail(400, {
				rolesValues: parsed.values,
				rolesErrors: { coordinators: 'Choisissez des comptes actifs.' }
			});
		await setPathwayRole(params.pathwayId, 'coordinator', [...new Set(coordinators)], locals.audit);
		await setPathwayRole(params.pathwayId, 'chair', [...new Set(chairs)], locals.audit);
		return { rolesSuccess: 'Les coordonnateurs et présidents ont été enregistrés.' };
	},

	archive: async ({ params, locals }) => {
		await ensure(canAdminister(locals.actor));
		await find(params.pathwayId);
		const result = await archivePathway(params.pathwayId, locals.audit);
		if (!result.ok) return fail(409, { archiveError: result.message });
		return { success: 'La RCP a été archivée : elle n’accepte plus de demandes.' };
	},

	restore: async ({ params, locals }) => {
		await ensure(canAdminister(locals.actor));
		await find(params.pathwayId);
		await restorePathway(params.pathwayId, locals.audit);
		return { success: 'La RCP a été rétablie.' };
	}
};
