import { parisLocalToUtc, addDaysLocal, isValidLocalDate } from '$lib/domain/schedule';
import type { AuditFilters } from '$lib/server/audit-trail';

/** The filter form's fields as typed, given back to the form. */
export interface AuditQueryValues {
	acteur: string;
	patient: string;
	action: string;
	du: string;
	au: string;
}

export interface AuditQuery {
	ok: boolean;
	values: AuditQueryValues;
	errors: Partial<Record<keyof AuditQueryValues, string>>;
	filters: AuditFilters;
	cursor: { before: number | null; after: number | null };
}

const ACTION_CODE = /^[a-z_]+(\.[a-z_]+)*$/;
const PATIENT_ID = /^[A-Za-z0-9-]{1,64}$/;

function seqParam(raw: string | null): number | null {
	if (!raw || !/^\d{1,15}$/.test(raw)) return null;
	const n = Number(raw);
	return n > 0 ? n : null;
}

/** Start of a Paris day as an instant (midnight always exists in Paris). */
function parisDayStart(date: string): Date | null {
	const r = parisLocalToUtc(date, '00:00');
	return r.ok ? r.instant : null;
}

/** The GET form of /admin/audit: every field checked, days read in Europe/Paris. */
export function parseAuditQuery(params: URLSearchParams): AuditQuery {
	const text = (name: string, max: number): string => (params.get(name) ?? '').trim().slice(0, max);
	const values: AuditQueryValues = {
		acteur: text('acteur', 200),
		patient: text('patient', 100),
		action: text('action', 80),
		du: text('du', 20),
		au: text('au', 20)
	};
	const errors: AuditQuery['errors'] = {};
	if (values.patient && !PATIENT_ID.test(values.patient))
		errors.patient = 'Saisissez l’identifiant complet du patient (lettres, chiffres et tirets).';
	if (values.action && !ACTION_CODE.test(values.action))
		errors.action = 'Choisissez une action dans la liste.';
	if (values.du && !isValidLocalDate(values.du))
		errors.du = 'Saisissez une date valide, par exemple 02/12/2026.';
	if (values.au && !isValidLocalDate(values.au))
		errors.au = 'Saisissez une date valide, par exemple 02/12/2026.';
	if (!errors.du && !errors.au && values.du && values.au && values.au < values.du)
		errors.au = 'La date de fin doit être le même jour que la date de début ou après.';
	const from = values.du && !errors.du ? parisDayStart(values.du) : null;
	// « au » includes that whole day: up to the start of the next one.
	const to = values.au && !errors.au ? parisDayStart(addDaysLocal(values.au, 1)) : null;
	return {
		ok: Object.keys(errors).length === 0,
		values,
		errors,
		filters: {
			actor: values.acteur || null,
			patientId: values.patient || null,
			action: values.action || null,
			from,
			to
		},
		cursor: { before: seqParam(params.get('avant')), after: seqParam(params.get('apres')) }
	};
}
