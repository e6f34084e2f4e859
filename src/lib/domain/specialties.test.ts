import { afterEach, describe, it, expect } from 'vitest';
import {
	checkNewSpecialtyCode,
	countsTowardQuorum,
	findSpecialtyForRppsCode,
	getSpecialtyLabel,
	installSpecialties,
	isSpecialtyCode,
	listSpecialtyEntries,
	parseRppsCodes,
	sortSpecialtyCodes,
	specialties,
	specialtyCatalog
} from './specialties';

describe('specialties catalog', () => {
	it('keeps the twenty codes stored before the table, and adds the missing specialties', () => {
		const codes = specialties.map((s) => s.code);
		expect(new Set(codes).size).toBe(codes.length);
		expect(codes.slice(0, 20)).toEqual([
			'medical_oncology',
			'radiation_oncology',
			'visceral_surgery',
			'thoracic_surgery',
			'gynaecological_surgery',
			'radiology',
			'pathology',
			'gastroenterology',
			'pulmonology',
			'nuclear_medicine',
			'cardiology',
			'hf_cardiology',
			'cardiac_surgery',
			'electrophysiology',
			'interventional_cardiology',
			'cardiac_rehabilitation',
			'geriatrics',
			'nephrology',
			'palliative_care',
			'general_practice'
		]);
		for (const c of ['haematology', 'urology', 'ent_surgery', 'dermatology', 'neurology'])
			expect(codes).toContain(c);
		expect(codes).toContain('paediatrics');
		expect(codes).toContain('pharmacist');
	});

	it('gives every specialty a non-empty French label', () => {
		for (const s of specialties) expect(s.label.trim()).not.toBe('');
	});

	it('maps every RPPS savoir-faire code SM01 to SM95 to a physician entry', () => {
		for (let n = 1; n <= 95; n++) {
			const code = `SM${String(n).padStart(2, '0')}`;
			const entry = findSpecialtyForRppsCode(code);
			expect(entry, code).toBeDefined();
			expect(entry?.category).toBe('physician');
		}
	});

	it('counts physicians toward quorum, but neither GPs nor other professions', () => {
		expect(countsTowardQuorum('haematology')).toBe(true);
		expect(countsTowardQuorum('general_practice')).toBe(false);
		expect(countsTowardQuorum('pharmacist')).toBe(false);
		expect(countsTowardQuorum('coordinating_nurse')).toBe(false);
		expect(countsTowardQuorum('psychologist')).toBe(false);
		// Stale codes keep counting as they did before the table.
		expect(countsTowardQuorum('retired_code')).toBe(true);
	});
});

describe('findSpecialtyForRppsCode', () => {
	it('resolves savoir-faire codes, the first catalog entry winning a shared code', () => {
		expect(findSpecialtyForRppsCode('SM36')?.code).toBe('medical_oncology');
		expect(findSpecialtyForRppsCode('sm26')?.code).toBe('general_practice');
		expect(findSpecialtyForRppsCode('SM54')?.code).toBe('general_practice');
		expect(findSpecialtyForRppsCode('SM21')?.code).toBe('haematology');
		expect(findSpecialtyForRppsCode('SM11')?.code).toBe('thoracic_surgery');
		expect(findSpecialtyForRppsCode('SM12')?.code).toBe('urology');
		expect(findSpecialtyForRppsCode('SM99')).toBeUndefined();
	});

	it('accepts a Pluri code as is', () => {
		expect(findSpecialtyForRppsCode('hf_cardiology')?.code).toBe('hf_cardiology');
	});
});

describe('installSpecialties', () => {
	afterEach(() => installSpecialties(specialtyCatalog));

	it('uses the installed rows for labels, activity and quorum counting', () => {
		installSpecialties([
			...specialtyCatalog.map((e) =>
				e.code === 'radiology' ? { ...e, label: 'Imagerie médicale' } : e
			),
			{
				code: 'oncogeriatrics',
				label: 'Oncogériatrie',
				category: 'physician',
				rppsCodes: [],
				countsTowardQuorum: true,
				active: false
			}
		]);
		expect(getSpecialtyLabel('radiology')).toBe('Imagerie médicale');
		expect(getSpecialtyLabel('oncogeriatrics')).toBe('Oncogériatrie');
		expect(isSpecialtyCode('oncogeriatrics')).toBe(false);
		expect(listSpecialtyEntries().at(-1)?.code).toBe('oncogeriatrics');
	});
});

describe('checkNewSpecialtyCode and parseRppsCodes', () => {
	it('refuses badly formed or taken codes', () => {
		expect(checkNewSpecialtyCode('oncogeriatrics')).toEqual({ ok: true, code: 'oncogeriatrics' });
		expect(checkNewSpecialtyCode('Onco gériatrie').ok).toBe(false);
		expect(checkNewSpecialtyCode('radiology')).toEqual({
			ok: false,
			error: 'Une spécialité porte déjà ce code.'
		});
	});

	it('normalizes a list of savoir-faire codes and names the bad one', () => {
		expect(parseRppsCodes('sm36, SM37 ;SM36')).toEqual({ ok: true, codes: ['SM36', 'SM37'] });
		expect(parseRppsCodes('')).toEqual({ ok: true, codes: [] });
		expect(parseRppsCodes('SM36 oncologie')).toEqual({
			ok: false,
			error: '« ONCOLOGIE » n’est pas un code de savoir-faire RPPS (exemple : SM36).'
		});
	});
});

describe('getSpecialtyLabel', () => {
	it('returns the French label of known codes', () => {
		expect(getSpecialtyLabel('radiation_oncology')).toBe('Oncologie radiothérapie');
		expect(getSpecialtyLabel('pathology')).toBe('Anatomie et cytologie pathologiques');
		expect(getSpecialtyLabel('hf_cardiology')).toBe('Cardiologie – insuffisance cardiaque');
		expect(getSpecialtyLabel('electrophysiology')).toBe('Rythmologie');
		expect(getSpecialtyLabel('general_practice')).toBe('Médecine générale');
	});

	it('returns an unknown code unchanged', () => {
		expect(getSpecialtyLabel('dermatologie')).toBe('dermatologie');
	});

	it('says when no specialty is given', () => {
		expect(getSpecialtyLabel(null)).toBe('Spécialité non renseignée');
		expect(getSpecialtyLabel(undefined)).toBe('Spécialité non renseignée');
		expect(getSpecialtyLabel('')).toBe('Spécialité non renseignée');
	});
});

describe('isSpecialtyCode', () => {
	it('accepts catalog codes only, case-sensitively', () => {
		expect(isSpecialtyCode('cardiology')).toBe(true);
		expect(isSpecialtyCode('Cardiology')).toBe(false);
		expect(isSpecialtyCode('cardio')).toBe(false);
		expect(isSpecialtyCode('')).toBe(false);
		expect(isSpecialtyCode('toString')).toBe(false);
	});
});

describe('sortSpecialtyCodes', () => {
	it('sorts by catalog order, unknown codes last alphabetically, without mutating', () => {
		const input = ['zzz', 'radiology', 'aaa', 'medical_oncology', 'general_practice'];
		expect(sortSpecialtyCodes(input)).toEqual([
			'medical_oncology',
			'radiology',
			'general_practice',
			'aaa',
			'zzz'
		]);
		expect(input[0]).toBe('zzz');
	});
});
