import { describe, expect, it } from 'vitest';
import { checkFiness } from './finess';
import { checkRpps } from './rpps';
import { computeLuhnKey, hasValidLuhnKey } from './luhn';

describe('checkFiness', () => {
	it('accepts real FINESS numbers with their key', () => {
		expect(checkFiness('210780581')).toEqual({ ok: true, finess: '210780581' });
		expect(checkFiness(' 750 712 184 ')).toEqual({ ok: true, finess: '750712184' });
	});

	it('refuses a wrong key, naming the key', () => {
		expect(checkFiness('210780582')).toEqual({
			ok: false,
			error: 'La clé du numéro FINESS (dernier chiffre) est fausse : vérifiez le numéro.'
		});
		// One digit swapped: Luhn catches adjacent transpositions.
		expect(checkFiness('217080581').ok).toBe(false);
	});

	it('refuses a wrong length or characters', () => {
		for (const bad of ['21078058', '2107805811', '21078058A', '', 'AB0780581'])
			expect(checkFiness(bad).ok).toBe(false);
	});

	it('accepts the Corsican form, upper-cased, without a key check', () => {
		expect(checkFiness('2a0000014')).toEqual({ ok: true, finess: '2A0000014' });
	});
});

describe('checkRpps', () => {
	it('accepts numbers of the public directory', () => {
		for (const r of ['10001341998', '10000705706', '10100192334'])
			expect(checkRpps(r)).toEqual({ ok: true, rpps: r });
	});

	it('accepts the national identifier (8 + RPPS) and strips the prefix', () => {
		expect(checkRpps('810001341998')).toEqual({ ok: true, rpps: '10001341998' });
	});

	it('refuses a wrong key or length', () => {
		expect(checkRpps('10001341997')).toEqual({
			ok: false,
			error: 'La clé du numéro RPPS (dernier chiffre) est fausse : vérifiez le numéro.'
		});
		expect(checkRpps('1000134199')).toEqual({
			ok: false,
			error: 'Le numéro RPPS comporte 11 chiffres.'
		});
	});
});

describe('luhn', () => {
	it('computes the key that validates', () => {
		expect(computeLuhnKey('1000134199')).toBe('8');
		expect(computeLuhnKey('21078058')).toBe('1');
		expect(hasValidLuhnKey('12a')).toBe(false);
	});
});
