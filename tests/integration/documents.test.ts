import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES } from '$lib/domain/file-signature';
import { buildDemoPdf } from '$lib/server/demo/cases';
import { auditEvents, cases, documents, patients, pathways, users } from '$lib/server/db/schema';
import {
	addCaseDocument,
	contentDisposition,
	getCaseDocument,
	listCaseDocuments,
	openCaseDocument,
	removeCaseDocument,
	serveCaseDocument,
	storeDocumentBytes,
	uploadFilePath
} from '$lib/server/documents';
import { migratedDb, queryOne } from '../support/db';

const db = await migratedDb();
const uploadDir = process.env.UPLOAD_DIR!;

const userId = crypto.randomUUID();
await db.insert(users).values({
	id: userId,
	email: 'doc@example.fr',
	firstName: 'Dora',
	lastName: 'Docteur',
	sector: 'establishment'
});
const pathwayId = crypto.randomUUID();
await db.insert(pathways).values({
	id: pathwayId,
	code: 'onco-doc',
	name: 'RCP',
	kind: 'oncology',
	quorumRule: { requiredSpecialties: [], minDistinctSpecialties: 1, countedSpecialties: null }
});
const patientId = crypto.randomUUID();
await db.insert(patients).values({
	id: patientId,
	birthName: 'ESSAI',
	firstNames: ['Anne'],
	sex: 'F',
	birthDate: '1960-01-01'
});
const caseId = crypto.randomUUID();
await db
	.insert(cases)
	.values({ id: caseId, patientId, pathwayId, requesterId: userId, question: 'Q', summary: 'S' });
const audit = { actorType: 'user' as const, actorId: userId, ip: '127.0.0.1' };

const pdf = buildDemoPdf('Compte rendu', ['Conclusion : normal']);
const png = new Uint8Array([
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
	0, 0, 0, 1, 8, 6, 0, 0, 0
]);
// SOI, a JFIF APP0, a baseline start of frame (2 × 1 px), EOI: the header the size check reads.
const jpeg = new Uint8Array([
	0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xff, 0xc0,
	0, 11, 8, 0, 1, 0, 2, 1, 1, 0x11, 0, 0xff, 0xd9
]);
const text = (s: string) => new TextEncoder().encode(s);

function upload(
	name: string,
	bytes: Uint8Array,
	type: string,
	kind: 'pathology' | 'imaging' = 'imaging'
) {
	return addCaseDocument(
		{
			caseId,
			file: new File([bytes as Uint8Array<ArrayBuffer>], name, { type }),
			kind,
			documentDate: '2030-01-15'
		},
		audit
	);
}

const countRows = async () => (await db.select().from(documents)).length;

describe('document uploads', () => {
	it('refuses a corpus of hostile files, with a French message and nothing saved', async () => {
		const corpus: [string, Uint8Array, string][] = [
			[
				'compte-rendu.pdf',
				text('MZ\x90\x00\x03\x00\x00\x00\x04\x00This program cannot be run in DOS mode'),
				'application/pdf'
			],
			['compte-rendu.pdf', new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), 'application/pdf'],
			[
				'scanner.png',
				text('<!DOCTYPE html><html><script>fetch("/admin")</script></html>'),
				'image/png'
			],
			[
				'radio.jpg',
				text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
				'image/jpeg'
			],
			['dessin.svg', text('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml'],
			['dossier.zip', text('PK\x03\x04\x14\x00\x00\x00'), 'application/zip'],
			['dossier.pdf', text('PK\x03\x04\x14\x00\x00\x00%PDF-1.4'), 'application/pdf'],
			['script.pdf.html', pdf, 'text/html'],
			['vide.pdf', new Uint8Array(), 'application/pdf'],
			['cr.pdf', pdf, 'text/html']
		];
		const before = await countRows();
		for (const [name, bytes, type] of corpus) {
			const result = await upload(name, bytes, type);
			expect(result.ok, name).toBe(false);
			if (!result.ok) expect(result.errors.file, name).toMatch(/^(Le|Seuls) /);
		}
		expect(await countRows()).toBe(before);
		expect(existsSync(uploadDir) ? readdirSync(uploadDir) : []).toEqual([]);
	});

	it('refuses an oversized file before reading it', async () => {
		const big = new Uint8Array(MAX_DOCUMENT_BYTES + 1);
		big.set(pdf.subarray(0, 8));
		const result = await upload('enorme.pdf', big, 'application/pdf');
		expect(result).toEqual({
			ok: false,
			errors: { file: 'Le fichier dépasse la taille maximale de 20 Mo.' }
		});
		expect(await countRows()).toBe(0);
	});

	it('stores PDF, PNG and JPEG under their SHA-256, outside static/, with an audit row', async () => {
		for (const [name, bytes, type] of [
			['cr-anapath.pdf', pdf, 'application/pdf'],
			['echo.png', png, 'image/png'],
			['coupe.JPEG', jpeg, ''] as const
		] as const) {
			const result = await upload(name, bytes, type);
			expect(result.ok, name).toBe(true);
			if (!result.ok) continue;
			const row = (await queryOne(db.select().from(documents).where(eq(documents.id, result.id))))!;
			const sha = createHash('sha256').update(bytes).digest('hex');
			expect(row.sha256).toBe(sha);
			expect(row.storedPath).toBe(`${sha.slice(0, 2)}/${sha}`);
			const path = uploadFilePath(row.storedPath)!;
			expect(path).toBe(resolve(uploadDir, sha.slice(0, 2), sha));
			expect(path.includes('/static/')).toBe(false);
			expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
			const entry = (await queryOne(
				db.select().from(auditEvents).where(eq(auditEvents.objectId, result.id))
			))!;
			expect(entry).toMatchObject({ action: 'document.upload', patientId });
		}
		expect((await listCaseDocuments(caseId)).map((d) => [d.fileName, d.contentType])).toEqual([
			['cr-anapath.pdf', 'application/pdf'],
			['echo.png', 'image/png'],
			['coupe.JPEG', 'image/jpeg']
		]);
	});

	it('keeps only the base name of a path in a file name, and stores under its own name', async () => {
		const result = await upload(
			'../../etc/passwd.pdf',
			buildDemoPdf('Autre', ['x']),
			'application/pdf'
		);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const row = (await queryOne(db.select().from(documents).where(eq(documents.id, result.id))))!;
		expect(row.fileName).toBe('passwd.pdf');
		expect(row.storedPath).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}$/);
		expect(existsSync('/etc/passwd.pdf')).toBe(false);
	});

	it('streams a download and audits it with the patient', async () => {
		const doc = (await getCaseDocument(caseId, (await listCaseDocuments(caseId))[0]!.id))!;
		expect(await getCaseDocument(crypto.randomUUID(), doc.id)).toBeUndefined();
		const stream = (await openCaseDocument(doc, patientId, audit))!;
		const chunks: Uint8Array[] = [];
		for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
		expect(new Uint8Array(Buffer.concat(chunks))).toEqual(pdf);
		const entry = (await queryOne(
			db.select().from(auditEvents).where(eq(auditEvents.action, 'document.download'))
		))!;
		expect(entry).toMatchObject({ objectId: doc.id, patientId });
		expect(contentDisposition('CR écho "final".pdf')).toBe(
			'attachment; filename="CR echo final.pdf"; filename*=UTF-8\'\'CR%20%C3%A9cho%20final.pdf'
		);
	});

	it('removes a document and its file when no other row shares the content', async () => {
		const again = await upload('copie.pdf', pdf, 'application/pdf');
		expect(again.ok).toBe(true);
		const rows = await db.select().from(documents).where(eq(documents.fileName, 'copie.pdf'));
		const path = uploadFilePath(rows[0]!.storedPath)!;
		await removeCaseDocument(rows[0]!, patientId, audit);
		expect(existsSync(path)).toBe(true); // still used by cr-anapath.pdf
		const first = (await queryOne(
			db.select().from(documents).where(eq(documents.fileName, 'cr-anapath.pdf'))
		))!;
		await removeCaseDocument(first, patientId, audit);
		expect(existsSync(path)).toBe(false);
	});
});

describe('hostile names, image bombs and how documents are served', () => {
	it('cleans bidi and control characters out of an uploaded file name', async () => {
		const result = await upload('\u202Erapport\u0000\u2066.pdf', buildDemoPdf('N', ['y']), '');
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		const row = (await queryOne(db.select().from(documents).where(eq(documents.id, result.id))))!;
		expect(row.fileName).toBe('rapport.pdf');
	});

	it('refuses an image announcing more pixels than the budget, on the file field', async () => {
		const bomb = new Uint8Array(png);
		bomb.set([0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0], 16); // 100,000 × 100,000 in IHDR
		const before = await countRows();
		const result = await upload('bombe.png', bomb, 'image/png');
		expect(result).toMatchObject({ ok: false });
		if (!result.ok) expect(result.errors.file).toMatch(/^Cette image est trop grande/);
		expect(await countRows()).toBe(before);
	});

	async function served(id: string, disposition: 'inline' | 'attachment') {
		const doc = (await queryOne(db.select().from(documents).where(eq(documents.id, id))))!;
		const framing = disposition === 'inline' ? 'self' : 'none';
		const response = (await serveCaseDocument(doc, patientId, audit, { disposition, framing }))!;
		await response.arrayBuffer();
		return response.headers;
	}

	it('serves images sandboxed, PDFs in a viewer-friendly policy, never cached or sniffed', async () => {
		const pngId = (await upload('coupe.png', png, 'image/png')) as { id: string };
		const image = await served(pngId.id, 'inline');
		expect(image.get('content-type')).toBe('image/png');
		expect(image.get('content-security-policy')).toBe(
			"sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'self'"
		);
		expect(image.get('x-content-type-options')).toBe('nosniff');
		expect(image.get('cache-control')).toBe('no-store');
		expect(image.get('x-frame-options')).toBe('SAMEORIGIN');
		expect(image.get('content-disposition')).toMatch(/^inline; filename="coupe.png"/);

		const pdfId = (await upload('cr-inline.pdf', buildDemoPdf('I', ['z']), '')) as { id: string };
		const viewer = await served(pdfId.id, 'inline');
		expect(viewer.get('content-type')).toBe('application/pdf');
		expect(viewer.get('content-security-policy')).not.toContain('sandbox');
		expect(viewer.get('content-security-policy')).toContain("default-src 'none'");
		const download = await served(pdfId.id, 'attachment');
		expect(download.get('content-security-policy')).toMatch(/^sandbox; /);
		expect(download.get('x-frame-options')).toBe('DENY');
		expect(download.get('content-disposition')).toMatch(/^attachment; /);
	});

	it('takes the type from the stored bytes, never from the row or the uploader', async () => {
		const html = storeDocumentBytes(text('<html><script>alert(document.cookie)</script>'));
		const pngBytes = storeDocumentBytes(new Uint8Array([...png, 1]));
		const insert = async (stored: { sha256: string; storedPath: string }, contentType: string) => {
			const id = crypto.randomUUID();
			await db.insert(documents).values({
				id,
				caseId,
				kind: 'imaging',
				fileName: 'x.pdf',
				contentType,
				size: 10,
				...stored,
				uploadedBy: userId
			});
			return id;
		};
		const fakePdf = await served(await insert(html, 'application/pdf'), 'inline');
		expect(fakePdf.get('content-type')).toBe('application/octet-stream');
		expect(fakePdf.get('content-disposition')).toMatch(/^attachment; /);
		expect(fakePdf.get('content-security-policy')).toMatch(/^sandbox; /);
		const mislabelled = await served(await insert(pngBytes, 'text/html'), 'inline');
		expect(mislabelled.get('content-type')).toBe('image/png');
	});
});
