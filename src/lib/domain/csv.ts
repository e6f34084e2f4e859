/**
 * CSV for French spreadsheet software (Excel, LibreOffice): `;` between cells, decimal comma
 * (« 33,3 »), CRLF line ends, a UTF-8 BOM so accents read right, quotes per RFC 4180. Text
 * cells that a spreadsheet would run as a formula (OWASP « CSV injection »: a first character
 * `=`, `+`, `-`, `@`, tab or CR) get a leading apostrophe, so they stay text.
 */
export type CsvCell = string | number | null | undefined;

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';
const BOM = '\uFEFF';
const formulaStart = /^[=+\-@\t\r]/;

/** A number with a decimal comma and no thousands separator (spreadsheets read it as a number). */
export function formatCsvNumber(n: number): string {
	if (!Number.isFinite(n)) return '';
	return String(n).replace('.', ',');
}

/** One cell: numbers in French, text neutralised against formulas, quoted when it must be. */
export function formatCsvCell(cell: CsvCell): string {
	if (cell === null || cell === undefined) return '';
	// Numbers are ours (counts, rates): never a formula, and kept numeric for the spreadsheet.
	if (typeof cell === 'number') return formatCsvNumber(cell);
	const text = formulaStart.test(cell) ? `'${cell}` : cell;
	return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsvLine(cells: readonly CsvCell[]): string {
	return cells.map(formatCsvCell).join(';');
}

/** The whole file: BOM, a header line, the rows, each line ended by CRLF. */
export function buildCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
	return BOM + [header, ...rows].map((r) => toCsvLine(r) + '\r\n').join('');
}

/** `Content-Disposition` of a download; the name is ours, reduced to safe ASCII. */
export function csvDisposition(fileName: string): string {
	const safe = fileName.replace(/[^\w.-]/g, '_') || 'export.csv';
	return `attachment; filename="${safe}"`;
}

/** The response headers of a CSV export. */
export function csvHeaders(fileName: string): Record<string, string> {
	return {
		'Content-Type': CSV_CONTENT_TYPE,
		'Content-Disposition': csvDisposition(fileName),
		'Cache-Control': 'no-store',
		'X-Content-Type-Options': 'nosniff'
	};
}
