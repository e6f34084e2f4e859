import { z } from 'zod';
import {
	MAX_PASSWORD_LENGTH,
	MIN_PASSWORD_LENGTH,
	passwordMessages
} from '$lib/domain/password-policy';
import { emailField } from './form';

export const loginSchema = z.object({
	email: emailField,
	password: z
		.string({ error: passwordMessages.required })
		.min(1, passwordMessages.required)
		.max(MAX_PASSWORD_LENGTH, passwordMessages.tooLong),
	redirectTo: z.string().optional()
});

/**
 * The shape of a new password typed twice. The full policy (common passwords, the account's own
 * names) needs the account: `checkPasswordPolicy` runs where the password is set.
 */
const newPasswordFields = {
	password: z
		.string({ error: passwordMessages.required })
		.min(1, passwordMessages.required)
		.refine((v) => [...v].length >= MIN_PASSWORD_LENGTH, passwordMessages.tooShort)
		.refine((v) => v.length <= MAX_PASSWORD_LENGTH, passwordMessages.tooLong),
	confirmPassword: z.string().optional()
};
const sameTwice = {
	message: 'Les deux mots de passe ne sont pas identiques.',
	path: ['confirmPassword']
};

export const newPasswordSchema = z
	.object(newPasswordFields)
	.refine((v) => v.password === v.confirmPassword, sameTwice);

/** Changing one's own password: the current one first, then the new one twice. */
export const changePasswordSchema = z
	.object({
		currentPassword: z
			.string({ error: 'Le mot de passe actuel est obligatoire.' })
			.min(1, 'Le mot de passe actuel est obligatoire.')
			.max(MAX_PASSWORD_LENGTH, passwordMessages.tooLong),
		...newPasswordFields
	})
	.refine((v) => v.password === v.confirmPassword, sameTwice);

const SITE = 'http://pluri.invalid';
// C0 and C1 controls, DEL, and the invisible characters browsers drop or reinterpret.
// eslint-disable-next-line no-control-regex
const forbidden = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\ufeff\\]/;

function looksUnsafe(path: string): boolean {
	return forbidden.test(path) || !path.startsWith('/') || /^\/[/\\]/.test(path);
}

/** True when the path, and every decoding of it, is a plain same-site absolute path. */
function holdsWhenDecoded(path: string): boolean {
	// A proxy or the browser may decode once more than this server does: every decoding must
	// hold. A malformed escape is refused; a literal % left after decoding is not.
	let decoded = path;
	for (let round = 0; ; round++) {
		if (looksUnsafe(decoded)) return false;
		let next: string;
		try {
			next = decodeURIComponent(decoded);
		} catch {
			return round > 0;
		}
		if (next === decoded) return true;
		if (round === 4) return false;
		decoded = next;
	}
}

/**
 * Only a same-site absolute path, so the login form cannot send anyone elsewhere. Browsers drop
 * tabs and newlines and read `\` as `/`, so `/%09/evil.example` or `/\evil.example` would become
 * `//evil.example`: the target is refused if any decoding of it holds a control character, a
 * backslash or a leading `//`, before and after URL normalisation. Anything refused gives `/`.
 */
export function safeRedirect(target: string | null | undefined): string {
	if (typeof target !== 'string' || !target || target.length > 2048) return '/';
	if (!holdsWhenDecoded(target)) return '/';
	let url: URL;
	try {
		url = new URL(target, SITE);
	} catch {
		return '/';
	}
	if (url.origin !== SITE) return '/';
	const path = `${url.pathname}${url.search}${url.hash}`;
	return holdsWhenDecoded(path) ? path : '/';
}
