import { describe, expect, it } from 'vitest';
import { parseRppsCsv, splitCsv } from './rpps-import';

const header =
	"Type d'identifiant PP|Identifiant PP|Identification nationale PP|Code civilité d'exercice|Libellé civilité d'exercice|Code civilité|Libellé civilité|Nom d'exercice|Prénom d'exercice|Code profession|Libellé profession|Code catégorie professionnelle|Libellé catégorie professionnelle|Code type savoir-faire|Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|Code mode exercice|Libellé mode exercice|Numéro SIRET site|Numéro SIREN site|Numéro FINESS site|Numéro FINESS établissement juridique|Adresse BAL MSSanté";

const line = (cells: Record<number, string>): string =>
	Array.from({ length: 24 }, (_, i) => cells[i] ?? '').join('|');

describe('parseRppsCsv', () => {
	it('reads the directory layout: RPPS, civility, names, specialty, sector, FINESS, MSSanté', () => {
		const csv = [
			header,
			line({
				0: '8',
				1: '10001341998',
				2: '810001341998',
				3: 'DR',
				7: 'MARTIN',
				8: 'Claire',
				9: '10',
				15: 'SM21',
				16: 'Hématologie',
				17: 'S',
				21: '210780581',
				23: 'claire.martin@chu.mssante.fr'
			}),
			line({
				1: '10000705706',
				5: 'MME',
				7: 'DURAND',
				8: 'Anne',
				9: '21',
				17: 'S',
				23: 'a.durand@pharma.mssante.fr'
			}),
			line({
				1: '10100192334',
				3: 'DR',
				7: 'PETIT',
				8: 'Luc',
				9: '10',
				15: 'SM26',
				17: 'L',
				23: 'l.petit@medecin.mssante.fr'
			})
		].join('\r\n');
		const parsed = parseRppsCsv(`\uFEFF${csv}\r\n`);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(
			parsed.lines.map((l) => [l.lineNo, l.rpps, l.title, l.specialty, l.sector, l.finess])
		).toEqual([
			[2, '10001341998', 'Dr', 'haematology', 'establishment', '210780581'],
			[3, '10000705706', 'Mme', 'pharmacist', 'establishment', null],
			[4, '10100192334', 'Dr', 'general_practice', 'gp', null]
		]);
		expect(parsed.lines[0]).toMatchObject({
			lastName: 'MARTIN',
			firstName: 'Claire',
			email: 'claire.martin@chu.mssante.fr',
			mssanteAddress: 'claire.martin@chu.mssante.fr',
			errors: []
		});
	});

	it('gives per-line French errors: wrong RPPS key, unknown specialty, duplicated RPPS', () => {
		const csv = [
			header,
			line({ 1: '10001341997', 7: 'A', 8: 'B', 9: '10', 15: 'SM36', 23: 'a@x.fr' }),
			line({ 1: '10000705706', 7: 'C', 8: 'D', 9: '10', 15: 'SM99', 16: 'Inconnue', 23: 'c@x.fr' }),
			line({ 1: '10000705706', 7: 'E', 8: 'F', 9: '10', 15: 'SM36', 23: 'e@x.fr' })
		].join('\n');
		const parsed = parseRppsCsv(csv);
		if (!parsed.ok) throw new Error(parsed.error);
		expect(parsed.lines[0]?.errors).toEqual([
			'La clé du numéro RPPS (dernier chiffre) est fausse : vérifiez le numéro. (10001341997)'
		]);
		expect(parsed.lines[1]?.errors).toEqual([
			'La spécialité « SM99 — Inconnue » est inconnue de Pluri : ajoutez son code à une spécialité (Administration › Spécialités).'
		]);
		expect(parsed.lines[2]?.errors).toEqual([
			'Le numéro RPPS 10000705706 figure déjà ligne 3 : une ligne par personne.'
		]);
	});

	it('accepts a spreadsheet export with semicolons and quotes, in any column order', () => {
		const csv =
			'Nom d’exercice;Prénom d’exercice;Identifiant PP;Code savoir-faire;Adresse e-mail\n"LE GOFF; fils";Yann;10001341998;SM12;y@x.fr\n';
		const parsed = parseRppsCsv(csv);
		expect(parsed.ok && parsed.lines[0]).toMatchObject({
			lastName: 'LE GOFF; fils',
			specialty: 'urology',
			email: 'y@x.fr',
			errors: []
		});
	});

	it('refuses a file without the required columns or lines', () => {
		expect(parseRppsCsv('a;b\n1;2')).toEqual({
			ok: false,
			error:
				'La première ligne doit nommer les colonnes de l’extraction RPPS ; il manque les colonnes « Identifiant PP », « Nom d’exercice », « Prénom d’exercice ».'
		});
		expect(parseRppsCsv(`${header}\n\n`)).toEqual({
			ok: false,
			error: 'Le fichier ne contient aucune ligne à importer.'
		});
	});
});

describe('splitCsv', () => {
	it('keeps doubled quotes and line breaks inside quotes', () => {
		expect(splitCsv('a|"b ""c""\nd"|e', '|')).toEqual([['a', 'b "c"\nd', 'e']]);
	});
});
