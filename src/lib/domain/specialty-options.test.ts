import { describe, expect, it } from 'vitest';
import { listSpecialtyChoices } from './specialty-options';
import type { SpecialtyEntry } from './specialties';

const entry = (code: string, label: string, active = true): SpecialtyEntry => ({
	code,
	label,
	category: 'physician',
	rppsCodes: [],
	countsTowardQuorum: true,
	active
});

const table = [
	entry('haematology', 'Hématologie'),
	entry('urology', 'Urologie'),
	entry('old_code', 'Ancienne spécialité', false)
];

describe('specialties offered by the user forms', () => {
	it('lists the table’s active entries in its order, admin additions included', () => {
		expect(listSpecialtyChoices(table)).toEqual([
			{ value: 'haematology', label: 'Hématologie' },
			{ value: 'urology', label: 'Urologie' }
		]);
	});

	it('keeps a person’s disabled or unknown specialty so saving does not drop it', () => {
		expect(listSpecialtyChoices(table, 'old_code').map((c) => c.label)).toEqual([
			'Hématologie',
			'Urologie',
			'Ancienne spécialité (désactivée)'
		]);
		expect(listSpecialtyChoices(table, 'gone').at(-1)).toEqual({
			value: 'gone',
			label: 'gone (inconnue)'
		});
	});
});
