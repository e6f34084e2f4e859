import { checkFiness } from './finess';
import { checkRpps } from './rpps';
import { findSpecialtyForRppsCode, GENERAL_PRACTICE, professionDefaults } from './specialties';

/**
 * Reads a CSV in the layout of the public RPPS directory extract (« PS_LibreAcces_Personne_
 * activite », pipe-separated, one header line), plus the MSSanté mailbox column of the
 * « Extraction_Correspondance_MSSante » file. Columns are found by their header, in any order;
 * unknown columns are ignored. `;` and `,` separators are accepted for files saved by a
 * spreadsheet. Pluri's own columns: « Adresse e-mail » (login; the MSSanté address otherwise).
 */

export type ImportTitle = 'Dr' | 'Pr' | 'M.' | 'Mme' | null;
export type ImportSector = 'establishment' | 'private_practice' | 'gp' | 'other';

export interface ImportLine {
	/** 1-based line number in the file, the header being line 1. */
	lineNo: number;
	rpps: string;
	title: ImportTitle;
	firstName: string;
	lastName: string;
	specialty: string | null;
	email: string;
	mssanteAddress: string | null;
	finess: string | null;
	sector: ImportSector;
	errors: string[];
}

export type ParsedImport = { ok: true; lines: ImportLine[] } | { ok: false; error: string };

const columns = {
	rpps: ['identifiant pp', 'identification nationale pp', 'rpps', 'numero rpps'],
	civilityPractice: ["code civilite d'exercice", "libelle civilite d'exercice"],
	civility: ['code civilite', 'libelle civilite', 'civilite'],
	lastName: ["nom d'exercice", 'nom'],
	firstName: ["prenom d'exercice", 'prenom'],
	profession: ['code profession'],
	professionLabel: ['libelle profession', 'profession'],
	specialty: ['code savoir-faire', 'specialite'],
	specialtyLabel: ['libelle savoir-faire'],
	practiceMode: ['code mode exercice'],
	finessSite: ['numero finess site'],
	finessLegal: ['numero finess etablissement juridique', 'finess'],
	mssante: ['adresse bal mssante', 'bal mssante', 'adresse mssante'],
	email: ['adresse e-mail', 'email', 'e-mail']
} as const;

type Column = keyof typeof columns;

export const MAX_IMPORT_LINES = 2000;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function normalizeHeader(h: string): string {
	return h
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[’`]/g, "'")
		.replace(/\s+/g, ' ')
		.trim()
		.toLowerCase();
}

/** Splits CSV text into records (quoted fields may hold separators, quotes and line breaks). */
export function splitCsv(text: string, sep: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"' && field === '') quoted = true;
		else if (ch === sep) {
			row.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += ch;
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	return rows;
}

function detectSeparator(headerLine: string): string {
	if (headerLine.includes('|')) return '|';
	if (headerLine.includes(';')) return ';';
	return ',';
}

export function parseRppsCsv(input: string): ParsedImport {
	const text = input.replace(/^\uFEFF/, '');
	const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
	const records = splitCsv(text, detectSeparator(firstLine));
	const header = records[0]?.map(normalizeHeader) ?? [];
	const index = {} as Record<Column, number>;
	for (const key of Object.keys(columns) as Column[]) {
		index[key] = -1;
		for (const name of columns[key]) {
			const at = header.indexOf(name);
			if (at >= 0) {
				index[key] = at;
				break;
			}
		}
	}
	const missing: string[] = [];
	if (index.rpps < 0) missing.push('« Identifiant PP »');
	if (index.lastName < 0) missing.push('« Nom d’exercice »');
	if (index.firstName < 0) missing.push('« Prénom d’exercice »');
	if (missing.length > 0)
		return {
			ok: false,
			error: `La première ligne doit nommer les colonnes de l’extraction RPPS ; ${missing.length === 1 ? 'il manque la colonne' : 'il manque les colonnes'} ${missing.join(', ')}.`
		};
	const body = records
		.map((cells, i) => ({ cells, lineNo: i + 1 }))
		.slice(1)
		.filter((r) => r.cells.some((c) => c.trim() !== ''));
	if (body.length === 0)
		return { ok: false, error: 'Le fichier ne contient aucune ligne à importer.' };
	if (body.length > MAX_IMPORT_LINES)
		return {
			ok: false,
			error: `Le fichier compte ${body.length} lignes : importez-le en plusieurs fois (${MAX_IMPORT_LINES} au plus).`
		};

	const seen = new Map<string, number>();
	const lines = body.map(({ cells, lineNo }) => {
		const get = (c: Column): string => (index[c] >= 0 ? (cells[index[c]] ?? '').trim() : '');
		const line = readLine(get, lineNo);
		if (line.rpps !== '') {
			const first = seen.get(line.rpps);
			if (first !== undefined)
				line.errors.push(
					`Le numéro RPPS ${line.rpps} figure déjà ligne ${first} : une ligne par personne.`
				);
			else seen.set(line.rpps, lineNo);
		}
		return line;
	});
	return { ok: true, lines };
}

function readLine(get: (c: Column) => string, lineNo: number): ImportLine {
	const errors: string[] = [];
	const rawRpps = get('rpps');
	let rpps = '';
	if (rawRpps === '') errors.push('Le numéro RPPS est manquant.');
	else {
		const r = checkRpps(rawRpps);
		if (r.ok) rpps = r.rpps;
		else errors.push(`${r.error} (${rawRpps})`);
	}
	const lastName = get('lastName');
	const firstName = get('firstName');
	if (lastName === '') errors.push('Le nom d’exercice est manquant.');
	if (firstName === '') errors.push('Le prénom d’exercice est manquant.');

	const specialty = readSpecialty(
		get('specialty'),
		get('specialtyLabel'),
		get('profession'),
		errors
	);

	const mssante = get('mssante').toLowerCase();
	if (mssante !== '' && !EMAIL.test(mssante))
		errors.push(`L’adresse MSSanté « ${mssante} » n’est pas une adresse électronique.`);
	const email = (get('email') || mssante).toLowerCase();
	if (email === '')
		errors.push(
			'Aucune adresse pour se connecter : renseignez l’adresse MSSanté ou l’adresse e-mail.'
		);
	else if (!EMAIL.test(email))
		errors.push(`L’adresse « ${email} » n’est pas une adresse électronique.`);

	const rawFiness = get('finessSite') || get('finessLegal');
	let finess: string | null = null;
	if (rawFiness !== '') {
		const f = checkFiness(rawFiness);
		if (f.ok) finess = f.finess;
		else errors.push(`${f.error} (${rawFiness})`);
	}

	const mode = get('practiceMode').toUpperCase();
	let sector: ImportSector =
		mode === 'L'
			? 'private_practice'
			: mode === 'S'
				? 'establishment'
				: mode === 'B'
					? 'other'
					: finess
						? 'establishment'
						: 'private_practice';
	if (sector === 'private_practice' && specialty === GENERAL_PRACTICE) sector = 'gp';

	return {
		lineNo,
		rpps,
		title: readTitle(get('civilityPractice'), get('civility')),
		firstName,
		lastName,
		specialty,
		email,
		mssanteAddress: mssante === '' ? null : mssante,
		finess,
		sector,
		errors
	};
}

function readSpecialty(
	code: string,
	label: string,
	profession: string,
	errors: string[]
): string | null {
	if (code !== '') {
		const found = findSpecialtyForRppsCode(code);
		if (found) return found.code;
		errors.push(
			`La spécialité « ${code}${label ? ` — ${label}` : ''} » est inconnue de Pluri : ajoutez son code à une spécialité (Administration › Spécialités).`
		);
		return null;
	}
	const byProfession = professionDefaults[profession];
	if (byProfession) return byProfession;
	if (profession === '10')
		errors.push('La spécialité (code savoir-faire) d’un médecin est obligatoire pour le quorum.');
	return null;
}

function readTitle(practice: string, civility: string): ImportTitle {
	const p = normalizeHeader(practice);
	if (p === 'dr' || p === 'docteur') return 'Dr';
	if (p === 'pr' || p === 'professeur') return 'Pr';
	const c = normalizeHeader(civility);
	if (c === 'm' || c === 'm.' || c === 'monsieur') return 'M.';
	if (c === 'mme' || c === 'madame') return 'Mme';
	return null;
}
