import { json } from '@sveltejs/kit';
import { canSubmitCase } from '$lib/server/auth/access';
import { searchDoctorDirectory } from '$lib/server/doctor-directory';
import { ensure, requireUser } from '$lib/server/guard';
import type { RequestHandler } from './$types';

/** Autocomplete of the request form: known doctors by name or RPPS (no patient data). */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireUser(locals, url);
	await ensure(canSubmitCase(locals.actor));
	const q = (url.searchParams.get('q') ?? '').slice(0, 100);
	return json(
		{ doctors: await searchDoctorDirectory(locals.actor, q) },
		{ headers: { 'cache-control': 'private, no-store' } }
	);
};
