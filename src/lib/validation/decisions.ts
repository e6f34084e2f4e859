import { z } from 'zod';
import { DECISION_TEXT_MAX, type DecisionContent } from '$lib/domain/decision';
import { checkbox, optionalText, stringList } from './form';

/**
 * The decision form. Shapes only: which proposal types a pathway allows and what a validation
 * needs are the domain's rules (checkDecisionContent), applied by the server with the pathway.
 */
export const decisionFormSchema = z
	.object({
		proposalTypes: stringList(z.string().trim().max(64)),
		text: z
			.string()
			.optional()
			.transform((v) => v ?? '')
			.pipe(
				z
					.string()
					.max(
						DECISION_TEXT_MAX,
						`La proposition ne doit pas dépasser ${DECISION_TEXT_MAX} caractères.`
					)
			),
		conformity: z
			.enum(['conform', 'off_guideline', ''], { error: 'Choix de conformité invalide.' })
			.optional()
			.transform((v) => (v ? v : null)),
		justification: optionalText('La justification', 2000),
		trialProposed: checkbox,
		trialName: optionalText('Le nom de l’essai', 300),
		followUp: optionalText('Le suivi', 2000)
	})
	.transform((v): DecisionContent => v);

export const amendFormSchema = z.object({
	reason: z
		.string({ error: 'Indiquez le motif de l’amendement.' })
		.trim()
		.max(1000, 'Le motif ne doit pas dépasser 1000 caractères.')
});

export const retryFormSchema = z.object({
	outboxId: z
		.string()
		.trim()
		.regex(/^[\w-]{1,64}$/, 'Envoi inconnu.')
});

export const deliveryFilters = ['all', 'failed', 'pending', 'sending', 'delivered'] as const;
export type DeliveryFilter = (typeof deliveryFilters)[number];

export function parseDeliveryFilter(value: string | null): DeliveryFilter {
	return (deliveryFilters as readonly string[]).includes(value ?? '')
		? (value as DeliveryFilter)
		: 'all';
}

/** `?version=2` on the PDF links; anything else means the current version. */
export function parseVersionParam(value: string | null): number | null {
	return value && /^\d{1,4}$/.test(value) ? Number(value) : null;
}
