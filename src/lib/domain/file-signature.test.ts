import { describe, expect, it } from 'vitest';
import {
	checkUpload,
	cleanFileName,
	detectDocumentType,
	MAX_DOCUMENT_BYTES
} from './file-signature';

const enc = (s: string) => new TextEncoder().encode(s);
const pdf = enc('%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n');
const u16 = (n: number) => [n >> 8, n & 0xff];
const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
/** PNG signature and IHDR: what the checks read of an image. */
const pngOf = (w: number, h: number) =>
	new Uint8Array([
		0x89,
		0x50,
		0x4e,
		0x47,
		0x0d,
		0x0a,
		0x1a,
		0x0a,
		...u32(13),
		0x49,
		0x48,
		0x44,
		0x52,
		...u32(w),
		...u32(h),
		8,
		2,
		0,
		0,
		0
	]);
/** SOI, a JFIF APP0, then a baseline start of frame. */
const jpegOf = (w: number, h: number) =>
	new Uint8Array([
		0xff,
		0xd8,
		0xff,
		0xe0,
		0,
		16,
		0x4a,
		0x46,
		0x49,
		0x46,
		0,
		1,
		1,
		0,
		0,
		1,
		0,
		1,
		0,
		0,
		0xff,
		0xc0,
		0,
		11,
		8,
		...u16(h),
		...u16(w),
		1,
		1,
		0x11,
		0
	]);
const png = pngOf(640, 480);
const jpeg = jpegOf(1024, 768);
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

	it('refuses images beyond the pixel budget, read from their header', () => {
		const bomb = upload('bombe.png', pngOf(100_000, 100_000), 'image/png');
		expect(bomb).toMatchObject({ ok: false });
		if (!bomb.ok) expect(bomb.error).toContain('trop grande');
		expect(upload('large.jpg', jpegOf(30_000, 100), 'image/jpeg')).toMatchObject({ ok: false });
		expect(upload('photo.jpg', jpegOf(8000, 6000), 'image/jpeg')).toMatchObject({ ok: true });
		// The frame header may sit past the first kilobyte: the whole content is read.
		const exif = new Uint8Array([0xff, 0xd8, 0xff, 0xe1, ...u16(5002), ...new Array(5000).fill(0)]);
		const late = new Uint8Array([...exif, ...jpegOf(9000, 9000).subarray(2)]);
		const check = checkUpload({
			fileName: 'exif.jpg',
			declaredType: 'image/jpeg',
			size: late.length,
			head: late.subarray(0, 1024),
			content: late
		});
		expect(check).toMatchObject({ ok: false });
		if (!check.ok) expect(check.error).toContain('trop grande');
		// An image without a readable frame header is refused too.
		expect(upload('tronque.jpg', jpeg.subarray(0, 12), 'image/jpeg')).toMatchObject({
			ok: false
		});
	});

	it('keeps only the base name of a path', () => {
		expect(cleanFileName('../../etc/passwd.pdf')).toBe('passwd.pdf');
		expect(cleanFileName('C:\\scans\\CR écho.pdf')).toBe('CR écho.pdf');
		expect(cleanFileName('..\\..\\boot.ini')).toBe('boot.ini');
		expect(cleanFileName('.htaccess')).toBe('htaccess');
		expect(cleanFileName('a\u0000b<c>.pdf')).toBe('abc.pdf');
		expect(cleanFileName(`${'x'.repeat(300)}.pdf`)).toHaveLength(120);
		expect(cleanFileName(`${'x'.repeat(300)}.pdf`).endsWith('.pdf')).toBe(true);
		expect(cleanFileName(`${'é'.repeat(200)}.jpeg`)).toBe(`${'é'.repeat(115)}.jpeg`);
		expect(cleanFileName('rapport\u202Efdp.exe')).toBe('rapportfdp.exe');
		expect(cleanFileName('\u2066cr\u2069\u200b.pdf')).toBe('cr.pdf');
		expect(cleanFileName('cr\r\nSet-Cookie: x.pdf')).toBe('cr Set-Cookie x.pdf');
		expect(cleanFileName('...\u0085 .bashrc')).toBe('bashrc');
		expect(upload('../../etc/passwd.pdf', pdf)).toMatchObject({ ok: true, fileName: 'passwd.pdf' });
	});
});
