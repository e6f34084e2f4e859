import { fail, redirect } from '@sveltejs/kit';
import {
	checkRcpProfile,
	getDefaultClinicalForm,
	getDefaultQuorumRule
} from '$lib/domain/rcp-types';
import { canAdminister } from '$lib/server/auth/access';
import { listEstablishments } from '$lib/server/establishments';
import { ensure } from '$lib/server/guard';
import { createPathway, listPathwaysForAdmin } from '$lib/server/pathways';
import { parseForm } from '$lib/validation/form';
import { pathwayCreateSchema } from '$lib/validation/referentials';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	await ensure(canAdminister(locals.actor));
	return {
		pathways: await listPathwaysForAdmin(),
		establishmentCount: (await listEstablishments()).length
	};
};

export const actions: Actions = {
	/** Step one: the profile fixes the référentiel's rule; the rest is set on the RCP's page. */
	create: async ({ request, locals }) => {
		await ensure(canAdminister(locals.actor));
		const parsed = parseForm(pathwayCreateSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const { code, name, ...rest } = parsed.data;
		const checked = checkRcpProfile(rest);
		if (!checked.ok) return fail(400, { values: parsed.values, errors: checked.errors });
		const profile = checked.profile;
		const result = await createPathway(
			code,
			{
				...profile,
				name,
				clinicalForm: getDefaultClinicalForm(profile.area),
				quorumRule: getDefaultQuorumRule(profile),
				submissionDeadlineHours: 48,
				freshnessDays: profile.area === 'heart_failure' ? 180 : 90,
				// Opened to requests once the admin has checked its settings and people.
				active: false,
				establishmentIds: []
			},
			locals.audit
		);
		if (!result.ok)
			return fail(400, { values: parsed.values, errors: { [result.field]: result.message } });
		redirect(303, `/admin/pathways/${result.id}?created=1`);
	}
};
