import { describe, expect, it } from 'vitest';
import {
	hasUnsafeCharacters,
	sanitizeDeep,
	sanitizeSingleLine,
	sanitizeText
} from './text-sanitize';

describe('sanitizeText', () => {
	it('removes NUL, C0 and C1 controls and DEL, keeps tab and line breaks', () => {
		expect(sanitizeText('a\u0000b\u0007c\u001bd\u007fe\u0085f\u009fg')).toBe('abcdefg');
		expect(sanitizeText('ligne 1\r\nligne 2\n\tretrait')).toBe('ligne 1\r\nligne 2\n\tretrait');
		expect(sanitizeText('a\u000bb\u000cc')).toBe('abc');
	});

	it('removes bidi embeddings, overrides and isolates', () => {
		expect(sanitizeText('rapport\u202Efdp.exe')).toBe('rapportfdp.exe');
		for (const c of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069]) {
			expect(sanitizeText(`x${String.fromCharCode(c)}y`)).toBe('xy');
		}
	});

	it('keeps French text, other scripts and emoji intact', () => {
		const text = 'Œdème « aigu » — né le 12/03/1954 ; 肺癌 ; عربي ; 👍';
		expect(sanitizeText(text)).toBe(text);
		expect(hasUnsafeCharacters(text)).toBe(false);
		expect(hasUnsafeCharacters('a\u0000')).toBe(true);
	});

	it('single-line text loses tabs and line breaks as well', () => {
		expect(sanitizeText('a\tb\nc', { multiline: false })).toBe('abc');
		expect(sanitizeSingleLine('DURAND\r\nBcc: x@y.fr')).toBe('DURAND Bcc: x@y.fr');
	});
});

describe('sanitizeDeep', () => {
	it('cleans every string of a plain value and leaves dates and numbers', () => {
		const at = new Date('2026-12-02T10:00:00Z');
		const out = sanitizeDeep({ a: 'x\u0000', b: ['y\u202e'], c: { d: 3, e: at, f: null } });
		expect(out).toEqual({ a: 'x', b: ['y'], c: { d: 3, e: at, f: null } });
		expect(out.c.e).toBe(at);
	});
});
