/**
 * Reminding a requester of what their case lacks before the meeting's submission deadline
 * (issue #15). Pure rules: when a reminder is due, its claim key, and the mail's French text.
 */

/** The automatic reminder goes out in the last three days before the submission deadline. */
export const REMINDER_LEAD_HOURS = 72;

/** A manual reminder of the same case is not sent twice within this time (double click). */
export const MANUAL_REMINDER_GAP_MS = 60_000;

/** Statuses in which a case stands on (or asked for) a meeting and may still be completed. */
export const remindableStatuses = ['submitted', 'scheduled', 'deferred'] as const;

export interface ReminderFacts {
	status: string;
	/** The meeting the case is on; null when it has none. */
	meeting: { status: string; deadlineAt: Date } | null;
	/** Points the case itself lacks (fields, documents, freshness, identity). */
	missingCount: number;
}

/** Whether the upkeep must remind the requester now: scheduled, incomplete, deadline near. */
export function isAutomaticReminderDue(
	facts: ReminderFacts,
	now: Date,
	leadHours = REMINDER_LEAD_HOURS
): boolean {
	if (facts.status !== 'scheduled' || facts.missingCount === 0 || !facts.meeting) return false;
	if (facts.meeting.status !== 'scheduled') return false;
	const deadline = facts.meeting.deadlineAt.getTime();
	return now.getTime() < deadline && now.getTime() >= deadline - leadHours * 3_600_000;
}

/** The earliest deadline the upkeep looks at, and the latest, for a query. */
export function reminderWindow(
	now: Date,
	leadHours = REMINDER_LEAD_HOURS
): { from: Date; to: Date } {
	return { from: now, to: new Date(now.getTime() + leadHours * 3_600_000) };
}

/** One automatic reminder per case, per meeting and per deadline (a moved deadline reminds again). */
export function automaticReminderKey(caseId: string, meetingId: string, deadlineAt: Date): string {
	return `auto:${caseId}:${meetingId}:${deadlineAt.getTime()}`;
}

export function manualReminderKey(caseId: string, now: Date): string {
	return `manual:${caseId}:${now.getTime()}`;
}

export type ManualReminderRefusal = 'not_remindable' | 'no_meeting' | 'complete' | 'too_soon';

/** Why a coordinator's « Relancer le demandeur » cannot go for this case, or null when it can. */
export function checkManualReminder(
	facts: ReminderFacts & { lastManualAt: Date | null },
	now: Date
): ManualReminderRefusal | null {
	if (!(remindableStatuses as readonly string[]).includes(facts.status)) return 'not_remindable';
	if (!facts.meeting || facts.meeting.status !== 'scheduled') return 'no_meeting';
	if (facts.missingCount === 0) return 'complete';
	if (facts.lastManualAt && now.getTime() - facts.lastManualAt.getTime() < MANUAL_REMINDER_GAP_MS)
		return 'too_soon';
	return null;
}

export const manualReminderRefusals: Readonly<Record<ManualReminderRefusal, string>> = {
	not_remindable: 'Ce dossier n’attend plus de compléments (statut incompatible avec une relance).',
	no_meeting: 'Ce dossier n’est inscrit à aucune séance à venir.',
	complete: 'Ce dossier est complet : aucune relance nécessaire.',
	too_soon: 'Le demandeur vient d’être relancé pour ce dossier (moins d’une minute).'
};

/** « M. T., né en 1960 »: the patient as a mail names them, without their identity. */
export function describePatientInitials(p: {
	birthName: string;
	firstNames: readonly string[];
	sex: string;
	birthDate: string;
}): string {
	const born = p.sex === 'F' ? 'née' : p.sex === 'M' ? 'né' : 'né(e)';
	return `${p.firstNames[0]?.[0] ?? ''}. ${p.birthName[0] ?? ''}., ${born} en ${p.birthDate.slice(0, 4)}`;
}

export interface ReminderMailInput {
	greeting: string;
	patient: string;
	/** « mardi 2 décembre 2026, 17 h 30 » */
	meetingLabel: string;
	pathwayName: string;
	deadlineLabel: string;
	missing: readonly string[];
	caseUrl: string;
}

/** The French mail: what is missing, the meeting, the deadline, a link to the case. */
export function composeReminderMail(input: ReminderMailInput): { subject: string; text: string } {
	const n = input.missing.length;
	return {
		subject: `Dossier à compléter avant le ${input.deadlineLabel} (RCP du ${input.meetingLabel})`,
		text: [
			`Bonjour ${input.greeting},`,
			'',
			`Le dossier du patient ${input.patient}, inscrit à la ${input.pathwayName} du ${input.meetingLabel}, est incomplet.`,
			`Merci de le compléter avant la date limite d’inscription : ${input.deadlineLabel}.`,
			'',
			n > 1 ? `Il manque ${n} éléments :` : 'Il manque un élément :',
			...input.missing.map((m) => `- ${m}`),
			'',
			`Compléter le dossier : ${input.caseUrl}`,
			'',
			'— Pluri, secrétariat des RCP'
		].join('\n')
	};
}
