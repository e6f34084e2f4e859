import { eq } from 'drizzle-orm';
import { canViewCase, type Actor } from '../auth/access';
import type { AuditContext } from '../audit';
import { getCase } from '../cases';
import { getDb, queryOne } from '../db';
import { documents } from '../db/schema';
import { serveCaseDocument } from '../documents';
import { toCaseRef } from '../case-refs';

/**
 * A case document shown inside the meeting page (PDF in a frame, image inline). Only for the
 * cases of this meeting that the viewer may see; the read is audited by serveCaseDocument.
 */
export async function serveMeetingDocument(
	meetingId: string,
	documentId: string,
	actor: Actor,
	audit: AuditContext
): Promise<Response> {
	const doc = await queryOne(getDb().select().from(documents).where(eq(documents.id, documentId)));
	const caseRow = doc ? await getCase(doc.caseId) : undefined;
	if (!doc || !caseRow || caseRow.meetingId !== meetingId) {
		return new Response('Document introuvable.', { status: 404 });
	}
	if (!canViewCase(actor, await toCaseRef(caseRow))) {
		return new Response('Vous n’avez pas accès à ce document.', { status: 403 });
	}
	// Shown in a frame of the meeting page itself (X-Frame-Options SAMEORIGIN), never elsewhere.
	const response = await serveCaseDocument(doc, caseRow.patientId, audit, {
		disposition: 'inline',
		framing: 'self'
	});
	return response ?? new Response('Le fichier de ce document est introuvable.', { status: 404 });
}
