import { describe, expect, it } from 'vitest';
import {
	describePatientDiscreetly,
	formatBornWord,
	formatPatientCivility,
	formatPatientInitials
} from './civility';

const marie = {
	birthName: 'BERNARD',
	firstNames: ['Marie', 'Anne'],
	sex: 'F',
	birthDate: '1958-03-21'
};
const michel = { birthName: 'TESTARD', firstNames: ['Michel'], sex: 'M', birthDate: '1960-01-02' };
const camille = { birthName: 'DURAND', firstNames: ['Camille'], sex: 'I', birthDate: '1990-07-14' };

describe('patient civility', () => {
	it('comes from the recorded sex, with a neutral form', () => {
		expect(formatPatientCivility('F')).toBe('Mme');
		expect(formatPatientCivility('M')).toBe('M.');
		expect(formatPatientCivility('I')).toBeNull();
		expect(formatPatientCivility('autre')).toBeNull();
		expect(formatBornWord('F')).toBe('née');
		expect(formatBornWord('M')).toBe('né');
		expect(formatBornWord('I')).toBe('né(e)');
	});

	it('never lets a first-name initial read as « Monsieur » for a woman', () => {
		expect(formatPatientInitials(marie)).toBe('Mme M. B.');
		expect(describePatientDiscreetly(marie)).toBe('Mme M. B., née en 1958');
		expect(describePatientDiscreetly(marie)).not.toMatch(/^M\. /);
	});

	it('writes « M. » for a man and nothing for an indeterminate sex', () => {
		expect(describePatientDiscreetly(michel)).toBe('M. M. T., né en 1960');
		expect(describePatientDiscreetly(camille)).toBe('C. D., né(e) en 1990');
	});

	it('copes with missing first names', () => {
		expect(formatPatientInitials({ birthName: 'x', firstNames: [], sex: 'F' })).toBe('Mme X.');
	});
});
