import { describe, expect, it } from 'vitest';
import { presenceGraceField } from './referentials';

describe('presence grace period of an RCP', () => {
	it('accepts whole seconds from 0 to 900', () => {
		expect(presenceGraceField.parse('0')).toBe(0);
		expect(presenceGraceField.parse(' 120 ')).toBe(120);
		expect(presenceGraceField.parse('900')).toBe(900);
	});

	it.each([
		['', 'Le délai de grâce est obligatoire.'],
		['901', 'Le délai de grâce est d’au plus 900 secondes (15 minutes).'],
		['-5', 'Le délai de grâce est un nombre entier de secondes, entre 0 et 900.'],
		['1,5', 'Le délai de grâce est un nombre entier de secondes, entre 0 et 900.'],
		['deux minutes', 'Le délai de grâce est un nombre entier de secondes, entre 0 et 900.']
	])('refuses « %s » with a French message', (input, message) => {
		const r = presenceGraceField.safeParse(input);
		expect(r.success).toBe(false);
		expect(r.error?.issues[0]?.message).toBe(message);
	});
});
