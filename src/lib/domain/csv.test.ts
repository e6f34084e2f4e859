import { describe, expect, it } from 'vitest';
import { buildCsv, csvHeaders, formatCsvCell, formatCsvNumber, toCsvLine } from './csv';

describe('formatCsvCell', () => {
	it('quotes cells holding separators, quotes or line breaks (RFC 4180)', () => {
		expect(toCsvLine(['RCP digestive', 12, null, 'a;b', 'dit "oui"', 'deux\nlignes'])).toBe(
			'RCP digestive;12;;"a;b";"dit ""oui""";"deux\nlignes"'
		);
	});

	it('neutralises text that a spreadsheet would run as a formula', () => {
		expect(formatCsvCell('=HYPERLINK("http://x","clic")')).toBe(
			`"'=HYPERLINK(""http://x"",""clic"")"`
		);
		expect(formatCsvCell('+33 6 00')).toBe("'+33 6 00");
		expect(formatCsvCell('-2+3')).toBe("'-2+3");
		expect(formatCsvCell('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(formatCsvCell('\t=1')).toBe("'\t=1");
		expect(formatCsvCell('\r=1')).toBe(`"'\r=1"`);
		expect(formatCsvCell('RCP = oui')).toBe('RCP = oui');
		expect(formatCsvCell('')).toBe('');
	});

	it('writes numbers with a decimal comma and keeps negative numbers numeric', () => {
		expect(formatCsvNumber(33.3)).toBe('33,3');
		expect(formatCsvCell(100)).toBe('100');
		expect(formatCsvCell(-1.5)).toBe('-1,5');
		expect(formatCsvCell(Number.NaN)).toBe('');
		expect(formatCsvCell(undefined)).toBe('');
	});
});

describe('buildCsv', () => {
	it('starts with a BOM and ends every line with CRLF', () => {
		const csv = buildCsv(['Filière', 'Taux (%)'], [['Sein', 66.7]]);
		expect(csv).toBe('\uFEFFFilière;Taux (%)\r\nSein;66,7\r\n');
	});

	it('serves as an attachment in UTF-8', () => {
		const h = csvHeaders('pluri activité 2026.csv');
		expect(h['Content-Type']).toBe('text/csv; charset=utf-8');
		expect(h['Content-Disposition']).toBe('attachment; filename="pluri_activit__2026.csv"');
	});
});
