import { z } from 'zod';
import { MIN_OVERRIDE_REASON } from '$lib/domain/deadline';
import { checkbox, idField, optionalText, requiredText, stringList, type FormValues } from './form';

/** The worklist's bulk actions and inline agenda plan. */

const checkedCases = stringList(idField).refine(
	(v) => v.length > 0,
	'Cochez au moins un dossier dans la liste.'
);

export const bulkSchema = z.object({ caseId: checkedCases });

export const bulkScheduleSchema = z.object({
	caseId: checkedCases,
	meetingId: idField.or(z.literal('').transform(() => null)).refine((v) => v !== null, {
		message: 'Choisissez la séance où inscrire les dossiers cochés.'
	}),
	late: checkbox,
	overrideReason: optionalText('Le motif', 500)
});

export const bulkRefuseSchema = z.object({
	caseId: checkedCases,
	reason: requiredText('Le motif du refus', 1000).refine(
		(v) => v.length >= MIN_OVERRIDE_REASON,
		'Expliquez le motif du refus aux demandeurs (au moins 5 caractères).'
	)
});

export interface PlanEntry {
	caseId: string;
	presenterId: string | null;
	minutes: number | null;
}

/**
 * The inline presenter and duration of each line: `caseId` repeated, then `presenter-<id>` and
 * `minutes-<id>` per case. Errors are keyed by those field names.
 */
export function parsePlanForm(
	values: FormValues
): { ok: true; entries: PlanEntry[] } | { ok: false; errors: Record<string, string> } {
	const ids = stringList(idField).safeParse(values.caseId);
	if (!ids.success || ids.data.length === 0)
		return { ok: false, errors: { form: 'Aucun dossier à enregistrer.' } };
	const errors: Record<string, string> = {};
	const entries: PlanEntry[] = [];
	for (const caseId of new Set(ids.data)) {
		const presenter = values[`presenter-${caseId}`];
		const minutes = values[`minutes-${caseId}`];
		const p = typeof presenter === 'string' ? presenter.trim() : '';
		const m = typeof minutes === 'string' ? minutes.trim() : '';
		if (p && !/^[\w-]{1,64}$/.test(p)) errors[`presenter-${caseId}`] = 'Présentateur inconnu.';
		let n: number | null = null;
		if (m) {
			n = Number(m);
			if (!Number.isInteger(n) || n < 1 || n > 240)
				errors[`minutes-${caseId}`] =
					'La durée estimée est un nombre entier de minutes entre 1 et 240.';
		}
		entries.push({ caseId, presenterId: p || null, minutes: n });
	}
	return Object.keys(errors).length ? { ok: false, errors } : { ok: true, entries };
}
