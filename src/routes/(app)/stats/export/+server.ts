import { getProposalTypeLabel } from '$lib/domain/pathways';
import { toCsvLine } from '$lib/domain/stats';
import { forbid } from '$lib/server/guard';
import { loadVisibleIndicators, readYear } from '../indicators';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, url }) => {
	if (!locals.user) forbid('Connexion nécessaire.');
	const year = readYear(url.searchParams.get('year'));
	const pathways = loadVisibleIndicators(locals.actor, year);
	if (!pathways.length) forbid();
	const lines = [
		toCsvLine([
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
		]),
		...pathways.map(({ name, kind, indicators: i }) =>
			toCsvLine([
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
		)
	];
	// A BOM so spreadsheet software reads the accents as UTF-8.
	return new Response('\uFEFF' + lines.join('\r\n') + '\r\n', {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="pluri-activite-${year}.csv"`
		}
	});
};
