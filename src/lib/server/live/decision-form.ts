import { fail, type ActionFailure } from '@sveltejs/kit';
import { z } from 'zod';
import type { ExpectedOutcome } from '$lib/domain/decision';
import { saveDecisionDraft, type DecisionWriteResult, type ValidationPreview } from '../decisions';
import type { AuditContext } from '../audit';
import { decisionFormSchema } from '$lib/validation/decisions';
import { parseForm, readForm, safeValues, type FormValues } from '$lib/validation/form';
import { isValidationRefusal, previewValidation, validateDecision } from '../decision-validation';

/**
 * The decision form as the room and the decision page post it: the content, the draft revision
 * it was typed on, and for a validation the outcome the chair was shown and confirms. The
 * caller has checked the actor may write this case's decision before calling.
 */

const confirmSchema = z.object({
	revision: z
		.string()
		.optional()
		.transform((v) => (v && /^\d{1,9}$/.test(v) ? Number(v) : null)),
	expected: z
		.enum(['validated', 'provisional', ''])
		.optional()
		.transform((v): ExpectedOutcome | null => (v ? v : null))
});

export interface DecisionFormSuccess {
	action: 'decision';
	kind: 'saved' | 'preview' | 'recorded';
	caseId: string;
	values: FormValues;
	revision: number;
	savedAt?: string;
	preview?: ValidationPreview;
	outcome?: ExpectedOutcome;
	message?: string;
}

export interface DecisionFormFailure {
	action: 'decision';
	kind: 'refused';
	caseId: string;
	values: FormValues;
	errors: Record<string, string>;
	/** The stored revision: a stale write may reload it. */
	revision?: number;
	stale?: boolean;
	preview?: ValidationPreview;
}

type Outcome = DecisionFormSuccess | ActionFailure<DecisionFormFailure>;

function refuse(
	caseId: string,
	values: FormValues,
	result: Extract<DecisionWriteResult, { ok: false }>
): ActionFailure<DecisionFormFailure> {
	const errors =
		result.errors && Object.keys(result.errors).length
			? (result.errors as Record<string, string>)
			: { form: result.message };
	return fail(result.code === 'invalid' ? 400 : 409, {
		action: 'decision' as const,
		kind: 'refused' as const,
		caseId,
		values,
		errors,
		revision: result.revision,
		stale: result.code === 'stale',
		preview: result.preview
	});
}

async function readDecisionForm(request: Request) {
	const form = await request.formData();
	const values = safeValues(readForm(form));
	const parsed = parseForm(decisionFormSchema, form);
	const confirm = confirmSchema.safeParse(readForm(form));
	return { values, parsed, confirm: confirm.success ? confirm.data : null };
}

/** Saves the draft (autosave, or « Enregistrer le brouillon » without JavaScript). */
export async function submitDraft(
	request: Request,
	meetingId: string,
	caseId: string,
	audit: AuditContext
): Promise<Outcome> {
	const { values, parsed, confirm } = await readDecisionForm(request);
	if (!parsed.ok || !confirm) {
		return fail(400, {
			action: 'decision' as const,
			kind: 'refused' as const,
			caseId,
			values,
			errors: parsed.ok ? { form: 'Formulaire invalide.' } : parsed.errors
		});
	}
	const result = await saveDecisionDraft(
		caseId,
		meetingId,
		parsed.data,
		audit,
		new Date(),
		confirm.revision
	);
	if (!result.ok) return refuse(caseId, values, result);
	return {
		action: 'decision',
		kind: 'saved',
		caseId,
		values,
		revision: result.revision,
		savedAt: result.at.toISOString()
	};
}

/**
 * « Valider » in two steps. Without a confirmed outcome: the draft is saved and the chair is
 * shown what validating now would record (decision, or provisional opinion naming the missing
 * specialties). With it: validated, unless the quorum changed since (then the new preview).
 */
export async function submitValidation(
	request: Request,
	meetingId: string,
	caseId: string,
	audit: AuditContext
): Promise<Outcome> {
	const { values, parsed, confirm } = await readDecisionForm(request);
	if (!parsed.ok || !confirm) {
		return fail(400, {
			action: 'decision' as const,
			kind: 'refused' as const,
			caseId,
			values,
			errors: parsed.ok ? { form: 'Formulaire invalide.' } : parsed.errors
		});
	}
	if (!confirm.expected) {
		const saved = await saveDecisionDraft(
			caseId,
			meetingId,
			parsed.data,
			audit,
			new Date(),
			confirm.revision
		);
		if (!saved.ok) return refuse(caseId, values, saved);
		const preview = await previewValidation(caseId, meetingId, new Date(), parsed.data);
		if (isValidationRefusal(preview)) return refuse(caseId, values, preview);
		return {
			action: 'decision',
			kind: 'preview',
			caseId,
			values,
			revision: saved.revision,
			preview
		};
	}
	const result = await validateDecision(caseId, meetingId, parsed.data, audit, new Date(), {
		expected: confirm.expected,
		revision: confirm.revision
	});
	if (!result.ok) return refuse(caseId, values, result);
	const outcome: ExpectedOutcome = result.status === 'validated' ? 'validated' : 'provisional';
	return {
		action: 'decision',
		kind: 'recorded',
		caseId,
		values,
		revision: result.revision,
		outcome,
		message:
			outcome === 'validated'
				? 'La proposition thérapeutique est validée : elle part vers le dossier patient, le médecin traitant et le médecin adresseur.'
				: 'Avis provisoire enregistré, sans décision : le quorum n’étant pas atteint, le dossier sera représenté à la prochaine séance.'
	};
}
