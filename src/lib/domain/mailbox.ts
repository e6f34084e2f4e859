/**
 * What the in-app copy of a mail may say, and the French words for its kind and status.
 * A working personal link (guest token, signed reply, calendar feed) is a key: it goes out by
 * SMTP only, and the stored copy gets an in-app link or a placeholder instead.
 */

export const REDACTED_LINK = '[lien personnel, envoyé par messagerie sécurisée]';

/** A working link in a mail, and what the recipient's in-app copy shows instead (if anything). */
export interface SecretLink {
	value: string;
	/** A link that needs the login instead (e.g. the meeting page, to answer there). */
	inApp?: string | null;
}

/** Every kind of mail Pluri sends (OutgoingMail.kind): a new one needs its French label here. */
export const mailKindLabels = {
	invitation: 'Invitation à une séance',
	meeting_update: 'Séance modifiée',
	meeting_cancel: 'Séance annulée',
	invitation_revoked: 'Invitation retirée',
	guest_link: 'Nouveau lien d’accès',
	invitation_reminder: 'Rappel : réponse attendue',
	invitation_declined: 'Invitation déclinée',
	decision: 'Proposition thérapeutique',
	case_scheduled: 'Dossier inscrit à l’ordre du jour',
	case_moved: 'Dossier déplacé',
	case_refused: 'Demande non retenue',
	carry_over: 'Dossier reporté',
	case_reminder: 'Dossier à compléter'
} as const satisfies Record<string, string>;

export type MailKind = keyof typeof mailKindLabels;

/** Never a raw code on screen: an unknown kind reads as a plain « Message ». */
export function describeMailKind(kind: string): string {
	return Object.hasOwn(mailKindLabels, kind) ? mailKindLabels[kind as MailKind] : 'Message';
}

/** Mails that name a patient (discreetly) or carry a decision: reading one is audited. */
export const patientMailKinds: ReadonlySet<string> = new Set<string>([
	'decision',
	'case_scheduled',
	'case_moved',
	'case_refused',
	'carry_over',
	'case_reminder'
] satisfies MailKind[]);

export function carriesPatientData(kind: string): boolean {
	return patientMailKinds.has(kind);
}

export type MailStatus = 'sent' | 'stored' | 'failed' | 'undelivered';

/** The status words say whether an outside server accepted the mail or Pluri only kept it. */
export const mailStatusLabels: Record<
	MailStatus,
	{ label: string; tone: 'ok' | 'info' | 'danger' }
> = {
	sent: { label: 'Transmis', tone: 'ok' },
	stored: { label: 'Conservé dans la messagerie Pluri', tone: 'info' },
	failed: { label: 'Échec de transmission', tone: 'danger' },
	undelivered: { label: 'Non remis', tone: 'danger' }
};

export type DeliveryStatus = 'pending' | 'sending' | 'delivered' | 'failed';

/** A decision's delivery (outbox row): « Transmis » only once an outside server accepted it. */
export const deliveryStatusLabels: Record<DeliveryStatus, string> = {
	pending: 'En attente d’envoi',
	sending: 'Envoi en cours',
	delivered: 'Transmis',
	failed: 'Échec'
};

/**
 * The words for a delivery's status. A mail delivered while no SMTP server is configured was
 * only kept in the recipient's Pluri mailbox: it says so instead of « Transmis ».
 */
export function labelDeliveryStatus(status: string, keptInPluri: boolean): string {
	if (status === 'delivered' && keptInPluri) return mailStatusLabels.stored.label;
	return Object.hasOwn(deliveryStatusLabels, status)
		? deliveryStatusLabels[status as DeliveryStatus]
		: 'État inconnu';
}

const TOKENISED_PATH = /^\/(?:invitation\/[^/?#]+|reply\/|api\/calendar\/[^/?#]+\.ics$)/;

/** A link that opens something without the login: guest page, signed reply, calendar feed. */
export function isWorkingLink(url: string): boolean {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return false;
	}
	return TOKENISED_PATH.test(parsed.pathname) || parsed.searchParams.has('s');
}

/**
 * The text as it may be stored. Each declared secret becomes its in-app link (for an account's
 * copy) or the placeholder; any other link shaped like a personal one is replaced too, so a
 * caller that forgets to declare its link still leaks nothing.
 */
export function redactWorkingLinks(
	text: string,
	secrets: readonly SecretLink[],
	forAccount: boolean
): string {
	let out = text;
	// Longest first: one link may be the start of another (same signature, other answer).
	for (const s of [...secrets].sort((a, b) => b.value.length - a.value.length)) {
		if (!s.value) continue;
		out = out.split(s.value).join(forAccount && s.inApp ? s.inApp : REDACTED_LINK);
	}
	return out.replace(/https?:\/\/[^\s<>"']+/g, (url) => (isWorkingLink(url) ? REDACTED_LINK : url));
}
