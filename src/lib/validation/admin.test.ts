import { describe, expect, it } from 'vitest';
import { userSchema } from './admin';
import { parseForm } from './form';

function form(values: Record<string, string>): FormData {
	const f = new FormData();
	for (const [k, v] of Object.entries(values)) f.append(k, v);
	return f;
}

const user = {
	email: 'c.martin@chu-exemple.fr',
	firstName: 'Claire',
	lastName: 'Martin',
	sector: 'establishment'
};

describe('manual user form: RPPS', () => {
	it('accepts an RPPS with a right Luhn key, and the 12-digit national identifier', () => {
		const ok = parseForm(userSchema, form({ ...user, rpps: '1000 1341 998' }));
		expect(ok.ok && ok.data.rpps).toBe('10001341998');
		const national = parseForm(userSchema, form({ ...user, rpps: '810000705706' }));
		expect(national.ok && national.data.rpps).toBe('10000705706');
		const none = parseForm(userSchema, form({ ...user, rpps: '' }));
		expect(none.ok && none.data.rpps).toBeNull();
	});

	it('refuses a wrong key on the RPPS field with a French message, keeping the values', () => {
		const parsed = parseForm(userSchema, form({ ...user, rpps: '10001341999' }));
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors.rpps).toBe(
			'Le numéro RPPS n’est pas valide : la clé (chiffre de contrôle, le dernier) est fausse. Vérifiez le numéro.'
		);
		expect(parsed.values.lastName).toBe('Martin');
	});

	it('refuses a number of the wrong length', () => {
		const parsed = parseForm(userSchema, form({ ...user, rpps: '1000134199' }));
		expect(!parsed.ok && parsed.errors.rpps).toBe('Le numéro RPPS comporte 11 chiffres.');
	});
});
