import { canAdminister } from '$lib/server/auth/access';
import { readSetupProgress } from '$lib/server/first-run';
import { ensure } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals }) => {
	await ensure(canAdminister(locals.actor));
	return { progress: await readSetupProgress() };
};
