/**
 * Password policy (OWASP ASVS V6.2): length over composition rules, no common password, nothing
 * taken from the account itself. Pure: every place that sets a password (administrator creation
 * and reset, own change, first administrator at start-up) asks it, and so do the tests.
 *
 * The common-password list is the one zxcvbn-ts ships (about 49,000 passwords from public
 * breaches), bundled in the package: no network at run time.
 */
import { dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Who the password is for: what it must not contain. */
export interface PasswordOwner {
	email?: string | null;
	firstName?: string | null;
	lastName?: string | null;
}

export const passwordMessages = {
	required: 'Le mot de passe est obligatoire.',
	tooShort: `Le mot de passe doit comporter au moins ${MIN_PASSWORD_LENGTH} caractères.`,
	tooLong: 'Le mot de passe est trop long.',
	common:
		'Ce mot de passe fait partie des mots de passe les plus courants ; choisissez-en un autre, par exemple une phrase de plusieurs mots.',
	personal:
		'Le mot de passe ne doit contenir ni le nom, ni le prénom, ni l’adresse électronique du compte.'
} as const;

let common: Set<string> | undefined;
function commonPasswords(): Set<string> {
	common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
	return common;
}

/** How many passwords the common list holds (for the tests and the README). */
export function commonPasswordCount(): number {
	return commonPasswords().size;
}

/** Lower case without accents, so « Hélène » and « helene » compare equal. */
export function foldText(value: string): string {
	return value.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * A common password, as is or dressed up with digits and punctuation around it
 * (`Password2026!`, `!!soleil123456`): what guessing tools try first.
 */
export function isCommonPassword(password: string): boolean {
	const list = commonPasswords();
	const folded = password.toLowerCase();
	if (list.has(folded)) return true;
	const core = folded.replace(/^[\d\p{P}\p{S}\s]+|[\d\p{P}\p{S}\s]+$/gu, '');
	return core.length >= 4 && core !== folded && list.has(core);
}

/** The words of the account that a password must not contain: 3 letters or more, folded. */
export function personalWords(owner: PasswordOwner): string[] {
	const words = new Set<string>();
	const add = (raw: string | null | undefined, splitToo: boolean) => {
		if (!raw) return;
		const folded = foldText(raw.trim());
		const parts = splitToo ? [folded, ...folded.split(/[^\p{L}\p{N}]+/u)] : [folded];
		for (const part of parts) {
			if ((part.match(/\p{L}/gu)?.length ?? 0) >= 3) words.add(part);
		}
	};
	const localPart = owner.email?.split('@')[0];
	add(localPart, true);
	add(owner.firstName, true);
	add(owner.lastName, true);
	return [...words];
}

/** Null when the password is acceptable, else the French message for the password field. */
export function checkPasswordPolicy(password: string, owner: PasswordOwner = {}): string | null {
	if (!password) return passwordMessages.required;
	if ([...password].length < MIN_PASSWORD_LENGTH) return passwordMessages.tooShort;
	if (password.length > MAX_PASSWORD_LENGTH) return passwordMessages.tooLong;
	if (isCommonPassword(password)) return passwordMessages.common;
	const folded = foldText(password);
	if (personalWords(owner).some((word) => folded.includes(word))) return passwordMessages.personal;
	return null;
}
