/**
 * What the request form does besides saving (issue #15): prefill the referring doctor with
 * the requester, resolve the birthplace typed by name, look doctors up in the directory and
 * check the documents sent with the request. Used by `cases/new` and `cases/[caseId]/edit`.
 */
import { formatCommune, normalizePlaceName, type BirthplaceChoice } from '$lib/domain/birthplace';
import { birthCountries, isAbroadCode } from '$lib/domain/countries';
import type { DocumentKind } from '$lib/domain/completeness';
import type { FieldErrors } from '$lib/validation/form';
import type { Actor } from './auth/access';
import type { AuditContext } from './audit';
import { describeCommuneCode, resolveTypedBirthplace } from './communes';
import { searchDoctorDirectory, type DirectoryEntry } from './doctor-directory';
import { addCaseDocument, checkDocumentFile } from './documents';
import { getUser } from './users';

/** The requester as the referring doctor of a new request (editable in the form). */
export async function requesterAsReferring(userId: string): Promise<Record<string, string>> {
	const u = await getUser(userId);
	if (!u) return {};
	return {
		referringName: [u.title ?? 'Dr', u.firstName, u.lastName].join(' '),
		referringRpps: u.rpps ?? '',
		referringEmail: u.mssanteAddress ?? ''
	};
}

/** A country typed by its name or its INSEE code (99xxx). */
function findCountryCode(typed: string): string | null {
	const code = typed.toUpperCase();
	if (isAbroadCode(code)) return code;
	const key = normalizePlaceName(typed);
	return birthCountries.find((c) => normalizePlaceName(c.name) === key)?.code ?? null;
}

export interface BirthplaceOutcome {
	/** The field the error belongs to (birthplaceName unless said). */
	field?: 'birthplaceName' | 'birthCountry';
	error?: string;
	choices?: BirthplaceChoice[];
}

/**
 * Turns the birthplace fields (`birthplaceWhere` france/abroad, `birthplaceName`,
 * `birthCountry`, `birthplaceCode` once picked) into the INSEE code the identity stores, in
 * `birthplaceCode`. A name several communes share comes back as choices, everything kept.
 */
export function prepareBirthplace(form: FormData): BirthplaceOutcome {
	const get = (k: string): string => {
		const v = form.get(k);
		return typeof v === 'string' ? v.trim() : '';
	};
	if (!form.has('birthplaceWhere')) return {}; // a form without the birthplace part
	if (get('birthplaceWhere') === 'abroad') {
		const typed = get('birthCountry');
		if (!typed) {
			form.set('birthplaceCode', '');
			return {};
		}
		const country = findCountryCode(typed);
		if (!country) {
			return {
				field: 'birthCountry',
				error: 'Pays inconnu de la liste : saisissez son code INSEE (99xxx).'
			};
		}
		form.set('birthplaceCode', country);
		return {};
	}
	const name = get('birthplaceName');
	const code = get('birthplaceCode').toUpperCase();
	const picked = code ? describeCommuneCode(code) : undefined;
	// A pick (autocomplete or a choice offered) stays as long as the name shown is its own.
	if (picked && (!name || name === formatCommune(picked) || name === picked.name)) {
		form.set('birthplaceName', formatCommune(picked));
		return {};
	}
	if (!name) {
		form.set('birthplaceCode', '');
		return {};
	}
	const r = resolveTypedBirthplace(name);
	if (r.kind === 'found') {
		form.set('birthplaceCode', r.code);
		form.set('birthplaceName', r.label);
		return {};
	}
	form.set('birthplaceCode', '');
	if (r.kind === 'ambiguous') {
		return {
			error: `Plusieurs lieux correspondent à « ${name} » : choisissez la commune de naissance.`,
			choices: r.choices
		};
	}
	return {
		error: `Aucune commune ne s’appelle « ${name} » : vérifiez l’orthographe, ou saisissez le code INSEE.`
	};
}

/** The birthplace fields of a stored code, for a form opened on an existing value. */
export function birthplaceValues(code: string | null): Record<string, string> {
	if (!code) return { birthplaceWhere: 'france' };
	if (isAbroadCode(code)) return { birthplaceWhere: 'abroad', birthCountry: code };
	const c = describeCommuneCode(code);
	return {
		birthplaceWhere: 'france',
		birthplaceCode: code,
		birthplaceName: c ? formatCommune(c) : code
	};
}

export type DoctorRole = 'referring' | 'gp';
export type Lookups = {
	referring?: DirectoryEntry[];
	gp?: DirectoryEntry[];
	birthplace?: BirthplaceChoice[];
};

/**
 * The « Rechercher » buttons of the form without JavaScript: `assist=referring|gp|birthplace`
 * searches with what was typed; `pick=<role>:<json>` fills a doctor picked from the results.
 * Returns the values to show again and the results.
 */
export async function assistRequestForm(
	form: FormData,
	values: Record<string, unknown>,
	actor: Actor
): Promise<{ values: Record<string, unknown>; lookups: Lookups; errors: FieldErrors }> {
	const lookups: Lookups = {};
	const errors: FieldErrors = {};
	const pick = form.get('pick');
	if (typeof pick === 'string' && /^(referring|gp):/.test(pick)) {
		const role = pick.slice(0, pick.indexOf(':')) as DoctorRole;
		try {
			const d = JSON.parse(pick.slice(role.length + 1)) as Record<string, unknown>;
			const text = (v: unknown): string => (typeof v === 'string' ? v.slice(0, 150) : '');
			values = {
				...values,
				[`${role}Name`]: text(d.name),
				[`${role}Rpps`]: text(d.rpps),
				[`${role}Email`]: text(d.email)
			};
		} catch {
			errors[`${role}Name`] = 'Ce médecin n’a pas pu être repris : saisissez-le.';
		}
		return { values, lookups, errors };
	}
	const what = form.get('assist');
	if (what === 'referring' || what === 'gp') {
		const q = String(values[`${what}Name`] ?? '') || String(values[`${what}Rpps`] ?? '');
		lookups[what] = await searchDoctorDirectory(actor, q);
		if (!lookups[what]!.length) {
			errors[`${what}Name`] =
				q.trim().length < 2
					? 'Saisissez au moins deux lettres du nom, ou le numéro RPPS.'
					: 'Aucun médecin connu ne correspond : saisissez ses coordonnées.';
		}
	} else if (what === 'birthplace') {
		const outcome = prepareBirthplace(form);
		values = {
			...values,
			birthplaceCode: form.get('birthplaceCode') ?? '',
			birthplaceName: form.get('birthplaceName') ?? ''
		};
		if (outcome.choices) lookups.birthplace = outcome.choices;
		if (outcome.error) errors[outcome.field ?? 'birthplaceName'] = outcome.error;
	}
	return { values, lookups, errors };
}

// ---------- documents sent with the request ----------

/** File inputs of the form, one per kind of document (each takes several files). */
export const requestDocumentInputs: readonly { name: string; kind: DocumentKind }[] = [
	{ name: 'documentsPathology', kind: 'pathology' },
	{ name: 'documentsImaging', kind: 'imaging' },
	{ name: 'documentsBiology', kind: 'biology' },
	{ name: 'documentsOther', kind: 'report' }
];

export interface RequestFile {
	file: File;
	kind: DocumentKind;
}

export type RequestFilesCheck =
	{ ok: true; files: RequestFile[] } | { ok: false; error: string; fileNames: string[] };

/** Every file chosen, each through the document checks; one refused file refuses them all. */
export async function checkRequestFiles(form: FormData): Promise<RequestFilesCheck> {
	const files: RequestFile[] = [];
	for (const input of requestDocumentInputs) {
		for (const f of form.getAll(input.name)) {
			if (typeof f !== 'string' && f.name !== '' && f.size > 0)
				files.push({ file: f, kind: input.kind });
		}
	}
	const problems: string[] = [];
	for (const f of files) {
		const check = await checkDocumentFile(f.file);
		if (!check.ok) problems.push(`${f.file.name.slice(0, 120)} : ${check.error}`);
	}
	if (problems.length) {
		return {
			ok: false,
			error: problems.join(' '),
			fileNames: files.map((f) => f.file.name.slice(0, 120))
		};
	}
	return { ok: true, files };
}

/** The file names to select again, when the form comes back for another reason. */
export function listChosenFileNames(form: FormData): string[] {
	return requestDocumentInputs
		.flatMap((i) => form.getAll(i.name))
		.filter((f): f is File => typeof f !== 'string' && f.name !== '' && f.size > 0)
		.map((f) => f.name.slice(0, 120));
}

/** Stores the checked files on the saved case (each one audited by addCaseDocument). */
export async function attachRequestFiles(
	caseId: string,
	files: readonly RequestFile[],
	audit: AuditContext
): Promise<string[]> {
	const failed: string[] = [];
	for (const f of files) {
		const r = await addCaseDocument(
			{ caseId, file: f.file, kind: f.kind, documentDate: null },
			audit
		);
		if (!r.ok) failed.push(f.file.name);
	}
	return failed;
}
