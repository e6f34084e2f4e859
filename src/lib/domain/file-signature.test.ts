import { describe, expect, it } from 'vitest';
import {
	checkUpload,
	cleanFileName,
	detectDocumentType,
	MAX_DOCUMENT_BYTES
} from './file-signature';

const enc = (s: string) => new TextEncoder().encode(s);
const pdf = enc('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n');
const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
const exe = enc('MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode');

function upload(fileName: string, head: Uint8Array, declaredType = '', size = head.length) {
	return checkUpload({ fileName, declaredType, size, head });
}

describe('document type from magic bytes', () => {
	it('recognises PDF, PNG and JPEG and nothing else', () => {
		expect(detectDocumentType(pdf)).toBe('application/pdf');
		expect(detectDocumentType(new Uint8Array([0xef, 0xbb, 0xbf, ...pdf]))).toBe('application/pdf');
		expect(detectDocumentType(png)).toBe('image/png');
		expect(detectDocumentType(jpeg)).toBe('image/jpeg');
		for (const other of [elf, exe, enc('<html><body>'), enc('<svg xmlns='), enc('PK\x03\x04')]) {
			expect(detectDocumentType(other)).toBeNull();
		}
		// A PDF header buried after other content is not a PDF.
		expect(detectDocumentType(enc('<html>%PDF-1.4'))).toBeNull();
		expect(detectDocumentType(new Uint8Array())).toBeNull();
	});
});

describe('upload checks', () => {
	it('accepts matching name, content and declared type', () => {
		expect(upload('cr-anapath.pdf', pdf, 'application/pdf')).toEqual({
			ok: true,
			fileName: 'cr-anapath.pdf',
			contentType: 'application/pdf'
		});
		expect(upload('scanner.JPG', jpeg, 'image/jpeg')).toMatchObject({ ok: true });
		expect(upload('coupe.jpeg', jpeg, 'image/jpg')).toMatchObject({ ok: true });
		expect(upload('echo.png', png, 'application/octet-stream')).toMatchObject({ ok: true });
	});

	it('refuses what the name says but the content is not', () => {
		for (const [name, head] of [
			['rapport.pdf', exe],
			['rapport.pdf', elf],
			['image.png', enc('<!DOCTYPE html><script>alert(1)</script>')],
			['image.png', jpeg],
			['photo.jpg', pdf]
		] as const) {
			const check = upload(name, head);
			expect(check.ok, name).toBe(false);
			if (!check.ok) expect(check.error).toContain('ne correspond pas');
		}
	});

	it('refuses other types, even when the content is fine', () => {
		expect(upload('dessin.svg', enc('<svg></svg>'), 'image/svg+xml')).toMatchObject({ ok: false });
		expect(upload('archive.zip', enc('PK\x03\x04'))).toMatchObject({ ok: false });
		expect(upload('rapport.pdf.exe', pdf)).toMatchObject({ ok: false });
		expect(upload('sans-extension', pdf)).toMatchObject({ ok: false });
	});

	it('refuses a declared type that contradicts the content', () => {
		const check = upload('cr.pdf', pdf, 'text/html');
		expect(check).toMatchObject({ ok: false });
		if (!check.ok) expect(check.error).toContain('text/html');
	});

	it('refuses empty and oversized files', () => {
		expect(upload('vide.pdf', new Uint8Array(), '', 0)).toMatchObject({
			ok: false,
			error: 'Le fichier est vide : choisissez un compte rendu ou une image.'
		});
		const big = upload('gros.pdf', pdf, 'application/pdf', MAX_DOCUMENT_BYTES + 1);
		expect(big).toMatchObject({ ok: false });
		if (!big.ok) expect(big.error).toContain('20 Mo');
	});

	it('keeps only the base name of a path', () => {
		expect(cleanFileName('../../etc/passwd.pdf')).toBe('passwd.pdf');
		expect(cleanFileName('C:\\scans\\CR écho.pdf')).toBe('CR écho.pdf');
		expect(cleanFileName('..\\..\\boot.ini')).toBe('boot.ini');
		expect(cleanFileName('.htaccess')).toBe('htaccess');
		expect(cleanFileName('a\u0000b<c>.pdf')).toBe('abc.pdf');
		expect(cleanFileName(`${'x'.repeat(300)}.pdf`)).toHaveLength(120);
		expect(upload('../../etc/passwd.pdf', pdf)).toMatchObject({ ok: true, fileName: 'passwd.pdf' });
	});
});
