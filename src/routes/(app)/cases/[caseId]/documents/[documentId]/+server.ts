import { error } from '@sveltejs/kit';
import { canViewCase } from '$lib/server/auth/access';
import { loadCaseRef } from '$lib/server/cases';
import { getCaseDocument, serveCaseDocument } from '$lib/server/documents';
import { ensure, notFound } from '$lib/server/guard';
import type { RequestHandler } from './$types';

/** A case document, to whoever may see the case; every download is audited with the patient. */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401, 'Connectez-vous pour télécharger ce document.');
	const found = (await loadCaseRef(params.caseId)) ?? notFound('Ce dossier n’existe pas.');
	await ensure(canViewCase(locals.actor, found.ref), 'Vous n’avez pas accès à ce dossier.');
	const doc =
		(await getCaseDocument(params.caseId, params.documentId)) ??
		notFound('Ce document n’existe pas.');
	// Downloaded, never rendered on Pluri's origin (the meeting room has its own viewer).
	const response = await serveCaseDocument(doc, found.caseRow.patientId, locals.audit, {
		disposition: 'attachment',
		framing: 'none'
	});
	return response ?? notFound('Ce document n’est plus disponible.');
};
