import { and, eq, isNull, or } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import { redactWorkingLinks, type MailKind, type SecretLink } from '$lib/domain/mailbox';
import { getMailFrom, getSmtpUrl } from './config';
import { getDb, queryOne } from './db';
import { mailMessages, users, type StoredAttachment } from './db/schema';

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
	/** What the mail is about: 'invitation', 'decision', 'carry_over'… (French labels in the inbox). */
	kind: MailKind;
	/** Stable id for retries of the same logical mail (e.g. per outbox row). */
	messageId?: string;
	/** A calendar invite (text/calendar; method=REQUEST or CANCEL) in the mail body. */
	icalEvent?: { method: 'REQUEST' | 'CANCEL'; content: string; uid: string; sequence: number };
	/**
	 * The working links in the text (guest token, signed reply): sent by SMTP as they are,
	 * replaced in the stored copy by their in-app link or a placeholder.
	 */
	secrets?: readonly SecretLink[];
}

/** sent: an SMTP server accepted it; stored: kept in the recipient's Pluri inbox only. */
export type MailOutcome =
	| { status: 'sent' | 'stored'; messageId: string; mailId: string }
	| { status: 'failed' | 'undelivered'; messageId: string; mailId: string; error: string };

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
 * The inbox copy of an attachment. Only an account has an inbox: for an outside recipient the
 * attachment is only described. Without SMTP the inbox is the delivery, so everything is kept;
 * with SMTP, large documents (fiche PDF, XDM zip) are only described: they are kept by their own
 * module and re-made for a retry, and copying them here halved delivery throughput.
 */
function toStored(
	a: OutgoingAttachment,
	keep: 'all' | 'small' | 'none',
	redact: (text: string) => string
): StoredAttachment {
	const raw = typeof a.content === 'string' ? Buffer.from(a.content, 'utf8') : a.content;
	// A text part (the .ics of a guest) may carry a working link like the body: same redaction.
	const text = /^text\//i.test(a.contentType) ? raw.toString('utf8') : null;
	const content =
		text === null
			? raw
			: Buffer.from(
					redact(/^text\/calendar/i.test(a.contentType) ? unfoldContentLines(text) : text),
					'utf8'
				);
	const kept = keep === 'all' || (keep === 'small' && content.length <= KEEP_ATTACHMENT_BYTES);
	return {
		filename: a.filename,
		contentType: a.contentType,
		content: kept ? content.toString('base64') : '',
		size: content.length
	};
}

/** RFC 5545 §3.1: a long line is folded as CRLF + one space; unfold so a link reads whole. */
function unfoldContentLines(text: string): string {
	return text.replace(/\r?\n[ \t]/g, '');
}

/** The bare address of « Name <a@b.fr> » or « a@b.fr », lower case. */
function bareAddress(to: string): string {
	return (/<([^>]+)>/.exec(to)?.[1] ?? to).trim().toLowerCase();
}

/** The active account whose e-mail or MSSanté address the mail goes to, if any. */
async function findRecipientAccount(to: string): Promise<string | null> {
	const address = bareAddress(to);
	const found = await queryOne(
		getDb()
			.select({ id: users.id })
			.from(users)
			.where(
				and(
					isNull(users.disabledAt),
					// Addresses are stored in lower case (validation/form.ts), so the e-mail index serves.
					or(eq(users.email, address), eq(users.mssanteAddress, address))
				)
			)
			.limit(1)
	);
	return found?.id ?? null;
}

const NO_SMTP_OUTSIDE =
	'Non remis : aucun serveur de messagerie n’est configuré, et ce destinataire n’a pas de compte Pluri où le recevoir.';
const NO_SMTP_LINK =
	'Non remis : aucun serveur de messagerie n’est configuré, et ce message porte un lien personnel qui ne part que par messagerie sécurisée.';
const INTERRUPTED = 'Transmission interrompue avant la réponse du serveur de messagerie.';

/**
 * Sends one mail, and keeps its record in mail_message: the recipient's in-app copy when the
 * address belongs to an account, delivery metadata otherwise. The stored text never holds a
 * working link (`secrets`, and anything shaped like one): those reach the recipient by SMTP
 * only. Without SMTP_URL, a mail to an account is kept in their Pluri inbox; one to an outside
 * address (or carrying a personal link) is recorded as not delivered, with the reason.
 * A second call with the same messageId does not send twice once it was sent.
 */
export async function sendMail(mail: OutgoingMail): Promise<MailOutcome> {
	return (await recordMail(mail))();
}

/**
 * Records the mail (sendMail's first half) and returns once its row exists; the SMTP part runs
 * in the background, its outcome in `sent`.
 */
export async function queueMail(mail: OutgoingMail): Promise<{ sent: Promise<MailOutcome> }> {
	const send = await recordMail(mail);
	return { sent: send() };
}

type SendStep = () => Promise<MailOutcome>;

async function recordMail(mail: OutgoingMail): Promise<SendStep> {
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
	const secrets = mail.secrets ?? [];
	const transporter = getTransport();
	const existing = await queryOne(
		db.select().from(mailMessages).where(eq(mailMessages.messageId, messageId))
	);
	if (existing?.status === 'sent' || (existing?.status === 'stored' && !transporter)) {
		const done: MailOutcome = { status: existing.status, messageId, mailId: existing.id };
		return async () => done;
	}
	if (existing?.status === 'undelivered' && !transporter) {
		const error = existing.error ?? '';
		return async () => ({ status: 'undelivered', messageId, mailId: existing.id, error });
	}
	const mailId = existing?.id ?? crypto.randomUUID();
	const recipientUserId = existing ? existing.recipientUserId : await findRecipientAccount(mail.to);
	const forAccount = recipientUserId !== null;
	// Without SMTP an account's inbox is the delivery, unless a link has no in-app equivalent.
	const undelivered = transporter
		? null
		: !forAccount
			? NO_SMTP_OUTSIDE
			: secrets.some((s) => !s.inApp)
				? NO_SMTP_LINK
				: null;
	if (!existing) {
		await db.insert(mailMessages).values({
			id: mailId,
			to: mail.to,
			recipientUserId,
			subject: redactWorkingLinks(mail.subject, secrets, forAccount),
			text: redactWorkingLinks(mail.text, secrets, forAccount),
			html: mail.html ? redactWorkingLinks(mail.html, secrets, forAccount) : null,
			attachments: attachments.map((a) =>
				toStored(a, !forAccount ? 'none' : transporter ? 'small' : 'all', (t) =>
					redactWorkingLinks(t, secrets, forAccount)
				)
			),
			// X-MSS-INS names the patient: only the recipient's own copy keeps the headers.
			headers: forAccount ? (mail.headers ?? {}) : {},
			kind: mail.kind,
			messageId,
			icsUid: mail.icalEvent?.uid ?? null,
			icsSequence: mail.icalEvent?.sequence ?? null,
			status: undelivered ? 'undelivered' : forAccount ? 'stored' : 'failed',
			error: undelivered ?? (forAccount ? null : INTERRUPTED)
		});
	} else if (!transporter) {
		await db
			.update(mailMessages)
			.set({ status: undelivered ? 'undelivered' : 'stored', error: undelivered })
			.where(eq(mailMessages.id, mailId));
	}
	if (undelivered)
		return async () => ({ status: 'undelivered', messageId, mailId, error: undelivered });
	if (!transporter) return async () => ({ status: 'stored', messageId, mailId });
	return async () => {
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
			// Nobody reads an outside recipient's copy in Pluri: once delivered, only metadata stays.
			await db
				.update(mailMessages)
				.set({
					status: 'sent',
					sentAt: new Date(),
					error: null,
					...(forAccount ? {} : { text: '', html: null })
				})
				.where(eq(mailMessages.id, mailId));
			return { status: 'sent', messageId, mailId };
		} catch (e) {
			const error = e instanceof Error ? e.message : String(e);
			await db
				.update(mailMessages)
				.set({ status: 'failed', error })
				.where(eq(mailMessages.id, mailId));
			return { status: 'failed', messageId, mailId, error };
		}
	};
}

export function resetMailTransport(): void {
	transport?.transporter.close();
	transport = undefined;
}
