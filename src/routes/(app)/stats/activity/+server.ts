import { readMonthRange } from '$lib/domain/activity';
import { csvHeaders } from '$lib/domain/csv';
import { forbid } from '$lib/server/guard';
import { buildActivityCsv, loadVisibleActivity } from '../activity';
import { readYear } from '../indicators';
import type { RequestHandler } from './$types';

/** The monthly activity table of the pathways the actor may see, as a CSV download. */
export const GET: RequestHandler = async ({ locals, url }) => {
	if (!locals.user) return await forbid('Connexion nécessaire.');
	const year = readYear(url.searchParams.get('year'));
	const range = readMonthRange(url.searchParams.get('from'), url.searchParams.get('to'), year);
	const reports = await loadVisibleActivity(locals.actor, range);
	if (!reports.length) return await forbid();
	return new Response(buildActivityCsv(reports), {
		headers: csvHeaders(`pluri-activite-${range.from}-${range.to}.csv`)
	});
};
