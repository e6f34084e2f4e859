import {
	createReadStream,
	existsSync,
	mkdirSync,
	renameSync,
	statSync,
	unlinkSync,
	writeFileSync
} from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { checkUpload, MAX_DOCUMENT_BYTES } from '$lib/domain/file-signature';
import { toParisParts } from '$lib/domain/schedule';
import type { FieldErrors } from '$lib/validation/form';
import { recordAudit, type AuditContext } from './audit';
import { getUploadDir } from './config';
import { getDb, type DbOrTx } from './db';
import { cases, documents, users } from './db/schema';
import { formatPersonName } from './users';

export type DocumentRow = typeof documents.$inferSelect;
export type DocumentKind = DocumentRow['kind'];

export interface DocumentLine {
	id: string;
	kind: DocumentKind;
	fileName: string;
	contentType: string;
	size: number;
	documentDate: string | null;
	uploadedAt: Date;
	uploadedBy: string | null;
	uploaderName: string | null;
}

export function listCaseDocuments(caseId: string, tx: DbOrTx = getDb()): DocumentLine[] {
	return tx
		.select({ d: documents, u: users })
		.from(documents)
		.leftJoin(users, eq(users.id, documents.uploadedBy))
		.where(eq(documents.caseId, caseId))
		.orderBy(asc(documents.uploadedAt))
		.all()
		.map(({ d, u }) => ({
			id: d.id,
			kind: d.kind,
			fileName: d.fileName,
			contentType: d.contentType,
			size: d.size,
			documentDate: d.documentDate,
			uploadedAt: d.uploadedAt,
			uploadedBy: d.uploadedBy,
			uploaderName: u ? formatPersonName(u) : null
		}));
}

/** Where a stored file lives: uploads/<2 hex>/<sha-256>, a name the server chose. */
function storedPathFor(sha256: string): string {
	return `${sha256.slice(0, 2)}/${sha256}`;
}

function absolutePath(storedPath: string): string | null {
	const root = getUploadDir();
	const full = resolve(root, storedPath);
	// Stored paths are ours, but a tampered row must never reach outside the upload folder.
	return full.startsWith(root + sep) ? full : null;
}

/** Writes content-addressed: a temporary name then a rename, so no half-written file is ever read. */
function writeStoredFile(sha256: string, bytes: Uint8Array): string {
	const storedPath = storedPathFor(sha256);
	const full = absolutePath(storedPath)!;
	if (existsSync(full) && statSync(full).size === bytes.length) return storedPath;
	mkdirSync(dirname(full), { recursive: true });
	const temp = `${full}.${crypto.randomUUID()}.part`;
	writeFileSync(temp, bytes, { mode: 0o600 });
	renameSync(temp, full);
	return storedPath;
}

/** Stores content the server produced itself (demo documents): content-addressed, like uploads. */
export function storeDocumentBytes(bytes: Uint8Array): { sha256: string; storedPath: string } {
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	return { sha256, storedPath: writeStoredFile(sha256, bytes) };
}

export interface UploadInput {
	caseId: string;
	file: File | null;
	kind: DocumentKind;
	documentDate: string | null;
}

export type UploadResult = { ok: true; id: string } | { ok: false; errors: FieldErrors };

/**
 * Checks and stores one document for a case. The checks run on the bytes received (size,
 * magic bytes against extension and declared type); the file is stored under its SHA-256,
 * outside static/, and the row and its audit entry are written in one transaction.
 */
export async function addCaseDocument(
	input: UploadInput,
	audit: AuditContext,
	now: Date = new Date()
): Promise<UploadResult> {
	const file = input.file;
	if (!file || typeof file === 'string' || file.name === '') {
		return { ok: false, errors: { file: 'Choisissez un fichier à joindre.' } };
	}
	if (file.size > MAX_DOCUMENT_BYTES) {
		return {
			ok: false,
			errors: {
				file: `Le fichier dépasse la taille maximale de ${MAX_DOCUMENT_BYTES / 1024 / 1024} Mo.`
			}
		};
	}
	const bytes = new Uint8Array(await file.arrayBuffer());
	const check = checkUpload({
		fileName: file.name,
		declaredType: file.type,
		size: bytes.length,
		head: bytes.subarray(0, 1024)
	});
	if (!check.ok) return { ok: false, errors: { file: check.error } };
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const storedPath = writeStoredFile(sha256, bytes);
	return getDb().transaction(
		(tx): UploadResult => {
			const c = tx.select().from(cases).where(eq(cases.id, input.caseId)).get();
			if (!c) return { ok: false, errors: { form: 'Ce dossier n’existe pas.' } };
			const id = crypto.randomUUID();
			tx.insert(documents)
				.values({
					id,
					caseId: c.id,
					kind: input.kind,
					fileName: check.fileName,
					contentType: check.contentType,
					size: bytes.length,
					sha256,
					storedPath,
					documentDate: input.documentDate ?? toParisParts(now).date,
					uploadedBy: audit.actorId,
					uploadedAt: now
				})
				.run();
			recordAudit(
				audit,
				{
					action: 'document.upload',
					objectType: 'document',
					objectId: id,
					patientId: c.patientId,
					detail: { caseId: c.id, kind: input.kind, size: bytes.length, sha256 }
				},
				tx
			);
			return { ok: true, id };
		},
		{ behavior: 'immediate' }
	);
}

export function getCaseDocument(caseId: string, documentId: string): DocumentRow | undefined {
	return getDb()
		.select()
		.from(documents)
		.where(and(eq(documents.id, documentId), eq(documents.caseId, caseId)))
		.get();
}

/** A download: the file as a stream, the access already checked by the caller, audited here. */
export function openCaseDocument(
	doc: DocumentRow,
	patientId: string,
	audit: AuditContext
): ReadableStream<Uint8Array> | null {
	const full = absolutePath(doc.storedPath);
	if (!full || !existsSync(full)) return null;
	recordAudit(audit, {
		action: 'document.download',
		objectType: 'document',
		objectId: doc.id,
		patientId,
		detail: { caseId: doc.caseId }
	});
	return Readable.toWeb(createReadStream(full)) as ReadableStream<Uint8Array>;
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function contentDisposition(fileName: string): string {
	const ascii =
		fileName
			.normalize('NFD')
			.replace(/[^\x20-\x7e]/g, '')
			.replace(/["\\]/g, '_') || 'document';
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Removes a document row; the file goes too when no other row shares its content. */
export function removeCaseDocument(doc: DocumentRow, patientId: string, audit: AuditContext): void {
	const orphan = getDb().transaction(
		(tx) => {
			tx.delete(documents).where(eq(documents.id, doc.id)).run();
			recordAudit(
				audit,
				{
					action: 'document.delete',
					objectType: 'document',
					objectId: doc.id,
					patientId,
					detail: { caseId: doc.caseId, fileName: doc.fileName }
				},
				tx
			);
			return !tx
				.select({ id: documents.id })
				.from(documents)
				.where(eq(documents.sha256, doc.sha256))
				.get();
		},
		{ behavior: 'immediate' }
	);
	const full = absolutePath(doc.storedPath);
	if (orphan && full && existsSync(full)) unlinkSync(full);
}

/** The stored file's absolute path, inside the upload folder (null if a row points elsewhere). */
export function uploadFilePath(storedPath: string): string | null {
	return absolutePath(storedPath);
}
