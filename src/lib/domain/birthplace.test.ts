import { describe, expect, it } from 'vitest';
import {
	formatCommune,
	indexCommune,
	normalizePlaceName,
	resolveBirthplace,
	searchCommunes,
	splitDepartment,
	type Commune
} from './birthplace';
import { birthCountries, findBirthCountry, isAbroadCode } from './countries';

const communes = (
	[
		{ code: '42218', name: 'Saint-Étienne', department: '42', kind: 'current', population: 170000 },
		{
			code: '76552',
			name: 'Saint-Étienne-du-Rouvray',
			department: '76',
			kind: 'current',
			population: 28000
		},
		{
			code: '71076',
			name: 'Chalon-sur-Saône',
			department: '71',
			kind: 'current',
			population: 45000
		},
		{
			code: '71001',
			name: 'Abergement-de-Cuisery',
			department: '71',
			kind: 'current',
			population: 800
		},
		{ code: '24001', name: 'Beaumont', department: '24', kind: 'current', population: 1200 },
		{ code: '63032', name: 'Beaumont', department: '63', kind: 'current', population: 11000 },
		{ code: '01015', name: 'Arboys en Bugey', department: '01', kind: 'current', population: 700 },
		{
			code: '01340',
			name: 'Arbignieu',
			department: '01',
			kind: 'delegated',
			parentName: 'Arboys en Bugey'
		},
		{ code: '75056', name: 'Paris', department: '75', kind: 'current', population: 2100000 },
		{
			code: '75101',
			name: 'Paris 1er Arrondissement',
			department: '75',
			kind: 'district',
			parentName: 'Paris'
		},
		{
			code: '75115',
			name: 'Paris 15e Arrondissement',
			department: '75',
			kind: 'district',
			parentName: 'Paris'
		},
		{ code: '2A004', name: 'Ajaccio', department: '2A', kind: 'current', population: 70000 }
	] satisfies Commune[]
).map(indexCommune);

describe('normalizePlaceName', () => {
	it('makes « Saint-Étienne », « st etienne » and « ST-ETIENNE » one key', () => {
		expect(normalizePlaceName('Saint-Étienne')).toBe('saint etienne');
		expect(normalizePlaceName('st etienne')).toBe('saint etienne');
		expect(normalizePlaceName('ST-ETIENNE')).toBe('saint etienne');
		expect(normalizePlaceName('Ste  Foy-lès-Lyon')).toBe('sainte foy les lyon');
		expect(normalizePlaceName('L’Haÿ-les-Roses')).toBe('l hay les roses');
	});
});

describe('searchCommunes', () => {
	it('ranks the exact name before longer names and ignores accents and abbreviations', () => {
		expect(searchCommunes('st etienne', communes).map((c) => c.code)).toEqual(['42218', '76552']);
		expect(searchCommunes('chalon sur saone', communes).map((c) => c.code)).toEqual(['71076']);
	});
	it('finds a word inside the name and a code', () => {
		expect(searchCommunes('saone', communes).map((c) => c.code)).toEqual(['71076']);
		expect(searchCommunes('2A004', communes).map((c) => c.code)).toEqual(['2A004']);
	});
	it('filters on the department typed in brackets', () => {
		expect(splitDepartment('Beaumont (63)')).toEqual({ name: 'Beaumont', department: '63' });
		expect(searchCommunes('Beaumont (63)', communes).map((c) => c.code)).toEqual(['63032']);
	});
	it('needs two letters', () => {
		expect(searchCommunes('s', communes)).toEqual([]);
	});
	it('finds a delegated commune, an old birthplace', () => {
		const [c] = searchCommunes('arbignieu', communes);
		expect(c?.code).toBe('01340');
		expect(formatCommune(c!)).toBe('Arbignieu (01) — commune déléguée de Arboys en Bugey');
	});
});

describe('resolveBirthplace', () => {
	it('takes a name only one commune has', () => {
		expect(resolveBirthplace('Saint Etienne', communes)).toEqual({
			kind: 'found',
			code: '42218',
			label: 'Saint-Étienne (42)'
		});
	});
	it('returns the choices when several communes share the name', () => {
		const r = resolveBirthplace('beaumont', communes);
		expect(r.kind).toBe('ambiguous');
		if (r.kind === 'ambiguous') expect(r.choices.map((c) => c.code)).toEqual(['63032', '24001']);
		expect(resolveBirthplace('Beaumont (24)', communes)).toMatchObject({ code: '24001' });
	});
	it('asks for the arrondissement of Paris', () => {
		const r = resolveBirthplace('Paris', communes);
		expect(r.kind).toBe('ambiguous');
		if (r.kind === 'ambiguous') expect(r.choices.map((c) => c.code)).toEqual(['75101', '75115']);
	});
	it('never guesses from a close name', () => {
		expect(resolveBirthplace('chalon', communes).kind).toBe('ambiguous');
		expect(resolveBirthplace('Atlantis', communes)).toEqual({ kind: 'none' });
	});
	it('takes an INSEE code and a country code for a birth abroad', () => {
		expect(resolveBirthplace('71076', communes)).toMatchObject({ kind: 'found', code: '71076' });
		expect(resolveBirthplace('99350', communes)).toEqual({
			kind: 'found',
			code: '99350',
			label: 'Maroc'
		});
	});
});

describe('countries of birth', () => {
	it('are 99xxx codes, unique, France excluded', () => {
		const codes = birthCountries.map((c) => c.code);
		expect(new Set(codes).size).toBe(codes.length);
		expect(codes.every(isAbroadCode)).toBe(true);
		expect(isAbroadCode('99100')).toBe(false);
		expect(isAbroadCode('71076')).toBe(false);
		expect(findBirthCountry('99109')?.name).toBe('Allemagne');
	});
});
