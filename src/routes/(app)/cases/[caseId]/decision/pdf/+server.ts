import { error } from '@sveltejs/kit';
import { canReadDecision } from '$lib/server/auth/access';
import { loadCaseRef } from '$lib/server/cases';
import { pdfResponse } from '$lib/server/delivery/pdf-response';
import { loadDecisionPdf } from '$lib/server/delivery/pdf-store';
import { ensure, notFound } from '$lib/server/guard';
import { parseVersionParam } from '$lib/validation/decisions';
import type { RequestHandler } from './$types';
import { auditDecisionDownload, findDecisionVersion } from '$lib/server/decision-views';

/** The fiche RCP of one version, to whoever may read it; every download is audited. */
export const GET: RequestHandler = async ({ locals, params, url }) => {
	if (!locals.user) error(401, 'Connectez-vous pour télécharger la fiche RCP.');
	const found = (await loadCaseRef(params.caseId)) ?? notFound('Ce dossier n’existe pas.');
	const d =
		(await findDecisionVersion(
			params.caseId,
			parseVersionParam(url.searchParams.get('version'))
		)) ?? notFound('Ce dossier n’a pas de proposition thérapeutique.');
	await ensure(
		canReadDecision(locals.actor, found.ref, d.status),
		'Vous n’avez pas accès à cette fiche.'
	);
	const bytes = (await loadDecisionPdf(d.id)) ?? notFound('Cette fiche n’existe pas.');
	await auditDecisionDownload(d, found.caseRow.patientId, locals.audit);
	return pdfResponse(bytes, `fiche-rcp-v${d.version}.pdf`);
};
