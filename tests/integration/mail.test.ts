import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { mailMessages } from '$lib/server/db/schema';
import { resetMailTransport, sendMail } from '$lib/server/mail';
import { migratedDb } from '../support/db';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp';

const db = migratedDb();
let smtp: SmtpCatcher;

beforeAll(async () => {
	smtp = await startSmtpCatcher({ reject: (to) => to.startsWith('refuse') });
});
afterAll(async () => {
	delete process.env.SMTP_URL;
	resetMailTransport();
	await smtp.close();
});

describe('sendMail', () => {
	it('keeps the mail in the mailbox when no SMTP server is configured', async () => {
		delete process.env.SMTP_URL;
		resetMailTransport();
		const outcome = await sendMail({
			to: 'a@demo.fr',
			subject: 'Essai',
			text: 'Bonjour',
			kind: 'test'
		});
		expect(outcome.status).toBe('stored');
		const row = db.select().from(mailMessages).where(eq(mailMessages.id, outcome.mailId)).get()!;
		expect(row).toMatchObject({ to: 'a@demo.fr', subject: 'Essai', status: 'stored' });
	});

	it('delivers through a real SMTP server, with attachments, and once per message id', async () => {
		process.env.SMTP_URL = smtp.url;
		resetMailTransport();
		const mail = {
			to: 'dr.renaud@demo.mssante.fr',
			subject: 'Séance RCP',
			text: 'Bonjour Docteur',
			kind: 'test',
			messageId: '<fixed-1@pluri.test>',
			attachments: [
				{ filename: 'fiche.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7') }
			]
		};
		expect((await sendMail(mail)).status).toBe('sent');
		expect((await sendMail(mail)).status).toBe('sent');
		const [received] = await smtp.waitFor(1);
		expect(received!.subject).toBe('Séance RCP');
		expect(received!.messageId).toBe('<fixed-1@pluri.test>');
		expect(received!.attachments[0]?.filename).toBe('fiche.pdf');
		await new Promise((r) => setTimeout(r, 200));
		expect(smtp.mails).toHaveLength(1);
	});

	it('keeps small attachments in the mailbox and only describes large ones sent by SMTP', async () => {
		process.env.SMTP_URL = smtp.url;
		resetMailTransport();
		const big = Buffer.alloc(64 * 1024, 7);
		const outcome = await sendMail({
			to: 'dr.vincent@demo.mssante.fr',
			subject: 'Fiche RCP',
			text: 'Ci-joint',
			kind: 'test',
			attachments: [
				{ filename: 'fiche.pdf', contentType: 'application/pdf', content: big },
				{ filename: 'note.txt', contentType: 'text/plain', content: 'court' }
			]
		});
		expect(outcome.status).toBe('sent');
		const row = db.select().from(mailMessages).where(eq(mailMessages.id, outcome.mailId)).get()!;
		expect(row.attachments[0]).toMatchObject({ filename: 'fiche.pdf', content: '', size: 65536 });
		expect(Buffer.from(row.attachments[1]!.content, 'base64').toString()).toBe('court');
		const received = (await smtp.waitFor(2)).at(-1)!;
		expect(received.attachments.find((a) => a.filename === 'fiche.pdf')!.content.length).toBe(
			65536
		);
	});

	it('records a refusal as failed with the server’s reason', async () => {
		process.env.SMTP_URL = smtp.url;
		resetMailTransport();
		const outcome = await sendMail({ to: 'refuse@demo.fr', subject: 'x', text: 'x', kind: 'test' });
		expect(outcome.status).toBe('failed');
		if (outcome.status === 'failed') expect(outcome.error).toMatch(/550|refus/i);
	});
});
