import { fail } from '@sveltejs/kit';
import { canAdminister } from '$lib/server/auth/access';
import { listEstablishments, saveEstablishment } from '$lib/server/establishments';
import { ensure, notFound } from '$lib/server/guard';
import { parseForm } from '$lib/validation/form';
import { establishmentInputSchema } from '$lib/validation/referentials';
import type { Actions, PageServerLoad } from './$types';

async function find(id: string) {
	return (
		(await listEstablishments()).find((e) => e.id === id) ??
		notFound('Cet établissement n’existe pas.')
	);
}

export const load: PageServerLoad = async ({ params, locals }) => {
	await ensure(canAdminister(locals.actor));
	const all = await listEstablishments();
	return {
		establishment: await find(params.establishmentId),
		legalEntities: all
			.filter((e) => e.level === 'legal_entity' && e.id !== params.establishmentId)
			.map((e) => ({ id: e.id, name: e.name, finess: e.finess }))
	};
};

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		await ensure(canAdminister(locals.actor));
		await find(params.establishmentId);
		const parsed = parseForm(establishmentInputSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const result = await saveEstablishment(params.establishmentId, parsed.data, locals.audit);
		if (!result.ok)
			return fail(400, { values: parsed.values, errors: { [result.field]: result.message } });
		return { success: 'L’établissement a été enregistré.' };
	}
};
