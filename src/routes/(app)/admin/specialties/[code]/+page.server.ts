import { fail } from '@sveltejs/kit';
import { parseRppsCodes } from '$lib/domain/specialties';
import { canAdminister } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { getSpecialtyRow, updateSpecialty } from '$lib/server/specialties';
import { parseForm } from '$lib/validation/form';
import { specialtySchema } from '$lib/validation/referentials';
import type { Actions, PageServerLoad } from './$types';

function find(code: string) {
	return getSpecialtyRow(code) ?? notFound('Cette spécialité n’existe pas.');
}

export const load: PageServerLoad = ({ params, locals }) => {
	ensure(canAdminister(locals.actor));
	return { specialty: find(params.code) };
};

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		ensure(canAdminister(locals.actor));
		const row = find(params.code);
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
		updateSpecialty(row.code, { ...parsed.data, rppsCodes: rpps.codes }, locals.audit);
		return { success: 'La spécialité a été enregistrée.' };
	}
};
