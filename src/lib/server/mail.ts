import { eq } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import { getMailFrom, getSmtpUrl } from './config';
import { getDb } from './db';
import { mailMessages, type StoredAttachment } from './db/schema';

export interface OutgoingAttachment {
	filename: string;
	contentType: string;
	content: Buffer | string;
	/** For calendar invites: sent as a text/calendar alternative part too. */
	method?: string;
}

export interface OutgoingMail {
	to: string;
	subject: string;
	text: string;
	html?: string;
	attachments?: OutgoingAttachment[];
	headers?: Record<string, string>;
	/** What the mail is about: 'invitation', 'meeting_update', 'decision', 'carry_over'… */
	kind: string;
	/** Stable id for retries of the same logical mail (e.g. per outbox row). */
	messageId?: string;
	/** A calendar invite (text/calendar; method=REQUEST or CANCEL) in the mail body. */
	icalEvent?: { method: 'REQUEST' | 'CANCEL'; content: string; uid: string; sequence: number };
}

export type MailOutcome =
	| { status: 'sent' | 'stored'; messageId: string; mailId: string }
	| { status: 'failed'; messageId: string; mailId: string; error: string };

let transport: { url: string; transporter: Transporter } | undefined;

function getTransport(): Transporter | null {
	const url = getSmtpUrl();
	if (!url) return null;
	if (transport?.url !== url) {
		// STARTTLS is used whenever the server offers it. TLS options ride on the URL
		// (e.g. `?tls.rejectUnauthorized=false` for a relay with a private certificate).
		transport = { url, transporter: nodemailer.createTransport(url) };
	}
	return transport.transporter;
}

function domainOf(address: string): string {
	return address.match(/@([^>\s]+)/)?.[1] ?? 'pluri.localhost';
}

function toStored(a: OutgoingAttachment): StoredAttachment {
	const content = typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content;
	return { filename: a.filename, contentType: a.contentType, content: content.toString('base64') };
}

/**
 * Sends one mail. Every mail is recorded in mail_message first: without SMTP_URL that record
 * is the demo mailbox (nothing is silently dropped); with it, the record shows the outcome.
 * A second call with the same messageId does not send twice once it was sent.
 */
export async function sendMail(mail: OutgoingMail): Promise<MailOutcome> {
	const db = getDb();
	const from = getMailFrom();
	const messageId = mail.messageId ?? `<${crypto.randomUUID()}@${domainOf(from)}>`;
	const attachments = [...(mail.attachments ?? [])];
	if (mail.icalEvent) {
		attachments.push({
			filename: 'invitation.ics',
			contentType: `text/calendar; charset=utf-8; method=${mail.icalEvent.method}`,
			content: mail.icalEvent.content
		});
	}
	const existing = db
		.select()
		.from(mailMessages)
		.where(eq(mailMessages.messageId, messageId))
		.get();
	if (existing?.status === 'sent' || (existing?.status === 'stored' && !getSmtpUrl())) {
		return { status: existing.status, messageId, mailId: existing.id };
	}
	const mailId = existing?.id ?? crypto.randomUUID();
	if (!existing) {
		db.insert(mailMessages)
			.values({
				id: mailId,
				to: mail.to,
				subject: mail.subject,
				text: mail.text,
				html: mail.html ?? null,
				attachments: attachments.map(toStored),
				headers: mail.headers ?? {},
				kind: mail.kind,
				messageId,
				icsUid: mail.icalEvent?.uid ?? null,
				icsSequence: mail.icalEvent?.sequence ?? null,
				status: 'stored'
			})
			.run();
	}
	const transporter = getTransport();
	if (!transporter) return { status: 'stored', messageId, mailId };
	try {
		await transporter.sendMail({
			from,
			to: mail.to,
			subject: mail.subject,
			text: mail.text,
			html: mail.html,
			headers: mail.headers,
			messageId,
			attachments: (mail.attachments ?? []).map((a) => ({
				filename: a.filename,
				contentType: a.contentType,
				content: a.content
			})),
			icalEvent: mail.icalEvent
				? {
						method: mail.icalEvent.method,
						content: mail.icalEvent.content,
						filename: 'invitation.ics'
					}
				: undefined
		});
		db.update(mailMessages)
			.set({ status: 'sent', sentAt: new Date(), error: null })
			.where(eq(mailMessages.id, mailId))
			.run();
		return { status: 'sent', messageId, mailId };
	} catch (e) {
		const error = e instanceof Error ? e.message : String(e);
		db.update(mailMessages)
			.set({ status: 'failed', error })
			.where(eq(mailMessages.id, mailId))
			.run();
		return { status: 'failed', messageId, mailId, error };
	}
}

/** Drops the cached SMTP connection (tests switch SMTP_URL between servers). */
export function resetMailTransport(): void {
	transport?.transporter.close();
	transport = undefined;
}
