import { sanitizeSingleLine } from './text-sanitize';

/** Longest file name kept (in characters), extension included. */
export const MAX_FILE_NAME_LENGTH = 120;

/**
 * The name a file keeps for display and download: any folder part is dropped (a client may
 * send « ../../etc/passwd.pdf » or « C:\\scans\\cr.pdf »), control and bidi characters go (a
 * « rapport‮fdp.exe » must not read as a PDF), so do the characters Windows reserves and the
 * leading dots (no hidden file), and the length is bounded with the extension kept.
 */
export function cleanFileName(name: string): string {
	const base = name.split(/[\\/]/).pop() ?? '';
	const cleaned = sanitizeSingleLine(base.normalize('NFC'))
		.replace(/[\u200B-\u200F\uFEFF"<>|:*?]/g, '')
		.replace(/^[.\s]+/, '')
		.replace(/\s+/g, ' ')
		.trim();
	const chars = [...cleaned];
	if (chars.length <= MAX_FILE_NAME_LENGTH) return cleaned;
	const dot = cleaned.lastIndexOf('.');
	const ext = dot > 0 && cleaned.length - dot <= 10 ? [...cleaned.slice(dot)] : [];
	const stem = chars.slice(0, chars.length - ext.length);
	return (
		stem
			.slice(0, MAX_FILE_NAME_LENGTH - ext.length)
			.join('')
			.trimEnd() + ext.join('')
	);
}

/** RFC 5987 `ext-value` characters: what encodeURIComponent leaves, minus ' ( ) *. */
function encodeRfc5987(value: string): string {
	return encodeURIComponent(value).replace(
		/['()*]/g,
		(c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
	);
}

/** The ASCII fallback name for old clients: accents dropped, quotes and escapes replaced. */
function asciiFallback(name: string): string {
	const ascii = name
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^\x20-\x7e]/g, '_')
		.replace(/["\\%]/g, '_');
	const dot = ascii.lastIndexOf('.');
	const stem = dot > 0 ? ascii.slice(0, dot) : ascii;
	// A name in another script keeps its extension, so the download still opens.
	if (!/[A-Za-z0-9]/.test(stem)) return `document${dot >= 0 ? ascii.slice(dot) : ''}`;
	return ascii;
}

/**
 * `Content-Disposition` (RFC 6266): an ASCII `filename` for old clients and the UTF-8 name in
 * `filename*` (RFC 5987). The name is cleaned again: a stored row must not inject a header.
 */
export function contentDisposition(
	fileName: string,
	disposition: 'attachment' | 'inline' = 'attachment'
): string {
	const name = cleanFileName(fileName) || 'document';
	return `${disposition}; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
