import type { PathwayKind } from '$lib/domain/pathways';
import { canAmendDecision, canViewCase, canViewDeliveries } from '$lib/server/auth/access';
import { loadCaseRef } from '$lib/server/cases';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { getPathway } from '$lib/server/pathways';
import { describePatient, getPatient } from '$lib/server/patients';
import type { PageServerLoad } from './$types';
import { readCaseDecisions, toDecisionView } from '$lib/server/decision-views';

/** The decision of a case for its readers: versions, where each went and when, the fiche. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const found = (await loadCaseRef(params.caseId)) ?? notFound('Ce dossier n’existe pas.');
	const { caseRow, ref } = found;
	// Decisions are read by those who may see the case (DESIGN §2): checked before any read.
	await ensure(canViewCase(locals.actor, ref), 'Vous n’avez pas accès à ce dossier.');
	const versions = await readCaseDecisions(caseRow, ref, locals.actor, locals.audit);
	const pathway = (await getPathway(caseRow.pathwayId))!;
	const patient = (await getPatient(caseRow.patientId))!;
	return {
		caseId: caseRow.id,
		meetingId: caseRow.meetingId,
		patient: describePatient(patient),
		question: caseRow.question,
		pathwayName: pathway.name,
		decisions: versions.map((v) => toDecisionView(v, pathway.kind as PathwayKind)),
		canAmend: canAmendDecision(locals.actor, ref) && versions[0]?.row.status === 'validated',
		showErrors: canViewDeliveries(locals.actor, caseRow.pathwayId)
	};
};
