import { describe, expect, it } from 'vitest';
import { outboxStatuses } from '../server/db/schema/decisions';
import { mailStatuses } from '../server/db/schema/mail';
import {
	carriesPatientData,
	describeMailKind,
	deliveryStatusLabels,
	isWorkingLink,
	labelDeliveryStatus,
	mailKindLabels,
	mailStatusLabels,
	REDACTED_LINK,
	redactWorkingLinks
} from './mailbox';

const reply = 'https://pluri.test/reply/i1/m1?s=SIGNATURE&reponse=oui';
const decline = 'https://pluri.test/reply/i1/m1?s=SIGNATURE&reponse=non';
const guest = 'https://pluri.test/invitation/TOKEN123';
const meeting = 'https://pluri.test/meetings/m1';

describe('stored copy of a mail', () => {
	it('gives an account the in-app link instead of a signed one, and a placeholder otherwise', () => {
		const text = `Oui : ${reply}\nNon : ${decline}\nInvité : ${guest}\nSéance : ${meeting}`;
		const secrets = [
			{ value: reply, inApp: meeting },
			{ value: decline, inApp: meeting },
			{ value: guest, inApp: null }
		];
		const mine = redactWorkingLinks(text, secrets, true);
		expect(mine).toBe(
			`Oui : ${meeting}\nNon : ${meeting}\nInvité : ${REDACTED_LINK}\nSéance : ${meeting}`
		);
		const outside = redactWorkingLinks(text, secrets, false);
		expect(outside).toBe(
			`Oui : ${REDACTED_LINK}\nNon : ${REDACTED_LINK}\nInvité : ${REDACTED_LINK}\nSéance : ${meeting}`
		);
		expect(outside).not.toContain('SIGNATURE');
		expect(outside).not.toContain('TOKEN123');
	});

	it('replaces a personal link nobody declared, and leaves ordinary pages alone', () => {
		const text = `Lien : ${guest}. Agenda : https://pluri.test/api/calendar/u1.SIG.ics ; ${meeting}`;
		expect(redactWorkingLinks(text, [], true)).toBe(
			`Lien : ${REDACTED_LINK} Agenda : ${REDACTED_LINK} ; ${meeting}`
		);
		expect(isWorkingLink('https://pluri.test/cases/c1')).toBe(false);
		expect(isWorkingLink('pas une adresse')).toBe(false);
		expect(isWorkingLink(reply)).toBe(true);
	});
});

describe('mail labels', () => {
	it('names every kind the code sends in French, never a raw code', () => {
		// OutgoingMail.kind is a MailKind: a kind without a label does not compile.
		for (const [kind, label] of Object.entries(mailKindLabels)) {
			expect(describeMailKind(kind)).toBe(label);
			expect(label).not.toMatch(/_|^[a-z]/);
		}
		expect(describeMailKind('invitation')).toBe('Invitation à une séance');
		expect(describeMailKind('case_moved')).toBe('Dossier déplacé');
		expect(describeMailKind('autre_chose')).toBe('Message');
		expect(describeMailKind('toString')).toBe('Message');
	});

	it('tells a transmitted mail from one only kept in Pluri', () => {
		expect(mailStatusLabels.sent.label).toBe('Transmis');
		expect(mailStatusLabels.stored.label).toBe('Conservé dans la messagerie Pluri');
		expect(mailStatusLabels.undelivered.label).toBe('Non remis');
	});

	it('says « Transmis » for a delivery only when an outside server accepted it', () => {
		expect(labelDeliveryStatus('delivered', false)).toBe('Transmis');
		expect(labelDeliveryStatus('delivered', true)).toBe('Conservé dans la messagerie Pluri');
		expect(labelDeliveryStatus('failed', true)).toBe('Échec');
		expect(labelDeliveryStatus('pending', false)).toBe('En attente d’envoi');
		expect(labelDeliveryStatus('toString', false)).toBe('État inconnu');
	});

	it('labels every mail status and delivery status in French (a new one without a label fails)', () => {
		// The statuses the database may hold (schema enums) must all have a label here.
		for (const s of mailStatuses) {
			expect(Object.hasOwn(mailStatusLabels, s), s).toBe(true);
			expect(mailStatusLabels[s as keyof typeof mailStatusLabels].label).toMatch(/^[A-ZÉ]/);
		}
		for (const s of outboxStatuses) {
			expect(Object.hasOwn(deliveryStatusLabels, s), s).toBe(true);
			expect(labelDeliveryStatus(s, false)).not.toBe('État inconnu');
		}
	});

	it('flags the mails that carry patient data', () => {
		expect(carriesPatientData('decision')).toBe(true);
		expect(carriesPatientData('case_refused')).toBe(true);
		expect(carriesPatientData('invitation')).toBe(false);
	});
});
