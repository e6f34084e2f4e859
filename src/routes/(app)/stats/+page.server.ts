import { readMonthRange } from '$lib/domain/activity';
import { forbid } from '$lib/server/guard';
import type { PageServerLoad } from './$types';
import { loadVisibleActivity } from './activity';
import { loadVisibleIndicators, readYear } from './indicators';

export const load: PageServerLoad = async ({ locals, url }) => {
	const year = readYear(url.searchParams.get('year'));
	const pathways = await loadVisibleIndicators(locals.actor, year);
	if (!pathways.length)
		return await forbid(
			'Les statistiques sont réservées à la coordination et aux présidents des filières.'
		);
	const range = readMonthRange(url.searchParams.get('from'), url.searchParams.get('to'), year);
	return { year, pathways, range, activity: await loadVisibleActivity(locals.actor, range) };
};
