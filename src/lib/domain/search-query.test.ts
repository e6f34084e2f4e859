import { describe, expect, it } from 'vitest';
import { computeInsKey } from './ins';
import {
	describeSearchQuery,
	foldSearchText,
	parseFrenchDate,
	parseSearchQuery,
	splitSearchWords
} from './search-query';

const nir13 = '2580371076777';
const ins = nir13 + computeInsKey(nir13);

describe('search query parsing', () => {
	it('reads nothing from an empty box', () => {
		expect(parseSearchQuery('')).toEqual({ kind: 'empty' });
		expect(parseSearchQuery('   ')).toEqual({ kind: 'empty' });
		expect(parseSearchQuery(null)).toEqual({ kind: 'empty' });
	});

	it('reads a date typed as JJ/MM/AAAA (and its usual variants)', () => {
		expect(parseSearchQuery('21/03/1958')).toEqual({ kind: 'date', date: '1958-03-21' });
		expect(parseSearchQuery(' 1/3/1958 ')).toEqual({ kind: 'date', date: '1958-03-01' });
		expect(parseSearchQuery('21.03.1958')).toEqual({ kind: 'date', date: '1958-03-21' });
		expect(parseSearchQuery('21-03-1958')).toEqual({ kind: 'date', date: '1958-03-21' });
		expect(parseSearchQuery('1958-03-21')).toEqual({ kind: 'date', date: '1958-03-21' });
		expect(parseSearchQuery('29/02/2024')).toEqual({ kind: 'date', date: '2024-02-29' });
	});

	it('says why a date-shaped text is not a date', () => {
		for (const bad of ['31/02/2020', '29/02/2023', '12/13/1958', '00/01/1958', '01/01/1850']) {
			const q = parseSearchQuery(bad);
			expect(q.kind, bad).toBe('invalid');
			if (q.kind === 'invalid') expect(q.message).toMatch(/JJ\/MM\/AAAA/);
		}
		expect(parseFrenchDate('Durand')).toBeNull();
	});

	it('reads an INS (15 characters, key checked) or a NIR without its key', () => {
		expect(parseSearchQuery(ins)).toEqual({ kind: 'ins', matricule: ins, partial: false });
		const spaced = `${ins.slice(0, 1)} ${ins.slice(1, 3)} ${ins.slice(3, 5)} ${ins.slice(5)}`;
		expect(parseSearchQuery(spaced)).toEqual({ kind: 'ins', matricule: ins, partial: false });
		expect(parseSearchQuery(nir13)).toEqual({ kind: 'ins', matricule: nir13, partial: true });
		expect(parseSearchQuery('185052A123456')).toEqual({
			kind: 'ins',
			matricule: '185052A123456',
			partial: true
		});
	});

	it('refuses an INS with a wrong key without giving the right key away', () => {
		const wrongKey = nir13 + (computeInsKey(nir13) === '01' ? '02' : '01');
		const q = parseSearchQuery(wrongKey);
		expect(q.kind).toBe('invalid');
		if (q.kind === 'invalid') {
			expect(q.message).toMatch(/clé/);
			expect(q.message).not.toContain(computeInsKey(nir13));
		}
		expect(parseSearchQuery('25803710767')).toMatchObject({ kind: 'invalid' });
	});

	it('reads words otherwise, folded without accents or case', () => {
		expect(parseSearchQuery('Lefèvre')).toEqual({ kind: 'text', words: ['LEFEVRE'] });
		expect(parseSearchQuery('  élodie  DUPONT-durand ')).toEqual({
			kind: 'text',
			words: ['ELODIE', 'DUPONT', 'DURAND']
		});
		expect(parseSearchQuery("d'Œuvray")).toEqual({ kind: 'text', words: ['OEUVRAY'] });
		expect(parseSearchQuery('résécabilité hépatique')).toEqual({
			kind: 'text',
			words: ['RESECABILITE', 'HEPATIQUE']
		});
		expect(parseSearchQuery('1958')).toEqual({ kind: 'text', words: ['1958'] });
	});

	it('needs at least one word of two characters', () => {
		expect(parseSearchQuery('a')).toMatchObject({ kind: 'invalid' });
		expect(parseSearchQuery('%_*')).toMatchObject({ kind: 'invalid' });
	});

	it('keeps only letters and digits in words (no SQL or GLOB metacharacter)', () => {
		const words = splitSearchWords("*[ab-cd]%_' OR 1=1 --");
		expect(words).toEqual(['AB', 'CD', 'OR']);
		for (const w of words) expect(w).toMatch(/^[A-Z0-9]+$/);
		expect(foldSearchText('Çàéïôù')).toBe('CAEIOU');
	});

	it('says in French what was searched', () => {
		expect(describeSearchQuery({ kind: 'date', date: '1958-03-21' })).toMatch('21/03/1958');
		expect(describeSearchQuery({ kind: 'text', words: ['DURAND'] })).toMatch('« DURAND »');
		expect(describeSearchQuery({ kind: 'ins', matricule: ins, partial: false })).toMatch('INS');
	});
});
