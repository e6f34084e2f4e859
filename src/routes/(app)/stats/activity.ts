import {
	monthAfter,
	type ActivityRow,
	type DelayStats,
	type MonthRange
} from '$lib/domain/activity';
import { buildCsv } from '$lib/domain/csv';
import { parisLocalToUtc } from '$lib/domain/schedule';
import { loadPathwayActivity, type PathwayActivity } from '$lib/server/activity';
import { canViewPathwayStats } from '$lib/server/auth/access';
import { listPathways } from '$lib/server/pathways';

export interface PathwayActivityReport {
	pathwayId: string;
	name: string;
	activity: PathwayActivity;
}

/** The monthly activity of the pathways the actor may see, over whole months (Paris). */
export async function loadVisibleActivity(
	actor: App.Locals['actor'],
	range: MonthRange
): Promise<PathwayActivityReport[]> {
	const from = parisLocalToUtc(`${range.from}-01`, '00:00');
	const to = parisLocalToUtc(monthAfter(range.to), '00:00');
	if (!from.ok || !to.ok) return [];
	return await Promise.all(
		(await listPathways())
			.filter((p) => canViewPathwayStats(actor, p.id))
			.map(async (p) => ({
				pathwayId: p.id,
				name: p.name,
				activity: await loadPathwayActivity(p.id, from.instant, to.instant)
			}))
	);
}

const header = [
	'RCP',
	'Mois',
	'Dossiers présentés',
	'Avec proposition à la première présentation',
	'Quorum atteint à la première présentation',
	'Quorum atteint à la première présentation (%)',
	'Représentés faute de quorum',
	'Représentés pour une autre raison',
	'Conformes au référentiel (%)',
	'Essai clinique proposé (%)',
	'Médecin généraliste présent (%)',
	'Demande → présentation, médiane (jours)',
	'Demande → présentation, 90e centile (jours)',
	'Présentation → validation, médiane (jours)',
	'Présentation → validation, 90e centile (jours)',
	'Validation → envoi, médiane (jours)',
	'Validation → envoi, 90e centile (jours)'
];

const delayCells = (d: DelayStats) => [d.medianDays, d.p90Days];

function cells(name: string, r: ActivityRow) {
	return [
		name,
		r.month === 'total' ? 'Total' : r.month,
		r.casesPresented,
		r.firstPresentationWithProposal,
		r.quorumAtFirstPresentation,
		r.quorumAtFirstPresentationRate,
		r.representedForQuorum,
		r.representedOtherReason,
		r.conformRate,
		r.trialRate,
		r.gpParticipationRate,
		...delayCells(r.requestToPresentation),
		...delayCells(r.presentationToValidation),
		...delayCells(r.validationToDelivery)
	];
}

/** One line per pathway and month, then the pathway's total, through the shared CSV writer. */
export function buildActivityCsv(reports: readonly PathwayActivityReport[]): string {
	return buildCsv(
		header,
		reports.flatMap((p) => [
			...p.activity.months.map((r) => cells(p.name, r)),
			cells(p.name, p.activity.total)
		])
	);
}
