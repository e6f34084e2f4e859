import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { REDACTED_LINK } from '$lib/domain/mailbox';
import { mailMessages, users } from '$lib/server/db/schema';
import { resetMailTransport, sendMail, type OutgoingMail } from '$lib/server/mail';
import { migratedDb, queryOne, queryRows } from '../support/db';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp';

const db = await migratedDb();
let smtp: SmtpCatcher;
const doctorId = crypto.randomUUID();

beforeAll(async () => {
	smtp = await startSmtpCatcher({ reject: (to) => to.startsWith('refuse') });
	await db.insert(users).values({
		id: doctorId,
		email: 'l.mercier@test.pluri.fr',
		firstName: 'Louise',
		lastName: 'Mercier',
		sector: 'establishment',
		mssanteAddress: 'l.mercier@test.mssante.fr'
	});
});
afterAll(async () => {
	delete process.env.SMTP_URL;
	resetMailTransport();
	await smtp.close();
});

function withoutSmtp(): void {
	delete process.env.SMTP_URL;
	resetMailTransport();
}

function withSmtp(): void {
	process.env.SMTP_URL = smtp.url;
	resetMailTransport();
}

const row = async (id: string) =>
	(await queryOne(db.select().from(mailMessages).where(eq(mailMessages.id, id))))!;

/** Every column of every row, as SQLite holds it (not through the typed mapping). */
const rawTable = async (): Promise<string> =>
	JSON.stringify(await queryRows(db, sql`select * from mail_message`));

describe('sendMail without an SMTP server', () => {
	it('keeps a mail to an account in that user’s Pluri inbox', async () => {
		withoutSmtp();
		const outcome = await sendMail({
			to: 'L.Mercier@test.mssante.fr',
			subject: 'Essai',
			text: 'Bonjour',
			kind: 'case_scheduled'
		});
		expect(outcome.status).toBe('stored');
		expect(await row(outcome.mailId)).toMatchObject({
			to: 'L.Mercier@test.mssante.fr',
			recipientUserId: doctorId,
			subject: 'Essai',
			text: 'Bonjour',
			status: 'stored'
		});
	});

	it('records a mail to an outside address as not delivered, with a French reason', async () => {
		withoutSmtp();
		const outcome = await sendMail({
			to: 'a@demo.fr',
			subject: 'Essai',
			text: 'Bonjour',
			kind: 'case_scheduled'
		});
		expect(outcome).toMatchObject({
			status: 'undelivered',
			error: expect.stringContaining('aucun serveur de messagerie n’est configuré')
		});
		expect(await row(outcome.mailId)).toMatchObject({
			recipientUserId: null,
			status: 'undelivered'
		});
		// Asked again, it is the same record and the same answer.
		const again = await sendMail({
			to: 'a@demo.fr',
			subject: 'Essai',
			text: 'Bonjour',
			kind: 'case_scheduled',
			messageId: outcome.messageId
		});
		expect(again).toMatchObject({ status: 'undelivered', mailId: outcome.mailId });
	});

	it('does not count a personal link without an in-app stand-in as delivered to an account', async () => {
		withoutSmtp();
		const link = 'http://localhost/invitation/SECRET-TOKEN-1';
		const outcome = await sendMail({
			to: 'l.mercier@test.pluri.fr',
			subject: 'Invitation',
			text: `Votre lien : ${link}`,
			kind: 'invitation',
			secrets: [{ value: link }]
		});
		expect(outcome.status).toBe('undelivered');
		expect((await row(outcome.mailId)).text).toBe(`Votre lien : ${REDACTED_LINK}`);
		expect(await rawTable()).not.toContain('SECRET-TOKEN-1');
	});
});

describe('sendMail through SMTP', () => {
	it('delivers through a real SMTP server, with attachments, and once per message id', async () => {
		withSmtp();
		const mail: OutgoingMail = {
			to: 'dr.renaud@demo.mssante.fr',
			subject: 'Séance RCP',
			text: 'Bonjour Docteur',
			kind: 'case_scheduled',
			messageId: '<fixed-1@pluri.test>',
			attachments: [
				{ filename: 'fiche.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7') }
			]
		};
		const seen = smtp.mails.length;
		expect((await sendMail(mail)).status).toBe('sent');
		expect((await sendMail(mail)).status).toBe('sent');
		const received = (await smtp.waitFor(seen + 1)).at(-1)!;
		expect(received.subject).toBe('Séance RCP');
		expect(received.messageId).toBe('<fixed-1@pluri.test>');
		expect(received.attachments[0]?.filename).toBe('fiche.pdf');
		await new Promise((r) => setTimeout(r, 200));
		expect(smtp.mails).toHaveLength(seen + 1);
	});

	it('sends the working link by SMTP only: the stored row keeps metadata, never the link', async () => {
		withSmtp();
		const guest = 'https://pluri.test/invitation/GUEST-TOKEN-abc123';
		const reply = 'https://pluri.test/reply/i1/m1?s=REPLY-SIGNATURE-xyz&reponse=oui';
		const seen = smtp.mails.length;
		const outcome = await sendMail({
			to: 'p.renaud@demo.mssante.fr',
			subject: 'Invitation : RCP',
			text: `Je participerai : ${reply}\nVotre lien : ${guest}`,
			kind: 'invitation',
			secrets: [{ value: reply }, { value: guest }],
			attachments: [{ filename: 'note.txt', contentType: 'text/plain', content: 'court' }]
		});
		expect(outcome.status).toBe('sent');
		const received = (await smtp.waitFor(seen + 1)).at(-1)!;
		expect(received.text).toContain(guest);
		expect(received.text).toContain(reply);
		const stored = await row(outcome.mailId);
		expect(stored).toMatchObject({ to: 'p.renaud@demo.mssante.fr', status: 'sent', text: '' });
		expect(stored.attachments).toEqual([
			{ filename: 'note.txt', contentType: 'text/plain', content: '', size: 5 }
		]);
		expect(await rawTable()).not.toContain('GUEST-TOKEN-abc123');
		expect(await rawTable()).not.toContain('REPLY-SIGNATURE-xyz');
	});

	it('keeps an account’s copy with in-app links, small attachments, and describes large ones', async () => {
		withSmtp();
		const reply = 'https://pluri.test/reply/i2/m2?s=SIG-FOR-ACCOUNT&reponse=oui';
		const big = Buffer.alloc(64 * 1024, 7);
		const seen = smtp.mails.length;
		const outcome = await sendMail({
			to: 'l.mercier@test.mssante.fr',
			subject: 'Fiche RCP',
			text: `Je participerai : ${reply}`,
			kind: 'case_scheduled',
			secrets: [{ value: reply, inApp: 'https://pluri.test/meetings/m2' }],
			attachments: [
				{ filename: 'fiche.pdf', contentType: 'application/pdf', content: big },
				{ filename: 'note.txt', contentType: 'text/plain', content: 'court' }
			]
		});
		expect(outcome.status).toBe('sent');
		const stored = await row(outcome.mailId);
		expect(stored.recipientUserId).toBe(doctorId);
		expect(stored.text).toBe('Je participerai : https://pluri.test/meetings/m2');
		expect(stored.attachments[0]).toMatchObject({
			filename: 'fiche.pdf',
			content: '',
			size: 65536
		});
		expect(Buffer.from(stored.attachments[1]!.content, 'base64').toString()).toBe('court');
		const received = (await smtp.waitFor(seen + 1)).at(-1)!;
		expect(received.text).toContain(reply);
		expect(received.attachments.find((a) => a.filename === 'fiche.pdf')!.content.length).toBe(
			65536
		);
		expect(await rawTable()).not.toContain('SIG-FOR-ACCOUNT');
	});

	it('records a refusal as failed with the server’s reason', async () => {
		withSmtp();
		const outcome = await sendMail({
			to: 'refuse@demo.fr',
			subject: 'x',
			text: 'x',
			kind: 'case_scheduled'
		});
		expect(outcome.status).toBe('failed');
		if (outcome.status === 'failed') expect(outcome.error).toMatch(/550|refus/i);
		expect(await row(outcome.mailId)).toMatchObject({ status: 'failed' });
	});
});
