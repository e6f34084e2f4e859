/**
 * The French text of invitation mails. Plain text on purpose: it reads the same in every
 * secure-mail client. No patient identity ever goes into these mails.
 */
import { GUEST_EARLY_MINUTES } from './guest-link';
import type { SecretLink } from './mailbox';
import { formatParisDateTime, formatParisTime } from './schedule';

export type InvitationMailKind =
	| 'invitation'
	| 'meeting_update'
	| 'meeting_cancel'
	| 'invitation_revoked'
	| 'guest_link'
	| 'invitation_reminder';

export interface InvitationMailFacts {
	kind: InvitationMailKind;
	/** « Dr Moreau », or the outside doctor's name as typed. */
	salutation: string | null;
	pathwayName: string;
	startsAt: Date;
	endsAt: Date;
	place: string;
	videoOffered: boolean;
	chairName: string | null;
	deadlineAt: Date;
	cancelReason: string | null;
	/** The meeting page, for doctors with an account. */
	meetingLink: string | null;
	acceptLink: string | null;
	declineLink: string | null;
	/** The guest link, only in the mail that creates or renews it (it is stored hashed). */
	guestLink: string | null;
	/** True for a guest who has a link from an earlier mail. */
	hasGuestLink: boolean;
	caseScoped: boolean;
	/** Reminders: how many days before the meeting this one goes. */
	reminderDays?: number;
}

function slot(f: InvitationMailFacts): string {
	return `${formatParisDateTime(f.startsAt)} – ${formatParisTime(f.endsAt)} (heure de Paris)`;
}

function subjectOf(f: InvitationMailFacts): string {
	const when = formatParisDateTime(f.startsAt);
	switch (f.kind) {
		case 'invitation':
			return `Invitation : ${f.pathwayName} — ${when}`;
		case 'guest_link':
			return `Nouveau lien d’accès : ${f.pathwayName} — ${when}`;
		case 'meeting_update':
			return `Séance modifiée : ${f.pathwayName} — ${when}`;
		case 'meeting_cancel':
			return `Séance annulée : ${f.pathwayName} — ${when}`;
		case 'invitation_revoked':
			return `Invitation retirée : ${f.pathwayName} — ${when}`;
		case 'invitation_reminder':
			return `Rappel : merci de répondre — ${f.pathwayName} — ${when}`;
	}
}

function opening(f: InvitationMailFacts): string {
	switch (f.kind) {
		case 'invitation':
			return f.caseScoped
				? `Vous êtes invité(e) à la ${f.pathwayName} pour le dossier de l’un(e) de vos patient(e)s.`
				: `Vous êtes invité(e) à la séance de ${f.pathwayName}.`;
		case 'guest_link':
			return `Voici votre nouveau lien d’accès à la séance de ${f.pathwayName} ; le précédent ne fonctionne plus.`;
		case 'meeting_update':
			return `La séance de ${f.pathwayName} à laquelle vous êtes invité(e) a été modifiée. Voici ses informations à jour.`;
		case 'meeting_cancel':
			return `La séance de ${f.pathwayName} à laquelle vous étiez invité(e) est annulée${f.cancelReason ? ` (motif : ${f.cancelReason})` : ''}.`;
		case 'invitation_revoked':
			return `Votre invitation à la séance de ${f.pathwayName} a été retirée par le secrétariat de la RCP.`;
		case 'invitation_reminder':
			return `Vous n’avez pas encore indiqué si vous participerez à la séance de ${f.pathwayName}${f.reminderDays ? `, dans ${f.reminderDays} jours` : ''}.`;
	}
}

/**
 * The working links of the mail: the reply links answer without logging in (in the account's
 * in-app copy, the meeting page stands for them) and the guest link opens the meeting.
 */
function secretLinks(f: InvitationMailFacts): SecretLink[] {
	const secrets: SecretLink[] = [];
	for (const value of [f.acceptLink, f.declineLink]) {
		if (value) secrets.push({ value, inApp: f.meetingLink });
	}
	if (f.guestLink) secrets.push({ value: f.guestLink, inApp: null });
	return secrets;
}

/** Subject, body and working links of one invitation mail. */
export function composeInvitationMail(f: InvitationMailFacts): {
	subject: string;
	text: string;
	secrets: SecretLink[];
} {
	const live =
		f.kind === 'invitation' ||
		f.kind === 'meeting_update' ||
		f.kind === 'guest_link' ||
		f.kind === 'invitation_reminder';
	const lines: string[] = [
		f.salutation ? `Bonjour ${f.salutation},` : 'Bonjour,',
		'',
		opening(f),
		''
	];
	lines.push(`  Date : ${slot(f)}`);
	lines.push(
		`  Lieu : ${f.place}${f.videoOffered && live ? ' — également en visioconférence' : ''}`
	);
	if (live && f.chairName) lines.push(`  Président(e) de séance : ${f.chairName}`);
	if (live && !f.caseScoped && f.meetingLink) {
		lines.push(`  Inscription des dossiers jusqu’au : ${formatParisDateTime(f.deadlineAt)}`);
	}
	lines.push('');
	if (live && f.acceptLink && f.declineLink) {
		lines.push('Merci de nous indiquer votre présence :');
		lines.push(`  Je participerai : ${f.acceptLink}`);
		lines.push(`  Je ne participerai pas : ${f.declineLink}`);
		lines.push('');
	}
	if (live && f.guestLink) {
		lines.push(
			f.caseScoped
				? 'Pour participer à la discussion du dossier de votre patient(e), sans compte Pluri :'
				: 'Pour participer à la séance sans compte Pluri :'
		);
		lines.push(`  ${f.guestLink}`);
		lines.push(
			`Ce lien personnel fonctionne à partir de ${GUEST_EARLY_MINUTES} minutes avant la séance et jusqu’à sa fin. Ne le transférez pas.`
		);
		lines.push('');
	} else if (live && f.hasGuestLink) {
		lines.push('Le lien personnel reçu avec votre invitation reste valable aux nouveaux horaires.');
		lines.push('');
	}
	if (live && f.meetingLink) {
		lines.push(`Page de la séance dans Pluri : ${f.meetingLink}`);
		lines.push('');
	}
	if (f.kind !== 'invitation_reminder') {
		lines.push(
			live
				? 'L’invitation jointe (fichier .ics) s’ajoute à votre agenda : Outlook, Thunderbird ou téléphone.'
				: 'Le fichier joint retire la séance de votre agenda.'
		);
	}
	lines.push('', 'Pluri — le secrétariat de la RCP');
	return { subject: subjectOf(f), text: lines.join('\n'), secrets: secretLinks(f) };
}
