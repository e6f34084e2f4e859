import {
	closeSync,
	createReadStream,
	existsSync,
	mkdirSync,
	openSync,
	readSync,
	renameSync,
	statSync,
	unlinkSync,
	writeFileSync
} from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { cleanFileName, contentDisposition } from '$lib/domain/file-name';
import {
	checkUpload,
	detectDocumentType,
	MAX_DOCUMENT_BYTES,
	type DocumentType
} from '$lib/domain/file-signature';
import { toParisParts } from '$lib/domain/schedule';
import type { FieldErrors } from '$lib/validation/form';
import { recordAudit, type AuditContext } from './audit';
import { getUploadDir } from './config';
import { getDb, type DbOrTx, queryOne, transaction } from './db';
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

export async function listCaseDocuments(
	caseId: string,
	tx: DbOrTx = getDb()
): Promise<DocumentLine[]> {
	return (
		await tx
			.select({ d: documents, u: users })
			.from(documents)
			.leftJoin(users, eq(users.id, documents.uploadedBy))
			.where(eq(documents.caseId, caseId))
			.orderBy(asc(documents.uploadedAt))
	).map(({ d, u }) => ({
		id: d.id,
		kind: d.kind,
		// Cleaned again on the way out: rows stored before the name rules were tightened.
		fileName: cleanFileName(d.fileName) || 'document',
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
export type DocumentFileCheck =
	| { ok: true; bytes: Uint8Array; fileName: string; contentType: string }
	| { ok: false; error: string };

/**
 * The checks a file passes before it is stored (size, magic bytes against extension and
 * declared type, cleaned name), without storing anything: the request form checks every file
 * before it saves the case.
 */
export async function checkDocumentFile(file: File | null): Promise<DocumentFileCheck> {
	if (!file || typeof file === 'string' || file.name === '') {
		return { ok: false, error: 'Choisissez un fichier à joindre.' };
	}
	if (file.size > MAX_DOCUMENT_BYTES) {
		return {
			ok: false,
			error: `Le fichier dépasse la taille maximale de ${MAX_DOCUMENT_BYTES / 1024 / 1024} Mo.`
		};
	}
	const bytes = new Uint8Array(await file.arrayBuffer());
	const check = checkUpload({
		fileName: file.name,
		declaredType: file.type,
		size: bytes.length,
		head: bytes.subarray(0, 1024),
		content: bytes
	});
	if (!check.ok) return { ok: false, error: check.error };
	return { ok: true, bytes, fileName: check.fileName, contentType: check.contentType };
}

export async function addCaseDocument(
	input: UploadInput,
	audit: AuditContext,
	now: Date = new Date()
): Promise<UploadResult> {
	const check = await checkDocumentFile(input.file);
	if (!check.ok) return { ok: false, errors: { file: check.error } };
	const bytes = check.bytes;
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const storedPath = writeStoredFile(sha256, bytes);
	return transaction(getDb(), async (tx): Promise<UploadResult> => {
		const c = await queryOne(tx.select().from(cases).where(eq(cases.id, input.caseId)));
		if (!c) return { ok: false as const, errors: { form: 'Ce dossier n’existe pas.' } };
		const id = crypto.randomUUID();
		await tx.insert(documents).values({
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
		});
		await recordAudit(
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
		return { ok: true as const, id };
	});
}

export async function getCaseDocument(
	caseId: string,
	documentId: string
): Promise<DocumentRow | undefined> {
	return await queryOne(
		getDb()
			.select()
			.from(documents)
			.where(and(eq(documents.id, documentId), eq(documents.caseId, caseId)))
	);
}

/** A download: the file as a stream, the access already checked by the caller, audited here. */
export async function openCaseDocument(
	doc: DocumentRow,
	patientId: string,
	audit: AuditContext
): Promise<ReadableStream<Uint8Array> | null> {
	const full = absolutePath(doc.storedPath);
	if (!full || !existsSync(full)) return null;
	await recordAudit(audit, {
		action: 'document.download',
		objectType: 'document',
		objectId: doc.id,
		patientId,
		detail: { caseId: doc.caseId }
	});
	return Readable.toWeb(createReadStream(full)) as ReadableStream<Uint8Array>;
}

export { contentDisposition };

/** The type the stored bytes really are (their signature), whatever the row or the uploader said. */
function readStoredType(full: string): DocumentType | null {
	const head = new Uint8Array(1024);
	const fd = openSync(full, 'r');
	try {
		return detectDocumentType(head.subarray(0, readSync(fd, head, 0, head.length, 0)));
	} finally {
		closeSync(fd);
	}
}

export interface ServeOptions {
	/** `inline` to show it (the meeting room), `attachment` to download it. */
	disposition: 'inline' | 'attachment';
	/** Who may frame it: the meeting page itself (`self`), or nobody. */
	framing: 'self' | 'none';
}

/**
 * The headers of a case document. The type comes from the stored file's signature, never
 * from the uploader; anything unrecognised is a download of opaque bytes. Images and
 * downloads are sandboxed (no script, plugin or form; an opaque origin). PDFs shown inline are
 * not: Chromium 148 does show a PDF under CSP `sandbox` (checked here, framed and top-level —
 * its viewer ignores the document's CSP), but Firefox's pdf.js and Safari refuse to render a
 * PDF in a sandboxed document, and `plugin-types application/pdf` is gone from CSP. The PDF
 * gets a policy without any script or connection source instead (`object-src 'self'` for the
 * viewer's own embed, inline styles for its page); its bytes were checked to be a PDF,
 * nosniff forbids reading them as anything else, and viewers run the PDF isolated from
 * Pluri's origin. Downloads keep the sandbox, whatever their type.
 */
export function documentHeaders(
	doc: Pick<DocumentRow, 'fileName' | 'size'>,
	storedType: DocumentType | null,
	options: ServeOptions
): Record<string, string> {
	const disposition = storedType ? options.disposition : 'attachment';
	const ancestors = options.framing === 'self' ? "'self'" : "'none'";
	const pdfViewer = storedType === 'application/pdf' && disposition === 'inline';
	const csp = [
		pdfViewer ? null : 'sandbox',
		"default-src 'none'",
		pdfViewer ? "object-src 'self'" : null,
		"img-src 'self' data:",
		"style-src 'unsafe-inline'",
		`frame-ancestors ${ancestors}`
	].filter(Boolean);
	return {
		'Content-Type': storedType ?? 'application/octet-stream',
		'Content-Length': String(doc.size),
		'Content-Disposition': contentDisposition(doc.fileName, disposition),
		'Content-Security-Policy': csp.join('; '),
		'X-Content-Type-Options': 'nosniff',
		'X-Frame-Options': options.framing === 'self' ? 'SAMEORIGIN' : 'DENY',
		'Cross-Origin-Resource-Policy': 'same-origin',
		'Cache-Control': 'no-store'
	};
}

/**
 * A case document as an HTTP response (access already checked by the caller), the read
 * audited; null when its file is gone.
 */
export async function serveCaseDocument(
	doc: DocumentRow,
	patientId: string,
	audit: AuditContext,
	options: ServeOptions
): Promise<Response | null> {
	const full = absolutePath(doc.storedPath);
	if (!full || !existsSync(full)) return null;
	const storedType = readStoredType(full);
	// The length of the bytes on disk, not of the row: a wrong one would cut the response.
	const size = statSync(full).size;
	const body = await openCaseDocument(doc, patientId, audit);
	if (!body) return null;
	return new Response(body, {
		headers: documentHeaders({ fileName: doc.fileName, size }, storedType, options)
	});
}

/** Removes a document row; the file goes too when no other row shares its content. */
export async function removeCaseDocument(
	doc: DocumentRow,
	patientId: string,
	audit: AuditContext
): Promise<void> {
	const orphan = await transaction(getDb(), async (tx) => {
		await tx.delete(documents).where(eq(documents.id, doc.id));
		await recordAudit(
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
		return !(await queryOne(
			tx.select({ id: documents.id }).from(documents).where(eq(documents.sha256, doc.sha256))
		));
	});
	const full = absolutePath(doc.storedPath);
	if (orphan && full && existsSync(full)) unlinkSync(full);
}

/** The stored file's absolute path, inside the upload folder (null if a row points elsewhere). */
export function uploadFilePath(storedPath: string): string | null {
	return absolutePath(storedPath);
}
