import { fail } from '@sveltejs/kit';
import { parseRppsCodes } from '$lib/domain/specialties';
import { canAdminister } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { getSpecialtyRow, updateSpecialty } from '$lib/server/specialties';
import { parseForm } from '$lib/validation/form';
import { specialtySchema } from '$lib/validation/referentials';
import type { Actions, PageServerLoad } from './$types';

async function find(code: string) {
	return (await getSpecialtyRow(code)) ?? notFound('Cette spécialité n’existe pas.');
}

export const load: PageServerLoad = async ({ params, locals }) => {
	await ensure(canAdminister(locals.actor));
	return { specialty: await find(params.code) };
};

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		await ensure(canAdminister(locals.actor));
		const row = await find(params.code);
		const parsed = parseForm(specialtySchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const rpps = parseRppsCodes(parsed.data.rppsCodes);
		if (!rpps.ok) return fail(400, { values: parsed.values, errors: { rppsCodes: rpps.error } });
		if (row.code === 'general_practice' && parsed.data.countsTowardQuorum)
			return fail(400, {
				values: parsed.values,
				errors: {
					countsTowardQuorum:
						'Les médecins généralistes sont invités et ne comptent pas pour le quorum (référentiel INCa).'
				}
			});
		await updateSpecialty(row.code, { ...parsed.data, rppsCodes: rpps.codes }, locals.audit);
		return { success: 'La spécialité a été enregistrée.' };
	}
};
