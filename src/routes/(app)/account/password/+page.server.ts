import { redirect } from '@sveltejs/kit';
import { requireUser } from '$lib/server/guard';
import { changePasswordFromForm } from '../password-change.server';
import type { Actions, PageServerLoad } from './$types';

/** The page every other one leads to after an administrator's reset, until the change is done. */
export const load: PageServerLoad = ({ locals, url }) => {
	const user = requireUser(locals, url);
	return { forced: user.mustChangePassword };
};

export const actions: Actions = {
	default: async (event) => {
		const result = await changePasswordFromForm(event);
		if ('changed' in result) redirect(303, '/account?passwordChanged=1');
		return result;
	}
};
