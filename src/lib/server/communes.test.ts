import { describe, expect, it } from 'vitest';
import { describeCommuneCode, findCommunes, resolveTypedBirthplace } from './communes';

// Against the real Code officiel géographique shipped by @etalab/decoupage-administratif.
describe('communes (COG)', () => {
	it('finds Saint-Étienne however it is typed', () => {
		for (const typed of ['Saint-Étienne', 'st etienne', 'ST ETIENNE']) {
			expect(findCommunes(typed, 1)[0]).toMatchObject({ code: '42218', name: 'Saint-Étienne' });
		}
	});
	it('resolves Chalon-sur-Saône and its code', () => {
		expect(resolveTypedBirthplace('chalon sur saone')).toMatchObject({
			kind: 'found',
			code: '71076'
		});
		expect(describeCommuneCode('71076')?.name).toBe('Chalon-sur-Saône');
	});
	it('offers the arrondissements of Paris and the delegated communes', () => {
		const paris = resolveTypedBirthplace('Paris');
		expect(paris.kind).toBe('ambiguous');
		if (paris.kind === 'ambiguous') expect(paris.choices).toHaveLength(20);
		expect(findCommunes('Arbignieu', 1)[0]).toMatchObject({ kind: 'delegated' });
	});
	it('knows Corsican codes', () => {
		expect(findCommunes('Ajaccio', 1)[0]?.code).toBe('2A004');
	});
});
