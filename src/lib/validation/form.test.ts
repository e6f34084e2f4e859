import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseForm, readForm, requiredText, safeValues } from './form';

function formOf(entries: [string, string | File][]): FormData {
	const f = new FormData();
	for (const [k, v] of entries) f.append(k, v);
	return f;
}

describe('readForm', () => {
	it('strips control and bidi characters from every text field, repeated ones too', () => {
		const values = readForm(
			formOf([
				['name', 'DU\u0000RAND\u202E'],
				['summary', 'Ligne 1\r\nLigne 2\u0007'],
				['types', 'surgery\u0000'],
				['types', 'radio\u2066therapy']
			])
		);
		expect(values).toEqual({
			name: 'DURAND',
			summary: 'Ligne 1\r\nLigne 2',
			types: ['surgery', 'radiotherapy']
		});
	});

	it('skips files', () => {
		const values = readForm(
			formOf([
				['file', new File(['x'], 'a.pdf')],
				['kind', 'imaging']
			])
		);
		expect(values).toEqual({ kind: 'imaging' });
	});
});

describe('parseForm and safeValues', () => {
	const schema = z.object({ name: requiredText('Le nom', 20) });

	it('validates the cleaned values, so an invisible character counts for nothing', () => {
		const ok = parseForm(schema, formOf([['name', '\u202EMartin\u0000']]));
		expect(ok).toMatchObject({ ok: true, data: { name: 'Martin' } });
		const empty = parseForm(schema, formOf([['name', '\u0000\u202E']]));
		expect(empty).toMatchObject({ ok: false, errors: { name: 'Le nom est obligatoire.' } });
	});

	it('sends back cleaned values without secrets', () => {
		expect(safeValues({ password: 'x', note: 'a\u0000b', list: ['c\u202ed'] })).toEqual({
			note: 'ab',
			list: ['cd']
		});
	});
});
