/**
 * The French text of the one mail a series invitee gets for the whole series (its .ics is a
 * recurring event), and of the mail that resends it after a series-wide change or withdraws it.
 * Plain text; no patient identity ever goes into these mails.
 */
import type { SecretLink } from './mailbox';
import { formatParisDate } from './schedule';

export type SeriesMailKind = 'invitation' | 'meeting_update' | 'invitation_revoked';

export interface SeriesMailFacts {
	kind: SeriesMailKind;
	salutation: string | null;
	pathwayName: string;
	/** « Chaque mardi à 17 h 30 » */
	recurrence: string;
	durationMinutes: number;
	/** The next meeting of the series, if any. */
	nextStartsAt: Date | null;
	/** Local date of the last occurrence when the series has an end (YYYY-MM-DD). */
	lastDate: string | null;
	place: string;
	videoOffered: boolean;
	chairName: string | null;
	deadlineHours: number;
	/** Dates not held, already written in French: « 25 décembre 2026 (Noël) ». */
	notHeld: readonly string[];
	/** The next meeting's page, for doctors with an account. */
	meetingLink: string | null;
	acceptLink: string | null;
	declineLink: string | null;
}

function durationText(minutes: number): string {
	const h = Math.floor(minutes / 60);
	const m = minutes % 60;
	if (!h) return `${m} min`;
	return m ? `${h} h ${String(m).padStart(2, '0')}` : `${h} h`;
}

function subjectOf(f: SeriesMailFacts): string {
	const what = `${f.pathwayName} — ${f.recurrence.charAt(0).toLowerCase()}${f.recurrence.slice(1)}`;
	switch (f.kind) {
		case 'invitation':
			return `Invitation aux séances : ${what}`;
		case 'meeting_update':
			return `Séances modifiées : ${what}`;
		case 'invitation_revoked':
			return `Invitation retirée : ${what}`;
	}
}

function opening(f: SeriesMailFacts): string {
	switch (f.kind) {
		case 'invitation':
			return `Vous êtes invité(e) aux séances de ${f.pathwayName}. L’invitation jointe ajoute toute la série à votre agenda en une fois.`;
		case 'meeting_update':
			return `Les séances de ${f.pathwayName} auxquelles vous êtes invité(e) ont été modifiées. Voici leurs informations à jour.`;
		case 'invitation_revoked':
			return `Votre invitation aux séances de ${f.pathwayName} a été retirée par le secrétariat de la RCP.`;
	}
}

/** Subject, body and working links of the series mail. */
export function composeSeriesInvitationMail(f: SeriesMailFacts): {
	subject: string;
	text: string;
	secrets: SecretLink[];
} {
	const live = f.kind !== 'invitation_revoked';
	const lines: string[] = [
		f.salutation ? `Bonjour ${f.salutation},` : 'Bonjour,',
		'',
		opening(f),
		''
	];
	lines.push(
		`  Séances : ${f.recurrence} (heure de Paris), durée ${durationText(f.durationMinutes)}`
	);
	if (f.nextStartsAt) lines.push(`  Prochaine séance : ${formatParisDate(f.nextStartsAt)}`);
	if (f.lastDate) {
		lines.push(`  Dernière séance : ${formatParisDate(new Date(`${f.lastDate}T12:00:00Z`))}`);
	}
	lines.push(
		`  Lieu : ${f.place}${f.videoOffered && live ? ' — également en visioconférence' : ''}`
	);
	if (live && f.chairName) lines.push(`  Président(e) de séance : ${f.chairName}`);
	if (live) {
		lines.push(`  Inscription des dossiers : jusqu’à ${f.deadlineHours} h avant chaque séance`);
	}
	if (live && f.notHeld.length) {
		lines.push(`  Pas de séance : ${f.notHeld.join(', ')}`);
	}
	lines.push('');
	if (live && f.acceptLink && f.declineLink) {
		lines.push('Merci de nous indiquer votre présence pour l’ensemble des séances :');
		lines.push(`  Je participerai : ${f.acceptLink}`);
		lines.push(`  Je ne participerai pas : ${f.declineLink}`);
		lines.push(
			'Vous pourrez aussi répondre séance par séance, depuis la page de chaque séance ou le rappel envoyé avant elle.'
		);
		lines.push('');
	}
	if (live && f.meetingLink) {
		lines.push(`Page de la prochaine séance dans Pluri : ${f.meetingLink}`);
		lines.push('');
	}
	lines.push(
		live
			? 'L’invitation jointe (fichier .ics) ajoute la série à votre agenda : Outlook, Thunderbird ou téléphone. Les changements d’une séance vous parviendront par un message qui met à jour cette seule séance.'
			: 'Le fichier joint retire la série de votre agenda.'
	);
	lines.push('', 'Pluri — le secrétariat de la RCP');
	const secrets: SecretLink[] = [];
	for (const value of [f.acceptLink, f.declineLink]) {
		if (value) secrets.push({ value, inApp: f.meetingLink });
	}
	return { subject: subjectOf(f), text: lines.join('\n'), secrets };
}
