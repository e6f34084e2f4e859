import { csvHeaders } from '$lib/domain/csv';
import { forbid } from '$lib/server/guard';
import { buildIndicatorsCsv, loadVisibleIndicators, readYear } from '../indicators';
import type { RequestHandler } from './$types';

/** The activity indicators of the pathways the actor may see, as a CSV download. */
export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) return await forbid('Connexion nécessaire.');
	const year = readYear(url.searchParams.get('year'));
	const pathways = await loadVisibleIndicators(locals.actor, year);
	if (!pathways.length) return await forbid();
	return new Response(buildIndicatorsCsv(pathways, year), {
		headers: csvHeaders(`pluri-activite-${year}.csv`)
	});
};
