import { describe, expect, it } from 'vitest';
import { cleanFileName, contentDisposition } from './file-name';

describe('contentDisposition', () => {
	it('gives an ASCII fallback and the UTF-8 name per RFC 5987', () => {
		// Quotes are reserved on Windows: cleaned out of the name before the header is built.
		expect(contentDisposition('CR écho "final".pdf')).toBe(
			`attachment; filename="CR echo final.pdf"; filename*=UTF-8''CR%20%C3%A9cho%20final.pdf`
		);
		expect(contentDisposition('coupe.png', 'inline')).toBe(
			`inline; filename="coupe.png"; filename*=UTF-8''coupe.png`
		);
	});

	it('percent-encodes what RFC 5987 does not allow bare', () => {
		expect(contentDisposition("l'IRM (2) *.pdf")).toBe(
			`attachment; filename="l'IRM (2) .pdf"; filename*=UTF-8''l%27IRM%20%282%29%20.pdf`
		);
		expect(contentDisposition('100%.pdf')).toContain('filename="100_.pdf"');
	});

	it('keeps the extension when the name has no ASCII letter', () => {
		expect(contentDisposition('肺癌.pdf')).toBe(
			`attachment; filename="document.pdf"; filename*=UTF-8''%E8%82%BA%E7%99%8C.pdf`
		);
	});

	it('cannot be used to inject a header or hide the real extension', () => {
		const header = contentDisposition('a\r\nSet-Cookie: x=1\u202E.pdf');
		expect(header).not.toMatch(/[\r\n\u202e]/);
		expect(header).toContain('filename="a Set-Cookie x=1.pdf"');
		expect(contentDisposition('')).toBe(
			`attachment; filename="document"; filename*=UTF-8''document`
		);
	});
});

describe('cleanFileName', () => {
	it('drops folders, leading dots, controls and bidi characters, and bounds the length', () => {
		expect(cleanFileName('../../.secret\u0000.pdf')).toBe('secret.pdf');
		expect(cleanFileName(`${'a'.repeat(130)}.pdf`)).toBe(`${'a'.repeat(116)}.pdf`);
		// Astral characters are counted, never cut in half.
		const long = cleanFileName(`${'🩻'.repeat(130)}.png`);
		expect([...long]).toHaveLength(120);
		expect(long.endsWith('🩻.png')).toBe(true);
	});
});
