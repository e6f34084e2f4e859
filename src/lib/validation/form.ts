import { z } from 'zod';
import { checkRpps } from '$lib/domain/rpps';
import { sanitizeText } from '$lib/domain/text-sanitize';

/** A record id as routes and forms carry it (UUID-shaped; never free text). */
export const idField = z
	.string()
	.trim()
	.regex(/^[\w-]{1,64}$/, 'Identifiant invalide.');

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string | string[]>;

export type ParseResult<T> =
	| { ok: true; data: T; values: FormValues }
	| { ok: false; errors: FieldErrors; values: FormValues };

/** Fields never sent back to the browser after a failed submission. */
const secretFields = new Set(['password', 'newPassword', 'confirmPassword']);

/**
 * Collects a form's text fields; a repeated name (checkboxes, multi-select) becomes a list.
 * Every value loses its control and bidi characters here, the one place forms are read, so
 * none reaches the database, PDFs, FHIR or mails. A form does not say which fields are
 * textareas: tab and line breaks are kept (single-line schemas trim them at the ends).
 */
export function readForm(form: FormData): FormValues {
	const values: FormValues = {};
	for (const [key, raw] of form.entries()) {
		if (typeof raw !== 'string') continue;
		const value = sanitizeText(raw);
		const existing = values[key];
		if (existing === undefined) values[key] = value;
		else values[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
	}
	return values;
}

/**
 * The values sent back to the browser after a failed submission: without secrets, and
 * sanitised again for callers that built the values themselves.
 */
export function safeValues(values: FormValues): FormValues {
	return Object.fromEntries(
		Object.entries(values)
			.filter(([k]) => !secretFields.has(k))
			.map(([k, v]) => [k, Array.isArray(v) ? v.map((x) => sanitizeText(x)) : sanitizeText(v)])
	);
}

export function toFieldErrors(error: z.ZodError): FieldErrors {
	const errors: FieldErrors = {};
	for (const issue of error.issues) {
		const key = issue.path.length ? issue.path.join('.') : 'form';
		errors[key] ??= issue.message;
	}
	return errors;
}

export function parseForm<T>(schema: z.ZodType<T>, form: FormData): ParseResult<T> {
	const values = readForm(form);
	const result = schema.safeParse(values);
	if (result.success) return { ok: true, data: result.data, values: safeValues(values) };
	return { ok: false, errors: toFieldErrors(result.error), values: safeValues(values) };
}

/** A required single-line text field, trimmed, with French messages. */
export function requiredText(label: string, max = 200) {
	return z
		.string({ error: `${label} est obligatoire.` })
		.trim()
		.min(1, `${label} est obligatoire.`)
		.max(max, `${label} ne doit pas dépasser ${max} caractères.`);
}

/** An optional text field: empty becomes null. */
export function optionalText(label: string, max = 200) {
	return z
		.string()
		.trim()
		.max(max, `${label} ne doit pas dépasser ${max} caractères.`)
		.optional()
		.transform((v) => (v ? v : null));
}

export const emailField = z
	.string({ error: 'L’adresse électronique est obligatoire.' })
	.trim()
	.toLowerCase()
	.min(1, 'L’adresse électronique est obligatoire.')
	.max(254, 'L’adresse électronique est trop longue.')
	.pipe(z.email('L’adresse électronique n’est pas valide (exemple : prenom.nom@hopital.fr).'));

export const optionalEmail = z
	.string()
	.trim()
	.toLowerCase()
	.max(254, 'L’adresse électronique est trop longue.')
	.optional()
	.transform((v) => v || null)
	.pipe(
		z.email('L’adresse électronique n’est pas valide (exemple : prenom.nom@hopital.fr).').nullable()
	);

/** RPPS: 11 digits, the last a Luhn key (domain/rpps.ts, the one check of the app). */
export function isValidRpps(value: string): boolean {
	return /^\d{11}$/.test(value) && checkRpps(value).ok;
}

/** An optional RPPS; the 12-digit « identification nationale » (8 + RPPS) is accepted too. */
export const optionalRpps = z
	.string()
	.trim()
	.optional()
	.transform((v, ctx) => {
		const text = v ? v.replace(/\s/g, '') : '';
		if (!text) return null;
		const rpps = /^8\d{11}$/.test(text) ? text.slice(1) : text;
		if (!/^\d{11}$/.test(rpps)) {
			ctx.addIssue({ code: 'custom', message: 'Le numéro RPPS comporte 11 chiffres.' });
			return z.NEVER;
		}
		if (!checkRpps(rpps).ok) {
			ctx.addIssue({
				code: 'custom',
				message:
					'Le numéro RPPS n’est pas valide : la clé (chiffre de contrôle, le dernier) est fausse. Vérifiez le numéro.'
			});
			return z.NEVER;
		}
		return rpps;
	});

export const checkbox = z
	.union([z.literal('on'), z.literal('true'), z.literal('1')])
	.optional()
	.transform((v) => v !== undefined);

/** A list from repeated form fields (checkboxes): absent = empty, one value = one item. */
export function stringList<T extends z.ZodType<string>>(item: T) {
	return z.preprocess(
		(v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
		z.array(item)
	);
}
