import { describe, it, expect } from 'vitest';
import { getSpecialtyLabel, isSpecialtyCode, sortSpecialtyCodes, specialties } from './specialties';

describe('specialties catalog', () => {
	it('holds the twenty expected codes, each once', () => {
		const codes = specialties.map((s) => s.code);
		expect(codes).toHaveLength(20);
		expect(new Set(codes).size).toBe(20);
		expect(codes).toEqual(
			expect.arrayContaining([
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
			])
		);
	});

	it('gives every specialty a non-empty French label', () => {
		for (const s of specialties) expect(s.label.trim()).not.toBe('');
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
		expect(getSpecialtyLabel('dermatology')).toBe('dermatology');
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
