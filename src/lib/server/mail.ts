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
		// Connections are pooled unless the URL says otherwise: a new SMTP session per mail
		// costs ~100 ms, which caps a meeting's deliveries at ~10/s.
		transport = { url, transporter: nodemailer.createTransport(withPool(url)) };
		// Pooled connections hold the event loop: close them when the HTTP server shuts down.
		process.removeListener('sveltekit:shutdown', resetMailTransport);
		process.once('sveltekit:shutdown', resetMailTransport);
	}
	return transport.transporter;
}

function withPool(url: string): string {
	if (/[?&]pool=/.test(url)) return url;
	return `${url}${url.includes('?') ? '&' : '?'}pool=true`;
}

function domainOf(address: string): string {
	return address.match(/@([^>\s]+)/)?.[1] ?? 'pluri.localhost';
}

/** Attachments up to this size are always kept in the mailbox (calendar invites, short texts). */
const KEEP_ATTACHMENT_BYTES = 16 * 1024;

/**
 * The mailbox copy of an attachment. Without SMTP the mailbox is the delivery, so everything is
 * kept; with SMTP, large documents (fiche PDF, XDM zip) are only described: they are kept by
 * their own module and re-made for a retry, and copying them here halved delivery throughput.
 */
function toStored(a: OutgoingAttachment, keepAll: boolean): StoredAttachment {
	const content = typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content;
	const keep = keepAll || content.length <= KEEP_ATTACHMENT_BYTES;
	return {
		filename: a.filename,
		contentType: a.contentType,
		content: keep ? content.toString('base64') : '',
		size: content.length
	};
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
	const transporter = getTransport();
	if (!existing) {
		db.insert(mailMessages)
			.values({
				id: mailId,
				to: mail.to,
				subject: mail.subject,
				text: mail.text,
				html: mail.html ?? null,
				attachments: attachments.map((a) => toStored(a, transporter === null)),
				headers: mail.headers ?? {},
				kind: mail.kind,
				messageId,
				icsUid: mail.icalEvent?.uid ?? null,
				icsSequence: mail.icalEvent?.sequence ?? null,
				status: 'stored'
			})
			.run();
	}
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
