import { fail } from '@sveltejs/kit';
import { canAdminister } from '$lib/server/auth/access';
import { listEstablishments, saveEstablishment } from '$lib/server/establishments';
import { ensure, notFound } from '$lib/server/guard';
import { parseForm } from '$lib/validation/form';
import { establishmentInputSchema } from '$lib/validation/referentials';
import type { Actions, PageServerLoad } from './$types';

function find(id: string) {
	return (
		listEstablishments().find((e) => e.id === id) ?? notFound('Cet établissement n’existe pas.')
	);
}

export const load: PageServerLoad = ({ params, locals }) => {
	ensure(canAdminister(locals.actor));
	const all = listEstablishments();
	return {
		establishment: find(params.establishmentId),
		legalEntities: all
			.filter((e) => e.level === 'legal_entity' && e.id !== params.establishmentId)
			.map((e) => ({ id: e.id, name: e.name, finess: e.finess }))
	};
};

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		ensure(canAdminister(locals.actor));
		find(params.establishmentId);
		const parsed = parseForm(establishmentInputSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = saveEstablishment(params.establishmentId, parsed.data, locals.audit);
		if (!result.ok)
			return fail(400, { values: parsed.values, errors: { [result.field]: result.message } });
		return { success: 'L’établissement a été enregistré.' };
	}
};
