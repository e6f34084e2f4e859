import { fail, redirect } from '@sveltejs/kit';
import { listSpecialtyChoices } from '$lib/domain/specialty-options';
import { isSpecialtyCode, listSpecialtyEntries } from '$lib/domain/specialties';
import { canAdminister } from '$lib/server/auth/access';
import { listEstablishments } from '$lib/server/establishments';
import { ensure } from '$lib/server/guard';
import { createUser } from '$lib/server/users';
import { userSchema } from '$lib/validation/admin';
import { newPasswordSchema } from '$lib/validation/auth';
import { parseForm } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	await ensure(canAdminister(locals.actor));
	return {
		establishments: (await listEstablishments()).map((e) => ({ id: e.id, name: e.name })),
		specialties: listSpecialtyChoices(listSpecialtyEntries())
	};
};

export const actions: Actions = {
	default: async ({ request, locals }) => {
		await ensure(canAdminister(locals.actor));
		const form = await request.formData();
		const parsed = parseForm(userSchema, form);
		const password = parseForm(newPasswordSchema, form);
		const errors = { ...(parsed.ok ? {} : parsed.errors), ...(password.ok ? {} : password.errors) };
		if (parsed.ok && parsed.data.specialty && !isSpecialtyCode(parsed.data.specialty))
			errors.specialty = 'Spécialité inconnue ou désactivée : choisissez-en une de la liste.';
		if (!parsed.ok || !password.ok || Object.keys(errors).length)
			return fail(400, { values: parsed.values, errors });
		const result = await createUser(parsed.data, password.data.password, locals.audit);
		if (!result.ok)
			return fail(400, { values: parsed.values, errors: { [result.field]: result.message } });
		redirect(303, `/admin/users/${result.id}?created=1`);
	}
};
