import { describe, expect, it } from 'vitest';
import { composeInvitationMail, type InvitationMailFacts } from './invitation-mail';

function facts(partial: Partial<InvitationMailFacts> = {}): InvitationMailFacts {
	return {
		kind: 'invitation',
		salutation: 'Dr Moreau',
		pathwayName: 'RCP oncologie digestive',
		startsAt: new Date('2027-01-12T16:30:00Z'),
		endsAt: new Date('2027-01-12T18:00:00Z'),
		place: 'Salle de staff 2',
		videoOffered: true,
		chairName: 'Dr Hélène Rousseau',
		deadlineAt: new Date('2027-01-10T16:30:00Z'),
		cancelReason: null,
		meetingLink: 'https://pluri.test/meetings/m1',
		acceptLink: 'https://pluri.test/reply/i1/m1?s=x&reponse=oui',
		declineLink: 'https://pluri.test/reply/i1/m1?s=x&reponse=non',
		guestLink: null,
		hasGuestLink: false,
		caseScoped: false,
		...partial
	};
}

describe('invitation mails', () => {
	it('invites a member in French with the Paris time, the deadline and both answers', () => {
		const { subject, text } = composeInvitationMail(facts());
		expect(subject).toBe('Invitation : RCP oncologie digestive — mardi 12 janvier 2027, 17 h 30');
		expect(text).toContain('Bonjour Dr Moreau,');
		expect(text).toContain('Date : mardi 12 janvier 2027, 17 h 30 – 19 h (heure de Paris)');
		expect(text).toContain('également en visioconférence');
		expect(text).toContain('Inscription des dossiers jusqu’au : dimanche 10 janvier 2027, 17 h 30');
		expect(text).toContain('Je participerai : https://pluri.test/reply/i1/m1?s=x&reponse=oui');
		expect(text).toContain(
			'Je ne participerai pas : https://pluri.test/reply/i1/m1?s=x&reponse=non'
		);
		expect(text).toContain('Page de la séance dans Pluri : https://pluri.test/meetings/m1');
	});

	it('gives a GP their personal link once, and only reminds them of it in updates', () => {
		const invite = composeInvitationMail(
			facts({
				salutation: 'Dr Pierre Renaud',
				meetingLink: null,
				guestLink: 'https://pluri.test/invitation/tok',
				hasGuestLink: true,
				caseScoped: true
			})
		);
		expect(invite.text).toContain('pour le dossier de l’un(e) de vos patient(e)s');
		expect(invite.text).toContain('https://pluri.test/invitation/tok');
		expect(invite.text).toContain('30 minutes avant la séance');
		expect(invite.text).not.toContain('Inscription des dossiers');
		const update = composeInvitationMail(
			facts({ kind: 'meeting_update', meetingLink: null, hasGuestLink: true, caseScoped: true })
		);
		expect(update.subject).toMatch(/^Séance modifiée : /);
		expect(update.text).not.toContain('/invitation/');
		expect(update.text).toContain('Le lien personnel reçu avec votre invitation reste valable');
	});

	it('announces a cancellation with its reason and no answer links', () => {
		const { subject, text } = composeInvitationMail(
			facts({ kind: 'meeting_cancel', cancelReason: 'Congrès national' })
		);
		expect(subject).toBe(
			'Séance annulée : RCP oncologie digestive — mardi 12 janvier 2027, 17 h 30'
		);
		expect(text).toContain('est annulée (motif : Congrès national).');
		expect(text).not.toContain('Je participerai');
		expect(text).toContain('Le fichier joint retire la séance de votre agenda.');
	});

	it('lists its working links, with the meeting page as the in-app stand-in for an answer', () => {
		const member = composeInvitationMail(facts());
		expect(member.secrets).toEqual([
			{
				value: 'https://pluri.test/reply/i1/m1?s=x&reponse=oui',
				inApp: 'https://pluri.test/meetings/m1'
			},
			{
				value: 'https://pluri.test/reply/i1/m1?s=x&reponse=non',
				inApp: 'https://pluri.test/meetings/m1'
			}
		]);
		const guest = composeInvitationMail(
			facts({ meetingLink: null, guestLink: 'https://pluri.test/invitation/tok' })
		);
		expect(guest.secrets).toContainEqual({
			value: 'https://pluri.test/invitation/tok',
			inApp: null
		});
		expect(guest.secrets.every((s) => !s.inApp)).toBe(true);
	});
});

describe('reminders', () => {
	it('asks for an answer with both links and no calendar file', () => {
		const { subject, text } = composeInvitationMail(
			facts({ kind: 'invitation_reminder', reminderDays: 7 })
		);
		expect(subject).toBe(
			'Rappel : merci de répondre — RCP oncologie digestive — mardi 12 janvier 2027, 17 h 30'
		);
		expect(text).toContain('pas encore indiqué si vous participerez');
		expect(text).toContain('dans 7 jours');
		expect(text).toContain('Je participerai : https://pluri.test/reply/i1/m1?s=x&reponse=oui');
		expect(text).not.toContain('.ics');
	});
});
