import { z } from 'zod';
import {
	checkbox,
	emailField,
	optionalEmail,
	optionalRpps,
	optionalText,
	requiredText,
	stringList
} from './form';

export const sectorValues = ['establishment', 'private_practice', 'gp', 'other'] as const;
export const titleValues = ['Dr', 'Pr', 'M.', 'Mme'] as const;

export const userSchema = z.object({
	email: emailField,
	title: z
		.enum(['', ...titleValues], { error: 'Civilité inconnue.' })
		.optional()
		.transform((v) => (v ? (v as (typeof titleValues)[number]) : null)),
	firstName: requiredText('Le prénom', 100),
	lastName: requiredText('Le nom', 100),
	rpps: optionalRpps,
	specialty: optionalText('La spécialité', 60),
	sector: z.enum(sectorValues, { error: 'Choisissez un secteur d’exercice.' }),
	establishmentId: optionalText('L’établissement', 60),
	mssanteAddress: optionalEmail,
	isAdmin: checkbox
});

export const membershipSchema = z.object({
	memberships: stringList(z.string().regex(/^[\w-]+:(coordinator|chair|member)$/, 'Rôle inconnu.'))
});

export const establishmentSchema = z.object({
	finess: z
		.string({ error: 'Le numéro FINESS est obligatoire.' })
		.trim()
		.toUpperCase()
		.regex(/^(\d{2}|2A|2B)\d{7}$/, 'Le numéro FINESS comporte 9 caractères (exemple : 710780958).'),
	name: requiredText('Le nom', 200),
	city: requiredText('La ville', 100),
	kind: z.enum(['hospital', 'clinic', 'health_centre', 'practice'], {
		error: 'Choisissez un type d’établissement.'
	})
});

const intField = (label: string, min: number, max: number) =>
	z.coerce
		.number({ error: `${label} doit être un nombre.` })
		.int(`${label} doit être un nombre entier.`)
		.min(min, `${label} doit être au moins ${min}.`)
		.max(max, `${label} doit être au plus ${max}.`);

export const pathwaySchema = z.object({
	name: requiredText('Le nom', 120),
	requiredSpecialties: stringList(z.string().max(60)),
	countedSpecialties: stringList(z.string().max(60)),
	minDistinctSpecialties: intField('Le nombre minimal de spécialités', 1, 10),
	submissionDeadlineHours: intField('Le délai d’inscription', 0, 720),
	freshnessDays: intField('L’ancienneté maximale des documents', 1, 3650),
	active: checkbox
});
