import { z } from 'zod';
import { isValidLocalDate } from '$lib/domain/schedule';
import { MAX_DURATION_MINUTES, MIN_DURATION_MINUTES } from '$lib/domain/meeting-plan';
import { checkbox, emailField, optionalRpps, requiredText, stringList } from './form';

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const idField = (message: string) => z.string({ error: message }).trim().regex(ID, message);

/** The random id a creation form carries, so that a second submission finds the first. */
const requestId = z
	.string()
	.trim()
	.optional()
	.transform((v) => (v && ID.test(v) ? v.toLowerCase() : null));

function localDate(label: string) {
	return z
		.string({ error: `${label} est obligatoire.` })
		.trim()
		.min(1, `${label} est obligatoire.`)
		.regex(/^\d{4}-\d{2}-\d{2}$/, `${label} doit être au format AAAA-MM-JJ.`)
		.refine(isValidLocalDate, `${label} n’est pas une date valide.`);
}

const optionalLocalDate = (label: string) =>
	z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null)
		.refine(
			(v) => v === null || (/^\d{4}-\d{2}-\d{2}$/.test(v) && isValidLocalDate(v)),
			`${label} n’est pas une date valide.`
		);

const localTime = z
	.string({ error: 'L’heure est obligatoire.' })
	.trim()
	.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'L’heure doit être au format HH:MM, par exemple 17:30.');

const duration = z.coerce
	.number({ error: 'La durée doit être un nombre de minutes.' })
	.int('La durée doit être un nombre entier de minutes.')
	.min(MIN_DURATION_MINUTES, `La durée doit être d’au moins ${MIN_DURATION_MINUTES} minutes.`)
	.max(MAX_DURATION_MINUTES, `La durée ne doit pas dépasser ${MAX_DURATION_MINUTES / 60} heures.`);

const place = requiredText('Le lieu', 200);
const chairId = idField('Choisissez le président de séance.');

export const seriesSchema = z
	.object({
		frequency: z.enum(['weekly', 'biweekly', 'monthly'], { error: 'Choisissez une fréquence.' }),
		weekday: z.coerce
			.number({ error: 'Choisissez un jour de la semaine.' })
			.int('Choisissez un jour de la semaine.')
			.min(1, 'Choisissez un jour de la semaine.')
			.max(7, 'Choisissez un jour de la semaine.'),
		nthWeek: z
			.enum(['', '1', '2', '3', '4', '-1'], { error: 'Semaine du mois inconnue.' })
			.optional()
			.transform((v) => (v ? Number(v) : null)),
		startDate: localDate('La date de début'),
		endKind: z.enum(['none', 'until', 'count'], {
			error: 'Choisissez comment la série se termine.'
		}),
		untilDate: optionalLocalDate('La date de fin'),
		count: z
			.string()
			.trim()
			.optional()
			.transform((v) => (v ? Number(v) : null))
			.refine(
				(v) => v === null || (Number.isInteger(v) && v >= 1 && v <= 260),
				'Le nombre de séances doit être compris entre 1 et 260.'
			),
		localStartTime: localTime,
		durationMinutes: duration,
		place,
		videoOffered: checkbox,
		chairId,
		inviteMembers: checkbox,
		requestId
	})
	.superRefine((v, ctx) => {
		if (v.frequency === 'monthly' && v.nthWeek === null) {
			ctx.addIssue({
				code: 'custom',
				path: ['nthWeek'],
				message: 'Pour une série mensuelle, choisissez la semaine du mois.'
			});
		}
		if (v.endKind === 'until' && v.untilDate === null) {
			ctx.addIssue({ code: 'custom', path: ['untilDate'], message: 'Indiquez la date de fin.' });
		}
		if (v.endKind === 'count' && v.count === null) {
			ctx.addIssue({ code: 'custom', path: ['count'], message: 'Indiquez le nombre de séances.' });
		}
	})
	.transform(({ endKind, ...v }) => ({
		...v,
		nthWeek: v.frequency === 'monthly' ? v.nthWeek : null,
		untilDate: endKind === 'until' ? v.untilDate : null,
		count: endKind === 'count' ? v.count : null
	}));

export const meetingSlotSchema = z.object({
	date: localDate('La date'),
	time: localTime,
	durationMinutes: duration,
	place,
	videoOffered: checkbox,
	chairId
});

export const newMeetingSchema = meetingSlotSchema.extend({
	inviteMembers: checkbox,
	requestId
});

export const seriesDefaultsSchema = z.object({ place, videoOffered: checkbox, chairId });

export const cancelMeetingSchema = z.object({
	reason: requiredText('Le motif d’annulation', 300)
});

export const endSeriesSchema = z.object({
	lastDate: localDate('La date de la dernière séance')
});

export const inviteMembersSchema = z.object({
	userIds: stringList(idField('Médecin inconnu.')).refine(
		(list) => list.length > 0,
		'Choisissez au moins un médecin à inviter.'
	)
});

export const inviteGuestSchema = z.object({
	guestName: requiredText('Le nom du médecin', 120),
	guestRpps: optionalRpps,
	guestEmail: emailField,
	caseId: z
		.string()
		.trim()
		.optional()
		.transform((v) => v || null)
		.refine((v) => v === null || ID.test(v), 'Dossier inconnu.')
});

export const invitationIdSchema = z.object({
	invitationId: idField('Invitation inconnue.')
});

export const replySchema = z.object({
	reply: z.enum(['accepted', 'declined'], { error: 'Choisissez votre réponse.' })
});
