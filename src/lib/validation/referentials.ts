import { z } from 'zod';
import { checkFiness } from '$lib/domain/finess';
import { MAX_PRESENCE_GRACE_SECONDS } from '$lib/domain/quorum';
import {
	clinicalForms,
	organs,
	pathwayAreas,
	rcpTypes,
	recoursCategories
} from '$lib/domain/rcp-types';
import { specialtyCategories } from '$lib/domain/specialties';
import { checkbox, optionalText, requiredText, stringList } from './form';

const finessField = z.string({ error: 'Le numéro FINESS est obligatoire.' }).transform((v, ctx) => {
	const r = checkFiness(v);
	if (!r.ok) {
		ctx.addIssue({ code: 'custom', message: r.error });
		return z.NEVER;
	}
	return r.finess;
});

export const establishmentInputSchema = z.object({
	finess: finessField,
	name: requiredText('Le nom', 200),
	city: requiredText('La ville', 100),
	kind: z.enum(['hospital', 'clinic', 'health_centre', 'practice'], {
		error: 'Choisissez un type d’établissement.'
	}),
	level: z.enum(['legal_entity', 'site'], {
		error: 'Indiquez s’il s’agit d’une entité juridique ou d’un site.'
	}),
	legalEntityId: optionalText('L’entité juridique', 60)
});

const intField = (label: string, min: number, max: number) =>
	z.coerce
		.number({ error: `${label} doit être un nombre.` })
		.int(`${label} doit être un nombre entier.`)
		.min(min, `${label} doit être au moins ${min}.`)
		.max(max, `${label} doit être au plus ${max}.`);

const optionalEnum = <T extends readonly [string, ...string[]]>(values: T, message: string) =>
	z
		.union([z.literal(''), z.enum(values, { error: message })])
		.optional()
		.transform((v) => (v ? (v as T[number]) : null));

/** The RCP's profile: what fixes its default quorum rule (step one of creation). */
export const pathwayProfileSchema = z.object({
	name: requiredText('Le nom', 120),
	area: z.enum(pathwayAreas, { error: 'Choisissez le domaine de la RCP.' }),
	rcpType: z.enum(rcpTypes, { error: 'Choisissez le type de RCP.' }),
	recoursCategory: optionalEnum(recoursCategories, 'Catégorie de recours inconnue.'),
	organ: optionalEnum(organs, 'Organe inconnu.'),
	cellTherapyAuthorised: checkbox
});

export const pathwayCreateSchema = pathwayProfileSchema.extend({
	code: z
		.string({ error: 'Le code est obligatoire.' })
		.trim()
		.toLowerCase()
		.regex(
			/^[a-z0-9][a-z0-9-]{1,39}$/,
			'Le code comporte de 2 à 40 caractères : lettres minuscules, chiffres et tirets (exemple : onco-uro).'
		)
});

/** Seconds a participant who dropped off keeps counting (0 to 900); empty is not « 0 ». */
export const presenceGraceField = z
	.string({ error: 'Le délai de grâce est obligatoire.' })
	.trim()
	.min(1, 'Le délai de grâce est obligatoire.')
	.regex(
		/^\d{1,6}$/,
		`Le délai de grâce est un nombre entier de secondes, entre 0 et ${MAX_PRESENCE_GRACE_SECONDS}.`
	)
	.transform(Number)
	.refine(
		(n) => n <= MAX_PRESENCE_GRACE_SECONDS,
		`Le délai de grâce est d’au plus ${MAX_PRESENCE_GRACE_SECONDS} secondes (15 minutes).`
	);

export const pathwayEditSchema = pathwayProfileSchema.extend({
	clinicalForm: z.enum(clinicalForms, { error: 'Choisissez le formulaire clinique.' }),
	requiredSpecialties: stringList(z.string().max(60)),
	recommendedSpecialties: stringList(z.string().max(60)),
	countedSpecialties: stringList(z.string().max(60)),
	minDistinctSpecialties: intField('Le nombre minimal de spécialités', 1, 10),
	submissionDeadlineHours: intField('Le délai d’inscription', 0, 720),
	freshnessDays: intField('L’ancienneté maximale des documents', 1, 3650),
	presenceGraceSeconds: presenceGraceField,
	establishmentIds: stringList(z.string().max(60)),
	active: checkbox
});

export const pathwayRolesSchema = z.object({
	coordinators: stringList(z.string().max(60)),
	chairs: stringList(z.string().max(60))
});

export const specialtySchema = z.object({
	label: requiredText('Le libellé', 120),
	category: z.enum(specialtyCategories, { error: 'Choisissez la catégorie.' }),
	rppsCodes: z.string().max(300, 'La liste des codes est trop longue.').optional().default(''),
	countsTowardQuorum: checkbox,
	active: checkbox
});

export const specialtyCreateSchema = specialtySchema.extend({
	code: z.string({ error: 'Le code est obligatoire.' }).trim()
});
