import { json } from '@sveltejs/kit';
import { formatCommune } from '$lib/domain/birthplace';
import { canSubmitCase } from '$lib/server/auth/access';
import { findCommunes } from '$lib/server/communes';
import { ensure, requireUser } from '$lib/server/guard';
import type { RequestHandler } from './$types';

/** Autocomplete of the birthplace: a few communes of the COG, never the whole list. */
export const GET: RequestHandler = async ({ locals, url }) => {
	requireUser(locals, url);
	await ensure(canSubmitCase(locals.actor));
	const q = (url.searchParams.get('q') ?? '').slice(0, 100);
	return json(
		{ communes: findCommunes(q, 10).map((c) => ({ code: c.code, label: formatCommune(c) })) },
		{ headers: { 'cache-control': 'private, max-age=3600' } }
	);
};
