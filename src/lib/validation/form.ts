import { z } from 'zod';

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string | string[]>;

export type ParseResult<T> =
	| { ok: true; data: T; values: FormValues }
	| { ok: false; errors: FieldErrors; values: FormValues };

/** Fields never sent back to the browser after a failed submission. */
const secretFields = new Set(['password', 'newPassword', 'confirmPassword']);

/** Collects a form's text fields; a repeated name (checkboxes, multi-select) becomes a list. */
export function readForm(form: FormData): FormValues {
	const values: FormValues = {};
	for (const [key, value] of form.entries()) {
		if (typeof value !== 'string') continue;
		const existing = values[key];
		if (existing === undefined) values[key] = value;
		else values[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
	}
	return values;
}

export function safeValues(values: FormValues): FormValues {
	return Object.fromEntries(Object.entries(values).filter(([k]) => !secretFields.has(k)));
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

/** RPPS: 11 digits, the last a Luhn check digit. */
export function isValidRpps(value: string): boolean {
	if (!/^\d{11}$/.test(value)) return false;
	let sum = 0;
	for (let i = 0; i < 11; i++) {
		let d = Number(value[10 - i]);
		if (i % 2 === 1) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return sum % 10 === 0;
}

export const optionalRpps = z
	.string()
	.trim()
	.optional()
	.transform((v) => (v ? v.replace(/\s/g, '') : null))
	.refine((v) => v === null || /^\d{11}$/.test(v), 'Le numéro RPPS comporte 11 chiffres.')
	.refine(
		(v) => v === null || isValidRpps(v),
		'Le numéro RPPS n’est pas valide (chiffre de contrôle).'
	);

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
