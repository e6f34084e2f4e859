import { fail } from '@sveltejs/kit';
import { canAdminister } from '$lib/server/auth/access';
import { ensure } from '$lib/server/guard';
import { importUsers, planUserImport, type ImportPlan } from '$lib/server/user-import';
import type { Actions, PageServerLoad } from './$types';

const MAX_BYTES = 400_000;

export const load: PageServerLoad = async ({ locals }) => {
	await ensure(canAdminister(locals.actor));
	return {};
};

/** The CSV from the file field, or else from the text carried over from the preview. */
async function readCsv(
	form: FormData
): Promise<{ ok: true; csv: string } | { ok: false; error: string }> {
	const file = form.get('file');
	let csv = '';
	if (file instanceof File && file.size > 0) {
		if (file.size > MAX_BYTES)
			return { ok: false, error: 'Le fichier dépasse 400 Ko : importez-le en plusieurs fois.' };
		csv = new TextDecoder('utf-8').decode(await file.arrayBuffer());
	} else {
		const text = form.get('csv');
		csv = typeof text === 'string' ? text : '';
	}
	if (csv.trim() === '')
		return {
			ok: false,
			error: 'Choisissez un fichier CSV (extraction RPPS) ou collez son contenu.'
		};
	if (csv.length > MAX_BYTES)
		return { ok: false, error: 'Le contenu dépasse 400 Ko : importez-le en plusieurs fois.' };
	return { ok: true, csv };
}

function summarize(plan: ImportPlan) {
	if (!plan.ok) return null;
	return plan.lines.map((l) => ({
		lineNo: l.lineNo,
		rpps: l.rpps,
		name: [l.title, l.firstName, l.lastName].filter(Boolean).join(' '),
		specialty: l.specialty,
		email: l.email,
		establishment: l.establishmentName,
		action: l.action,
		errors: l.errors
	}));
}

export const actions: Actions = {
	preview: async ({ request, locals }) => {
		await ensure(canAdminister(locals.actor));
		const read = await readCsv(await request.formData());
		if (!read.ok) return fail(400, { errors: { file: read.error } });
		const plan = await planUserImport(read.csv);
		if (!plan.ok) return fail(400, { csv: read.csv, errors: { file: plan.error } });
		return { csv: read.csv, lines: summarize(plan), errorCount: plan.errorCount };
	},

	import: async ({ request, locals }) => {
		await ensure(canAdminister(locals.actor));
		const read = await readCsv(await request.formData());
		if (!read.ok) return fail(400, { errors: { file: read.error } });
		const result = await importUsers(read.csv, locals.audit);
		if (!result.ok) {
			if (!result.plan.ok) return fail(400, { csv: read.csv, errors: { file: result.plan.error } });
			return fail(400, {
				csv: read.csv,
				lines: summarize(result.plan),
				errorCount: result.plan.errorCount,
				errors: {
					file: `Aucun compte n’a été importé : ${result.plan.errorCount} ligne(s) en erreur. Corrigez le fichier puis recommencez.`
				}
			});
		}
		return {
			done: `Import terminé : ${result.created} compte(s) créé(s), ${result.updated} mis à jour, ${result.unchanged} inchangé(s).`
		};
	}
};
