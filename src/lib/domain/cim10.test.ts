import { describe, expect, it } from 'vitest';
import { findCim10, formatCim10, groupCim10ForOrgan, normalizeCim10Code } from './cim10';

describe('CIM-10 catalog', () => {
	it('normalizes codes and finds them', () => {
		expect(normalizeCim10Code(' c18.7 ')).toBe('C18.7');
		expect(normalizeCim10Code('C187')).toBe('C18.7');
		expect(normalizeCim10Code('C50')).toBe('C50');
		expect(normalizeCim10Code('D12')).toBeNull();
		expect(findCim10('c34.1')?.label).toBe('Lobe supérieur, bronches ou poumon');
		expect(findCim10('C99')).toBeUndefined();
		expect(findCim10('I50')).toBeUndefined();
	});

	it('formats a subdivision with its category', () => {
		expect(formatCim10('C18.7')).toBe('C18.7 — Côlon sigmoïde (Tumeur maligne du côlon)');
		expect(formatCim10('C25')).toBe('C25 — Tumeur maligne du pancréas');
		expect(formatCim10('X')).toBe('X');
	});

	it('puts the pathway organ first and loses no code', () => {
		const [own, others] = groupCim10ForOrgan('digestive');
		expect(own!.entries.every((e) => /^C(1[5-9]|2[0-6]|48)/.test(e.code))).toBe(true);
		expect(own!.entries.some((e) => e.code === 'C20')).toBe(true);
		expect(others!.entries.some((e) => e.code === 'C20')).toBe(false);
		const all = groupCim10ForOrgan(null)[0]!.entries.length;
		expect(own!.entries.length + others!.entries.length).toBe(all);
		expect(groupCim10ForOrgan('breast')[0]!.entries.every((e) => e.code.startsWith('C50'))).toBe(
			true
		);
	});
});
