import { z } from 'zod';

/** A video participant, as LiveKit knows them: `user:<id>` or `guest:<invitationId>`. */
export const participantSchema = z.object({
	identity: z
		.string({ error: 'Participant inconnu.' })
		.regex(/^(user|guest):[A-Za-z0-9-]{1,64}$/, 'Participant inconnu.')
});

export const caseTargetSchema = z.object({
	caseId: z.string({ error: 'Dossier inconnu.' }).regex(/^[A-Za-z0-9-]{1,64}$/, 'Dossier inconnu.')
});

export const checkInSchema = z.object({
	person: z
		.string({ error: 'Choisissez la personne présente.' })
		.regex(/^(user|guest):[A-Za-z0-9-]{1,64}$/, 'Choisissez la personne présente.')
});

export const checkOutSchema = z.object({
	attendanceId: z
		.string({ error: 'Présence inconnue.' })
		.regex(/^[A-Za-z0-9-]{1,64}$/, 'Présence inconnue.')
});

/** Longest written opinion (avis écrit): a few paragraphs, read out in the meeting. */
export const OPINION_MAX_LENGTH = 4000;

export const opinionSchema = z.object({
	text: z
		.string({ error: 'Votre avis est obligatoire.' })
		.trim()
		.min(10, 'Votre avis doit compter au moins 10 caractères.')
		.max(OPINION_MAX_LENGTH, `Votre avis ne doit pas dépasser ${OPINION_MAX_LENGTH} caractères.`)
});
