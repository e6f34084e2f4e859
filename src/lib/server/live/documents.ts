import { eq } from 'drizzle-orm';
import { canViewCase, type Actor } from '../auth/access';
import type { AuditContext } from '../audit';
import { getCase, toCaseRef } from '../cases';
import { getDb } from '../db';
import { documents } from '../db/schema';
import { contentDisposition, openCaseDocument } from '../documents';

/**
 * A case document shown inside the meeting page (PDF in a frame, image inline). Only for the
 * cases of this meeting that the viewer may see; the read is audited by openCaseDocument.
 */
export function serveMeetingDocument(
	meetingId: string,
	documentId: string,
	actor: Actor,
	audit: AuditContext
): Response {
	const doc = getDb().select().from(documents).where(eq(documents.id, documentId)).get();
	const caseRow = doc ? getCase(doc.caseId) : undefined;
	if (!doc || !caseRow || caseRow.meetingId !== meetingId) {
		return new Response('Document introuvable.', { status: 404 });
	}
	if (!canViewCase(actor, toCaseRef(caseRow))) {
		return new Response('Vous n’avez pas accès à ce document.', { status: 403 });
	}
	const body = openCaseDocument(doc, caseRow.patientId, audit);
	if (!body) return new Response('Le fichier de ce document est introuvable.', { status: 404 });
	return new Response(body, {
		headers: {
			'content-type': doc.contentType,
			'content-length': String(doc.size),
			'content-disposition': contentDisposition(doc.fileName).replace(/^attachment/, 'inline'),
			'cache-control': 'private, no-store',
			// Shown in a frame of the meeting page itself, never elsewhere.
			'x-frame-options': 'SAMEORIGIN',
			'content-security-policy': "frame-ancestors 'self'"
		}
	});
}
