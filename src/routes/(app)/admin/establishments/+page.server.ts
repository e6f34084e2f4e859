import { fail } from '@sveltejs/kit';
import { canAdminister } from '$lib/server/auth/access';
import { listEstablishments, saveEstablishment } from '$lib/server/establishments';
import { ensure } from '$lib/server/guard';
import { parseForm } from '$lib/validation/form';
import { establishmentInputSchema } from '$lib/validation/referentials';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	await ensure(canAdminister(locals.actor));
	return { establishments: await listEstablishments() };
};

export const actions: Actions = {
	create: async ({ request, locals }) => {
		await ensure(canAdminister(locals.actor));
		const parsed = parseForm(establishmentInputSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = await saveEstablishment(null, parsed.data, locals.audit);
		if (!result.ok)
			return fail(400, { values: parsed.values, errors: { [result.field]: result.message } });
		return { success: 'L’établissement a été ajouté.' };
	}
};
