import { canAdminister } from '$lib/server/auth/access';
import { ensure } from '$lib/server/guard';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = async ({ locals }) => {
	await ensure(
		canAdminister(locals.actor),
		'Cette page est réservée aux administrateurs de Pluri.'
	);
};
