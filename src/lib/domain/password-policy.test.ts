import { describe, expect, it } from 'vitest';
import {
	checkPasswordPolicy,
	commonPasswordCount,
	foldText,
	isCommonPassword,
	passwordMessages,
	personalWords
} from './password-policy';

const helene = { email: 'h.rousseau@ch-saone.fr', firstName: 'Hélène', lastName: 'Rousseau' };

describe('password policy', () => {
	it('ships a common-password list of at least 10,000 entries', () => {
		expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
	});

	it('asks for 12 characters or more, counted as characters, not bytes', () => {
		expect(checkPasswordPolicy('')).toBe(passwordMessages.required);
		expect(checkPasswordPolicy('Court-2026!')).toBe(passwordMessages.tooShort);
		expect(checkPasswordPolicy('éléphant-vêt')).toBeNull();
		expect(checkPasswordPolicy('x'.repeat(257))).toBe(passwordMessages.tooLong);
	});

	it('refuses common passwords, whatever the case, and dressed up with digits or symbols', () => {
		expect(isCommonPassword('qwerty123456')).toBe(true);
		expect(checkPasswordPolicy('QWERTY123456')).toBe(passwordMessages.common);
		expect(checkPasswordPolicy('1q2w3e4r5t6y')).toBe(passwordMessages.common);
		expect(checkPasswordPolicy('Password2026!')).toBe(passwordMessages.common);
		expect(checkPasswordPolicy('!!sunshine123456')).toBe(passwordMessages.common);
		expect(checkPasswordPolicy('trustno1trustno1')).toBeNull();
	});

	it('refuses the e-mail local part and the names, ignoring case and accents', () => {
		expect(checkPasswordPolicy('mon-H.Rousseau-2026', helene)).toBe(passwordMessages.personal);
		expect(checkPasswordPolicy('rousseau-la-saone-71', helene)).toBe(passwordMessages.personal);
		expect(checkPasswordPolicy('Pour-HELENE-au-bloc', helene)).toBe(passwordMessages.personal);
		expect(checkPasswordPolicy('pour-helene-au-bloc', helene)).toBe(passwordMessages.personal);
		expect(checkPasswordPolicy('cardio-saone-du-lundi', helene)).toBeNull();
	});

	it('ignores name parts shorter than 3 letters and splits compound names', () => {
		const owner = { email: 'jp.le-goff@x.fr', firstName: 'Jean-Pierre', lastName: 'Le Goff' };
		expect(personalWords(owner)).toEqual(
			expect.arrayContaining(['jp.le-goff', 'goff', 'jean-pierre', 'jean', 'pierre', 'le goff'])
		);
		expect(personalWords(owner)).not.toContain('le');
		expect(personalWords(owner)).not.toContain('jp');
		expect(checkPasswordPolicy('le-bateau-vert-du-port', owner)).toBeNull();
		expect(checkPasswordPolicy('goffinet-et-compagnie', owner)).toBe(passwordMessages.personal);
		expect(checkPasswordPolicy('un-ami-nomme-ba-au-bloc', { lastName: 'Ba' })).toBeNull();
	});

	it('keeps the demo password valid for every kind of demo account', () => {
		for (const owner of [
			{ email: 'admin@demo.pluri.fr', firstName: 'Alex', lastName: 'Administrateur' },
			{ email: 'coordination@demo.pluri.fr', firstName: 'Claire', lastName: 'Bernard' },
			{ email: 'h.rousseau@demo.pluri.fr', firstName: 'Hélène', lastName: 'Rousseau' }
		])
			expect(checkPasswordPolicy('Demo-Pluri-2026', owner)).toBeNull();
	});

	it('folds accents and case', () => {
		expect(foldText('Éloïse ÇA')).toBe('eloise ca');
	});
});
