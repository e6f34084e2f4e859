import { buildCsv } from '$lib/domain/csv';
import { getProposalTypeLabel } from '$lib/domain/pathways';
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

export async function loadVisibleIndicators(
	actor: App.Locals['actor'],
	year: number
): Promise<PathwayIndicators[]> {
	const from = parisLocalToUtc(`${year}-01-01`, '00:00');
	const to = parisLocalToUtc(`${year + 1}-01-01`, '00:00');
	if (!from.ok || !to.ok) return [];
	return await Promise.all(
		(await listPathways())
			.filter((p) => canViewPathwayStats(actor, p.id))
			.map(async (p) => ({
				pathwayId: p.id,
				name: p.name,
				kind: p.kind,
				indicators: await loadPathwayIndicators(p.id, from.instant, to.instant)
			}))
	);
}

const csvHeader = [
	'Filière',
	'Année',
	'Séances tenues',
	'Séances annulées',
	'Dossiers décidés',
	'Patients',
	'Avis provisoires',
	'Conformes au référentiel (%)',
	'Hors référentiel',
	'Quorum atteint (%)',
	'Essai clinique proposé (%)',
	'Délai médian demande → décision (jours)',
	'Propositions'
];

/** The activity export: one line per pathway, through the shared CSV writer. */
export function buildIndicatorsCsv(pathways: readonly PathwayIndicators[], year: number): string {
	return buildCsv(
		csvHeader,
		pathways.map(({ name, kind, indicators: i }) => [
			name,
			year,
			i.meetingsHeld,
			i.meetingsCancelled,
			i.casesDecided,
			i.patients,
			i.provisionalOpinions,
			i.conformRate,
			i.offGuideline,
			i.quorumRate,
			i.trialRate,
			i.medianDaysToDecision,
			i.proposalCounts.map((p) => `${getProposalTypeLabel(kind, p.code)} : ${p.count}`).join(', ')
		])
	);
}
