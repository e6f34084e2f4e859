import { z } from 'zod';
import {
	getCaseFields,
	listMissingCaseFields,
	type CaseFieldDef,
	type CaseFormKind
} from '$lib/domain/case-forms';
import { findCim10 } from '$lib/domain/cim10';
import { checkHaematologyCoherence, isCim10InRange } from '$lib/domain/haematology-form';
import { checkIns, checkInsTraits } from '$lib/domain/ins';
import { isSpecialtyCode } from '$lib/domain/specialties';
import { checkTnmValue, type TnmField } from '$lib/domain/tnm';
import {
	checkbox,
	optionalEmail,
	optionalRpps,
	optionalText,
	readForm,
	requiredText,
	safeValues,
	stringList,
	toFieldErrors,
	type FieldErrors,
	idField,
	type FormValues,
	type ParseResult
} from './form';

// ---------- patient identity ----------

export const identityStatusValues = ['provisional', 'retrieved', 'validated', 'qualified'] as const;

const localDate = (label: string) =>
	z
		.string({ error: `${label} est obligatoire.` })
		.trim()
		.min(1, `${label} est obligatoire.`)
		.refine((v) => {
			const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
			if (!m) return false;
			const d = new Date(`${v}T00:00:00Z`);
			return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
		}, `${label} n’est pas une date valide (jj/mm/aaaa).`);

function today(): string {
	return new Date().toISOString().slice(0, 10);
}

/** Identity traits of a new patient, checked against the INS when one is given (DESIGN §3). */
/** An optional INS matricule, normalized; a wrong key or shape is an error on the field. */
const optionalIns = z
	.string()
	.optional()
	.transform((v, ctx) => {
		const text = v ? v.replace(/\s+/g, '').toUpperCase() : '';
		if (!text) return null;
		const check = checkIns(text);
		if (!check.ok) {
			ctx.addIssue({ code: 'custom', message: check.error });
			return z.NEVER;
		}
		return check.matricule;
	});

export const patientIdentitySchema = z
	.object({
		ins: optionalIns,
		birthName: requiredText('Le nom de naissance', 100).transform((v) => v.toUpperCase()),
		firstNames: requiredText('Les prénoms de naissance', 200).transform((v) =>
			v.split(/\s+/).filter(Boolean)
		),
		sex: z.enum(['F', 'M', 'I'], { error: 'Indiquez le sexe.' }),
		birthDate: localDate('La date de naissance')
			.refine((v) => v >= '1900-01-01', 'La date de naissance est antérieure à 1900.')
			.refine((v) => v <= today(), 'La date de naissance est dans le futur.'),
		birthplaceCode: z
			.string()
			.trim()
			.toUpperCase()
			.optional()
			.transform((v) => v || null)
			.refine(
				(v) => v === null || /^(\d{5}|2[AB]\d{3})$/.test(v),
				'Le code INSEE du lieu de naissance comporte 5 caractères (99xxx pour l’étranger).'
			),
		identityStatus: z.enum(identityStatusValues, { error: 'Choisissez le statut de l’identité.' })
	})
	.superRefine((v, ctx) => {
		if (v.ins === null) {
			if (v.identityStatus !== 'provisional') {
				ctx.addIssue({
					code: 'custom',
					path: ['ins'],
					message:
						'Une identité récupérée, validée ou qualifiée comporte un matricule INS : saisissez-le ou choisissez « identité provisoire ».'
				});
			}
			return;
		}
		// Split the contradictions by the field the person has to correct.
		for (const message of checkInsTraits(v.ins, { sex: v.sex, birthDate: '' })) {
			ctx.addIssue({ code: 'custom', path: ['sex'], message });
		}
		const dateProblems = checkInsTraits(v.ins, { sex: 'I', birthDate: v.birthDate });
		if (dateProblems.length) {
			ctx.addIssue({ code: 'custom', path: ['birthDate'], message: dateProblems.join(' ') });
		}
	});

export type PatientIdentityInput = z.output<typeof patientIdentitySchema>;

export const patientSearchSchema = z
	.object({
		ins: optionalIns,
		name: z
			.string()
			.trim()
			.max(100)
			.optional()
			.transform((v) => v || null),
		birthDate: z
			.string()
			.trim()
			.optional()
			.transform((v) => v || null)
	})
	.superRefine((v, ctx) => {
		if (v.ins) return;
		if (!v.name || !v.birthDate) {
			ctx.addIssue({
				code: 'custom',
				path: ['name'],
				message: 'Saisissez le matricule INS, ou le nom de naissance et la date de naissance.'
			});
		} else if (!/^\d{4}-\d{2}-\d{2}$/.test(v.birthDate)) {
			ctx.addIssue({
				code: 'custom',
				path: ['birthDate'],
				message: 'La date de naissance n’est pas une date valide.'
			});
		}
	});

// ---------- the pathway part ----------

function optionalNumber(f: CaseFieldDef) {
	const unit = f.unit ? ` ${f.unit}` : '';
	const range = `${f.label} doit être comprise entre ${f.min}${unit} et ${f.max}${unit}.`;
	return z
		.string()
		.optional()
		.transform((v, ctx) => {
			const text = (v ?? '').trim().replace(',', '.');
			if (text === '') return null;
			const n = Number(text);
			if (!Number.isFinite(n) || !/^-?\d+(\.\d+)?$/.test(text)) {
				ctx.addIssue({ code: 'custom', message: `${f.label} doit être un nombre.` });
				return z.NEVER;
			}
			if (!f.decimal && !Number.isInteger(n)) {
				ctx.addIssue({ code: 'custom', message: `${f.label} doit être un nombre entier.` });
				return z.NEVER;
			}
			if ((f.min !== undefined && n < f.min) || (f.max !== undefined && n > f.max)) {
				ctx.addIssue({ code: 'custom', message: range });
				return z.NEVER;
			}
			return n;
		});
}

function optionalChoice(f: CaseFieldDef) {
	const values = (f.options ?? []).map((o) => o.value);
	return z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (!v) return null;
			if (!values.includes(v)) {
				ctx.addIssue({ code: 'custom', message: `${f.label} : choix inconnu.` });
				return z.NEVER;
			}
			return v;
		});
}

function optionalTnm(f: CaseFieldDef) {
	return z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (!v || !v.trim()) return null;
			const check = checkTnmValue(f.name as TnmField, v);
			if (!check.ok) {
				ctx.addIssue({ code: 'custom', message: check.error });
				return z.NEVER;
			}
			return check.value;
		});
}

function optionalCim10(f: CaseFieldDef) {
	return z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (!v || !v.trim()) return null;
			const entry = findCim10(v);
			if (!entry) {
				ctx.addIssue({
					code: 'custom',
					message: `${f.label} : « ${v.trim()} » n’est pas un code CIM-10 de tumeur maligne (C00 à C97).`
				});
				return z.NEVER;
			}
			if (f.cim10Range && !isCim10InRange(entry.code, f.cim10Range)) {
				const [from, to] = f.cim10Range;
				ctx.addIssue({
					code: 'custom',
					message: `${f.label} : « ${entry.code} » n’est pas un code d’hémopathie maligne (C${from} à C${to}).`
				});
				return z.NEVER;
			}
			return entry.code;
		});
}

function fieldSchema(f: CaseFieldDef): z.ZodType<string | number | boolean | null> {
	switch (f.kind) {
		case 'number':
			return optionalNumber(f);
		case 'select':
			return optionalChoice(f);
		case 'checkbox':
			return checkbox;
		case 'tnm':
			return optionalTnm(f);
		case 'cim10':
			return optionalCim10(f);
		case 'textarea':
			return optionalText(f.label, 2000);
		default:
			return optionalText(f.label, 300);
	}
}

function buildDataSchema(fields: readonly CaseFieldDef[]) {
	return z
		.object(Object.fromEntries(fields.map((f) => [f.name, fieldSchema(f)])))
		.transform((data) =>
			// Only filled values are stored: the JSON stays small and « empty » has one spelling.
			Object.fromEntries(
				Object.entries(data).filter(([, v]) => v !== null && v !== false && v !== '')
			)
		);
}

export const oncologyDataSchema = buildDataSchema(getCaseFields('oncology'));
export const heartFailureDataSchema = buildDataSchema(getCaseFields('heart_failure'));
export const haematologyDataSchema = buildDataSchema(getCaseFields('haematology'));

export function getPathwayDataSchema(kind: CaseFormKind) {
	return kind === 'oncology'
		? oncologyDataSchema
		: kind === 'haematology'
			? haematologyDataSchema
			: heartFailureDataSchema;
}

// ---------- the common part ----------

export const caseCommonSchema = z.object({
	question: optionalText('La question posée', 1000).transform((v) => v ?? ''),
	summary: optionalText('Le résumé clinique', 6000).transform((v) => v ?? ''),
	referringName: optionalText('Le nom du médecin référent', 150),
	referringRpps: optionalRpps,
	referringEmail: optionalEmail,
	gpName: optionalText('Le nom du médecin traitant', 150),
	gpRpps: optionalRpps,
	gpEmail: optionalEmail,
	meetingChoice: z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null)
		.refine((v) => v === null || v === 'next' || /^[\w-]{1,64}$/.test(v), 'Séance inconnue.'),
	intent: z.enum(['draft', 'submit']).optional().default('draft'),
	patientId: idField.optional().or(z.literal('').transform(() => undefined)),
	confirmNewPatient: checkbox
});

export type CaseCommonInput = z.output<typeof caseCommonSchema>;

export interface CaseRequestInput {
	intent: 'draft' | 'submit';
	/** An existing patient, or the identity of a new one. */
	patient: { kind: 'existing'; id: string } | { kind: 'new'; identity: PatientIdentityInput };
	confirmNewPatient: boolean;
	common: Omit<CaseCommonInput, 'intent' | 'patientId' | 'confirmNewPatient'>;
	data: Record<string, unknown>;
}

/**
 * Parses the case request form: common part, patient (chosen or new), pathway part. A draft
 * only needs valid values; a submission also needs the fields the pathway requires to submit.
 * `fixedPatientId` is the patient of a case being edited (not taken from the form).
 */
export function parseCaseRequest(
	form: FormData,
	kind: CaseFormKind,
	fixedPatientId: string | null = null
): ParseResult<CaseRequestInput> {
	const values: FormValues = safeValues(readForm(form));
	const errors: FieldErrors = {};

	const common = caseCommonSchema.safeParse(values);
	if (!common.success) Object.assign(errors, toFieldErrors(common.error));

	const patientId = fixedPatientId ?? (common.success ? common.data.patientId : undefined);
	let identity: PatientIdentityInput | null = null;
	if (!patientId) {
		const parsed = patientIdentitySchema.safeParse(values);
		if (parsed.success) identity = parsed.data;
		else Object.assign(errors, toFieldErrors(parsed.error));
	}

	const data = getPathwayDataSchema(kind).safeParse(values);
	if (!data.success) Object.assign(errors, toFieldErrors(data.error));
	else if (kind === 'haematology') {
		for (const [field, message] of Object.entries(checkHaematologyCoherence(data.data))) {
			errors[field] ??= message;
		}
	}

	if (common.success && data.success && common.data.intent === 'submit') {
		for (const f of listMissingCaseFields(kind, common.data, data.data, 'submit')) {
			errors[f.name] ??= `${f.label} : à renseigner pour soumettre la demande.`;
		}
		if (!common.data.meetingChoice) {
			errors.meetingChoice = 'Choisissez une séance ou « la prochaine séance ».';
		}
	}

	if (Object.keys(errors).length || !common.success || !data.success) {
		return { ok: false, errors, values };
	}
	const { intent, confirmNewPatient, ...rest } = common.data;
	delete rest.patientId;
	return {
		ok: true,
		values,
		data: {
			intent,
			patient: patientId
				? { kind: 'existing', id: patientId }
				: { kind: 'new', identity: identity! },
			confirmNewPatient,
			common: rest,
			data: data.data
		}
	};
}

// ---------- coordinator and agenda actions ----------

export const withdrawSchema = z.object({
	reason: optionalText('Le motif', 500)
});

export const agendaMoveSchema = z.object({
	caseId: idField,
	direction: z.enum(['up', 'down'], { error: 'Sens de déplacement inconnu.' })
});

export const agendaOrderSchema = z.object({
	order: stringList(idField).refine((v) => v.length > 0, 'L’ordre du jour est vide.')
});

export const agendaItemSchema = z.object({
	caseId: idField,
	minutes: z
		.string()
		.trim()
		.optional()
		.transform((v, ctx) => {
			if (!v) return null;
			const n = Number(v);
			if (!Number.isInteger(n) || n < 1 || n > 240) {
				ctx.addIssue({
					code: 'custom',
					message: 'La durée estimée est un nombre entier de minutes entre 1 et 240.'
				});
				return z.NEVER;
			}
			return n;
		}),
	presenterId: idField.optional().or(z.literal('').transform(() => undefined)),
	neededSpecialties: stringList(
		z.string().refine((v) => isSpecialtyCode(v), 'Spécialité inconnue.')
	)
});

export const documentKindValues = [
	'pathology',
	'imaging',
	'biology',
	'report',
	'letter',
	'other'
] as const;

export const documentMetaSchema = z.object({
	kind: z.enum(documentKindValues, { error: 'Choisissez le type de document.' }),
	documentDate: z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null)
		.refine(
			(v) => v === null || /^\d{4}-\d{2}-\d{2}$/.test(v),
			'La date de l’examen n’est pas une date valide.'
		)
		.refine((v) => v === null || v <= today(), 'La date de l’examen est dans le futur.')
});

export const identityUpdateSchema = z.object({
	ins: optionalIns,
	identityStatus: z.enum(identityStatusValues, { error: 'Choisissez le statut de l’identité.' })
});
