import { describe, expect, it } from 'vitest';
import { extractRpps, isAcceptedAcr } from './pro-sante-connect';

describe('Pro Santé Connect claims', () => {
	it('reads the RPPS from SubjectNameID (type 8 + 11 digits)', () => {
		expect(extractRpps({ SubjectNameID: '810099000019' })).toBe('10099000019');
	});

	it('accepts a plain rpps claim', () => {
		expect(extractRpps({ rpps: '10099000027' })).toBe('10099000027');
	});

	it('refuses other national identifier types and malformed values', () => {
		expect(extractRpps({ SubjectNameID: '010099000019' })).toBeNull();
		expect(extractRpps({ SubjectNameID: '81009900001' })).toBeNull();
		expect(extractRpps({ rpps: '1009900001A' })).toBeNull();
		expect(extractRpps({})).toBeNull();
	});

	it('requires the exact authentication level asked for', () => {
		expect(isAcceptedAcr('eidas1', 'eidas1')).toBe(true);
		expect(isAcceptedAcr('eidas0', 'eidas1')).toBe(false);
		expect(isAcceptedAcr(undefined, 'eidas1')).toBe(false);
	});
});
