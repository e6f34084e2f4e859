import { parisLocalToUtc, toParisParts } from '$lib/domain/schedule';
import { canViewPathwayStats } from '$lib/server/auth/access';
import { listPathways } from '$lib/server/pathways';
import { loadPathwayIndicators } from '$lib/server/stats';
import type { Indicators } from '$lib/domain/stats';

export interface PathwayIndicators {
	pathwayId: string;
	name: string;
	kind: 'oncology' | 'heart_failure';
	indicators: Indicators;
}

/** The calendar year asked for (Paris time), within a sane range; the current one otherwise. */
export function readYear(param: string | null): number {
	const current = Number(toParisParts(new Date()).date.slice(0, 4));
	const year = Number(param);
	return Number.isInteger(year) && year >= 2000 && year <= current + 1 ? year : current;
}

export function loadVisibleIndicators(
	actor: App.Locals['actor'],
	year: number
): PathwayIndicators[] {
	const from = parisLocalToUtc(`${year}-01-01`, '00:00');
	const to = parisLocalToUtc(`${year + 1}-01-01`, '00:00');
	if (!from.ok || !to.ok) return [];
	return listPathways()
		.filter((p) => canViewPathwayStats(actor, p.id))
		.map((p) => ({
			pathwayId: p.id,
			name: p.name,
			kind: p.kind,
			indicators: loadPathwayIndicators(p.id, from.instant, to.instant)
		}));
}
