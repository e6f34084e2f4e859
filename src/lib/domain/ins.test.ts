import { describe, it, expect } from 'vitest';
import { checkIns, checkInsTraits, computeInsKey, formatIns, insOids } from './ins';

const keyError =
	'Le matricule INS ne correspond pas à sa clé (2 derniers chiffres) : une erreur de saisie s’est glissée. Vérifiez chaque chiffre sur la carte Vitale ou l’attestation de droits.';

// Each key below is checked by hand: n = 97 × q + r, key = 97 − r.
// 2 69 05 49 588 157: 2690549588157 = 97 × 27737624620 + 17 → key 80 (published example).
// 1 84 12 76 451 089: 1841276451089 = 97 × 18982231454 + 51 → key 46 (published example).
// 1 85 05 2A 123 456: 2A → 19, 1850519123456 = 97 × 19077516736 + 64 → key 33.
// 2 92 11 2B 045 012: 2B → 18, 2921118045012 = 97 × 30114619020 + 72 → key 25.
// 7 80 03 99 123 456 (NIA): 7800399123456 = 97 × 80416485808 + 80 → key 17.
// 8 95 12 99 001 234 (NIA): 8951299001234 = 97 × 92281433002 + 40 → key 57.
// 3 75 06 99 012 345: 3750699012345 = 97 × 38667000127 + 26 → key 71.
// 1 84 30 76 451 089: 1843076451089 = 97 × 19000788155 + 54 → key 43.
// 2 01 55 99 999 999: 2015599999999 = 97 × 20779381443 + 28 → key 69.
// 1 84 05 76 000 070: 1840576000070 = 97 × 18975010310 + 0 → key 97.
// 1 84 05 76 000 068: 1840576000068 = 97 × 18975010309 + 95 → key 02.

describe('computeInsKey', () => {
	it.each([
		['2690549588157', '80'],
		['1841276451089', '46'],
		['185052A123456', '33'],
		['292112B045012', '25'],
		['7800399123456', '17'],
		['1840576000070', '97'],
		['1840576000068', '02']
	])('key of %s is %s', (first13, key) => {
		expect(computeInsKey(first13)).toBe(key);
	});

	it('accepts lower case Corsican departments and spaces', () => {
		expect(computeInsKey('1 85 05 2a 123 456')).toBe('33');
	});

	it('throws on input that is not 13 NIR characters', () => {
		expect(() => computeInsKey('123')).toThrow(RangeError);
		expect(() => computeInsKey('18505AA123456')).toThrow(RangeError);
	});
});

describe('checkIns', () => {
	it('accepts the published female NIR and reads its traits', () => {
		expect(checkIns('269054958815780')).toEqual({
			ok: true,
			matricule: '269054958815780',
			kind: 'NIR',
			sex: 'F',
			birthYear2: '69',
			birthMonth: '05'
		});
	});

	it('accepts spaces and normalizes them away', () => {
		const r = checkIns(' 1 84 12 76 451 089 46 ');
		expect(r).toMatchObject({ ok: true, matricule: '184127645108946', sex: 'M', birthMonth: '12' });
	});

	it('accepts Corsican departments 2A and 2B, in any case', () => {
		expect(checkIns('1 85 05 2A 123 456 33')).toMatchObject({
			ok: true,
			matricule: '185052A12345633'
		});
		expect(checkIns('1 85 05 2a 123 456 33')).toMatchObject({
			ok: true,
			matricule: '185052A12345633'
		});
		expect(checkIns('2 92 11 2B 045 012 25')).toMatchObject({ ok: true, sex: 'F' });
	});

	it('refuses a Corsican matricule whose key ignores the 2A substitution', () => {
		// 2A read as 20 would give a different key; 33 is the only valid one.
		expect(checkIns('185052A12345634')).toEqual({
			ok: false,
			error: keyError
		});
	});

	it('recognizes NIA numbers and their sex', () => {
		expect(checkIns('780039912345617')).toMatchObject({ ok: true, kind: 'NIA', sex: 'M' });
		expect(checkIns('895129900123457')).toMatchObject({ ok: true, kind: 'NIA', sex: 'F' });
	});

	it('accepts first digit 3 as a male NIR', () => {
		expect(checkIns('375069901234571')).toMatchObject({ ok: true, kind: 'NIR', sex: 'M' });
	});

	it('accepts INSEE fictitious months with a null birth month', () => {
		expect(checkIns('184307645108943')).toMatchObject({ ok: true, birthMonth: null });
		expect(checkIns('201559999999969')).toMatchObject({ ok: true, birthMonth: null });
	});

	it('accepts key 97 and zero-padded keys', () => {
		expect(checkIns('184057600007097').ok).toBe(true);
		expect(checkIns('184057600006802').ok).toBe(true);
		expect(checkIns('18405760000682').ok).toBe(false);
	});

	it('requires a value', () => {
		expect(checkIns('')).toEqual({ ok: false, error: 'Le matricule INS est obligatoire.' });
		expect(checkIns('   ')).toEqual({ ok: false, error: 'Le matricule INS est obligatoire.' });
	});

	it.each(['12345', '2690549588157801', '2-69-05-49-588-157-80'])(
		'refuses %s for its length',
		(input) => {
			expect(checkIns(input)).toEqual({
				ok: false,
				error:
					'Le matricule INS doit comporter 15 caractères : 13 pour le NIR ou le NIA et 2 pour la clé.'
			});
		}
	);

	// The message names the letter and where it is (behaviour changed on purpose: it used to be
	// a generic « chiffres » message, and a 14- or 16-character input got the length message).
	it.each([
		['26905495881578O', '15e', 'O'],
		['abcdefghijklmno', '1er', 'A'],
		['26905AB58815780', '6e', 'A'],
		['2690549588157O', '14e', 'O'],
		['2 69 05 49 588 l57 80', '11e', 'L'],
		['185052C12345633', '7e', 'C']
	])('refuses %s for its letter (%s character), not its length', (input, position, letter) => {
		const r = checkIns(input);
		expect(r.ok).toBe(false);
		if (r.ok) return;
		expect(r.error).toContain(
			`Le ${position} caractère du matricule INS est une lettre (« ${letter} »)`
		);
		expect(r.error).not.toMatch(/15 caractères/);
	});

	it('keeps the shape message for other characters', () => {
		expect(checkIns('269054958815.80')).toEqual({
			ok: false,
			error:
				'Le matricule INS ne contient que des chiffres, sauf 2A ou 2B (6e et 7e caractères) pour une naissance en Corse.'
		});
	});

	it('never names the expected key when a letter stands in the key', () => {
		const r = checkIns('2690549588157O0');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error).not.toMatch(/80/);
	});

	it('never shows the expected key', () => {
		const r = checkIns('269054958815781');
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error).not.toMatch(/80/);
	});

	it.each(['0', '5', '6', '9'])('refuses first digit %s', (digit) => {
		const r = checkIns(`${digit}69054958815780`);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error).toMatch(/premier chiffre/);
	});

	it.each(['00', '13', '19', '43', '49'])('refuses month %s', (month) => {
		const r = checkIns(`269${month}4958815780`);
		expect(r.ok).toBe(false);
		if (!r.ok) expect(r.error).toMatch(/mois/);
	});

	it('refuses a wrong key without giving the expected one away', () => {
		expect(checkIns('269054958815781')).toEqual({
			ok: false,
			error: keyError
		});
		expect(checkIns('184127645108964')).toEqual({
			ok: false,
			error: keyError
		});
	});

	it('refuses a swapped pair of digits (the key catches it)', () => {
		expect(checkIns('269054985815780').ok).toBe(false);
	});
});

describe('checkInsTraits', () => {
	const nir = '269054958815780'; // woman born May 1969

	it('finds no contradiction with consistent traits', () => {
		expect(checkInsTraits(nir, { sex: 'F', birthDate: '1969-05-12' })).toEqual([]);
	});

	it('does not compare an indeterminate sex', () => {
		expect(checkInsTraits(nir, { sex: 'I', birthDate: '1969-05-12' })).toEqual([]);
	});

	it('reports each contradiction', () => {
		const problems = checkInsTraits(nir, { sex: 'M', birthDate: '1970-06-12' });
		expect(problems).toHaveLength(3);
		expect(problems[0]).toMatch(/sexe/);
		expect(problems[1]).toMatch(/année/);
		expect(problems[2]).toMatch(/mois/);
	});

	it('compares the last two digits of the year only', () => {
		expect(checkInsTraits(nir, { sex: 'F', birthDate: '2069-05-01' })).toEqual([]);
	});

	it('does not compare the month when the matricule month is fictitious', () => {
		expect(checkInsTraits('184307645108943', { sex: 'M', birthDate: '1984-07-01' })).toEqual([]);
	});

	it('checks NIA sex too', () => {
		expect(checkInsTraits('895129900123457', { sex: 'M', birthDate: '1995-12-03' })).toHaveLength(
			1
		);
	});

	it('stays silent on an invalid matricule or an unreadable date', () => {
		expect(checkInsTraits('269054958815781', { sex: 'M', birthDate: '1970-01-01' })).toEqual([]);
		expect(checkInsTraits(nir, { sex: 'F', birthDate: '12/05/1969' })).toEqual([]);
	});
});

describe('formatIns', () => {
	it('groups 1 2 2 2 3 3 2', () => {
		expect(formatIns('184127645108946')).toBe('1 84 12 76 451 089 46');
		expect(formatIns('185052a12345633')).toBe('1 85 05 2A 123 456 33');
	});

	it('reformats an already spaced value', () => {
		expect(formatIns('2 690 549 588 157 80')).toBe('2 69 05 49 588 157 80');
	});

	it('leaves other lengths as they are, normalized', () => {
		expect(formatIns('12 34')).toBe('1234');
	});
});

describe('insOids', () => {
	it('holds the ANS OIDs', () => {
		expect(insOids).toEqual({
			nir: '1.2.250.1.213.1.4.8',
			nia: '1.2.250.1.213.1.4.9',
			test: '1.2.250.1.213.1.4.10',
			demo: '1.2.250.1.213.1.4.11'
		});
	});
});
