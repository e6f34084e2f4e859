import { canReadDecision } from '$lib/server/auth/access';
import { pdfResponse } from '$lib/server/delivery/pdf-response';
import { loadDecisionPdf } from '$lib/server/delivery/pdf-store';
import { ensure, notFound } from '$lib/server/guard';
import { parseVersionParam } from '$lib/validation/decisions';
import { clientIp, resolveGuestCase } from '../guest';
import type { RequestHandler } from './$types';
import { auditDecisionDownload, findDecisionVersion } from '$lib/server/decision-views';

/** The fiche RCP for the GP's link: validated versions of their own case only, audited. */
export const GET: RequestHandler = async ({ params, url, getClientAddress }) => {
	const { actor, audit, found } = await resolveGuestCase(params.token, clientIp(getClientAddress));
	const d =
		(await findDecisionVersion(
			found.caseRow.id,
			parseVersionParam(url.searchParams.get('version'))
		)) ?? notFound('Ce dossier n’a pas de proposition thérapeutique.');
	await ensure(
		canReadDecision(actor, found.ref, d.status),
		'Cette fiche n’est pas encore validée.'
	);
	const bytes = (await loadDecisionPdf(d.id)) ?? notFound('Cette fiche n’existe pas.');
	await auditDecisionDownload(d, found.caseRow.patientId, audit);
	return pdfResponse(bytes, `fiche-rcp-v${d.version}.pdf`);
};
