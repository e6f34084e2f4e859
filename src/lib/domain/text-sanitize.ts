/**
 * Text that reaches the database, PDFs, FHIR and mails carries no invisible controls: NUL and
 * the other C0/C1 control characters (they break XML, PDF text and mail headers), and the
 * Unicode bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make a file name or a
 * sentence read differently from what it holds (« Trojan Source »). Tab, LF and CR stay in
 * multi-line text; single-line text loses them too.
 */

// C0 controls except tab, LF, CR; DEL; C1 controls; bidi embeddings, overrides and isolates.
const unsafeMultiLine =
	// eslint-disable-next-line no-control-regex
	/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const unsafeSingleLine = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Removes control and bidi characters; `multiline` keeps tab, LF and CR. */
export function sanitizeText(value: string, options: { multiline?: boolean } = {}): string {
	return value.replace(options.multiline === false ? unsafeSingleLine : unsafeMultiLine, '');
}

/** One line of text: line breaks and tabs become a space, other controls are removed. */
export function sanitizeSingleLine(value: string): string {
	return sanitizeText(value.replace(/[\t\n\r]+/g, ' '), { multiline: false });
}

/** Whether a text holds anything sanitizeText would remove. */
export function hasUnsafeCharacters(value: string): boolean {
	return new RegExp(unsafeMultiLine.source).test(value);
}

/**
 * Every string inside a plain value (objects, arrays) sanitised as multi-line text; dates,
 * numbers and other values are kept as they are. For data handed to a renderer.
 */
export function sanitizeDeep<T>(value: T): T {
	if (typeof value === 'string') return sanitizeText(value) as T;
	if (Array.isArray(value)) return value.map((v) => sanitizeDeep(v)) as T;
	if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
		return Object.fromEntries(
			Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, sanitizeDeep(v)])
		) as T;
	}
	return value;
}
