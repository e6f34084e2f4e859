import { fail } from '@sveltejs/kit';
import { listEstablishments, saveEstablishment } from '$lib/server/establishments';
import { establishmentSchema } from '$lib/validation/admin';
import { parseForm } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ establishments: listEstablishments() });

export const actions: Actions = {
	create: async ({ request, locals }) => {
		const parsed = parseForm(establishmentSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = saveEstablishment(null, parsed.data, locals.audit);
		if (!result.ok)
			return fail(400, { values: parsed.values, errors: { [result.field]: result.message } });
		return { success: 'L’établissement a été ajouté.' };
	}
};
