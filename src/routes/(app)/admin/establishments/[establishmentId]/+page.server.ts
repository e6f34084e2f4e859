import { fail } from '@sveltejs/kit';
import { listEstablishments, saveEstablishment } from '$lib/server/establishments';
import { notFound } from '$lib/server/guard';
import { establishmentSchema } from '$lib/validation/admin';
import { parseForm } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

function find(id: string) {
	return (
		listEstablishments().find((e) => e.id === id) ?? notFound('Cet établissement n’existe pas.')
	);
}

export const load: PageServerLoad = ({ params }) => ({
	establishment: find(params.establishmentId)
});

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		find(params.establishmentId);
		const parsed = parseForm(establishmentSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = saveEstablishment(params.establishmentId, parsed.data, locals.audit);
		if (!result.ok)
			return fail(400, { values: parsed.values, errors: { [result.field]: result.message } });
		return { success: 'L’établissement a été enregistré.' };
	}
};
