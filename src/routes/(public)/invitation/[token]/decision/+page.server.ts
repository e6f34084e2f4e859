import type { PathwayKind } from '$lib/domain/pathways';
import { canViewCase } from '$lib/server/auth/access';
import { ensure } from '$lib/server/guard';
import { getPathway } from '$lib/server/pathways';
import { describePatient, getPatient } from '$lib/server/patients';
import { clientIp, resolveGuestCase } from './guest';
import type { PageServerLoad } from './$types';
import { readCaseDecisions, toDecisionView } from '$lib/server/decision-views';

/** The GP's view, through their link: the validated decision of their patient, and its fiche. */
export const load: PageServerLoad = async ({ params, getClientAddress, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' });
	const { actor, audit, found } = await resolveGuestCase(params.token, clientIp(getClientAddress));
	await ensure(canViewCase(actor, found.ref), 'Ce lien ne donne pas accès à ce dossier.');
	const versions = await readCaseDecisions(found.caseRow, found.ref, actor, audit);
	const pathway = (await getPathway(found.caseRow.pathwayId))!;
	return {
		token: params.token,
		patient: describePatient((await getPatient(found.caseRow.patientId))!),
		pathwayName: pathway.name,
		question: found.caseRow.question,
		decisions: versions.map((v) => toDecisionView(v, pathway.kind as PathwayKind))
	};
};
