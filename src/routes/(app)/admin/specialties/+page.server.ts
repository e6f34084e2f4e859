import { fail } from '@sveltejs/kit';
import { checkNewSpecialtyCode, parseRppsCodes } from '$lib/domain/specialties';
import { canAdminister } from '$lib/server/auth/access';
import { ensure } from '$lib/server/guard';
import { countUsersBySpecialty, createSpecialty, listSpecialtyRows } from '$lib/server/specialties';
import { parseForm } from '$lib/validation/form';
import { specialtyCreateSchema } from '$lib/validation/referentials';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	await ensure(canAdminister(locals.actor));
	const counts = await countUsersBySpecialty();
	return {
		specialties: (await listSpecialtyRows()).map((s) => ({ ...s, users: counts.get(s.code) ?? 0 }))
	};
};

export const actions: Actions = {
	create: async ({ request, locals }) => {
		await ensure(canAdminister(locals.actor));
		const parsed = parseForm(specialtyCreateSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const code = checkNewSpecialtyCode(parsed.data.code);
		if (!code.ok) return fail(400, { values: parsed.values, errors: { code: code.error } });
		const rpps = parseRppsCodes(parsed.data.rppsCodes);
		if (!rpps.ok) return fail(400, { values: parsed.values, errors: { rppsCodes: rpps.error } });
		const { label, category, countsTowardQuorum } = parsed.data;
		await createSpecialty(
			code.code,
			{ label, category, countsTowardQuorum, active: true, rppsCodes: rpps.codes },
			locals.audit
		);
		return { success: `La spécialité « ${label} » a été ajoutée.` };
	}
};
