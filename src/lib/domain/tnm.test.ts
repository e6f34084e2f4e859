import { describe, expect, it } from 'vitest';
import { checkTnmValue, formatTnm } from './tnm';

describe('TNM values', () => {
	it('normalizes the usual spellings', () => {
		expect(checkTnmValue('cT', 't2a')).toEqual({ ok: true, value: 'T2a' });
		expect(checkTnmValue('cT', 'cT3')).toEqual({ ok: true, value: 'T3' });
		expect(checkTnmValue('cT', '4b')).toEqual({ ok: true, value: 'T4b' });
		expect(checkTnmValue('cT', 'tis')).toEqual({ ok: true, value: 'Tis' });
		expect(checkTnmValue('cT', 'TX')).toEqual({ ok: true, value: 'TX' });
		expect(checkTnmValue('cN', 'N1mi')).toEqual({ ok: true, value: 'N1mi' });
		expect(checkTnmValue('pN', 'pn2b')).toEqual({ ok: true, value: 'N2b' });
		expect(checkTnmValue('cM', ' m1c ')).toEqual({ ok: true, value: 'M1c' });
		expect(checkTnmValue('cM', '0')).toEqual({ ok: true, value: 'M0' });
	});

	it('refuses impossible values with a French message', () => {
		for (const [field, value] of [
			['cT', 'T5'],
			['cT', 'T2e'],
			['cN', 'N4'],
			['cN', 'N3d'],
			['cM', 'M2'],
			['pT', 'cT2'],
			['cT', 'N1'],
			['cT', 'abc']
		] as const) {
			const check = checkTnmValue(field, value);
			expect(check.ok, `${field} ${value}`).toBe(false);
			if (!check.ok) expect(check.error).toContain('n’est pas une valeur possible');
		}
	});

	it('explains that MX no longer exists', () => {
		const check = checkTnmValue('cM', 'MX');
		expect(check.ok).toBe(false);
		if (!check.ok) expect(check.error).toContain('8e édition');
	});

	it('formats a stage with its prefixes', () => {
		expect(formatTnm({ cT: 'T3', cN: 'N1', cM: 'M0', pT: 'T3', pN: 'N2a' })).toBe(
			'cT3 cN1 cM0 — pT3 pN2a'
		);
		expect(formatTnm({ cT: 'T2', cN: null })).toBe('cT2');
	});
});
