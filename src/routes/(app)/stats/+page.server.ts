import { forbid } from '$lib/server/guard';
import type { PageServerLoad } from './$types';
import { loadVisibleIndicators, readYear } from './indicators';

export const load: PageServerLoad = ({ locals, url }) => {
	const year = readYear(url.searchParams.get('year'));
	const pathways = loadVisibleIndicators(locals.actor, year);
	if (!pathways.length)
		forbid('Les statistiques sont réservées à la coordination et aux présidents des filières.');
	return { year, pathways };
};
