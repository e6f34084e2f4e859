/**
 * The in-app mailbox: every mail Pluri sent or kept (without SMTP_URL, the demo's only copy).
 * Administrators read it; each opened mail is audited, as decision mails carry patient data.
 */
import { and, desc, eq, like, lt, or, type SQL } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { getDb } from './db';
import { mailMessages } from './db/schema';

export type MailRow = typeof mailMessages.$inferSelect;

export interface MailboxLine {
	id: string;
	to: string;
	subject: string;
	kind: string;
	status: MailRow['status'];
	createdAt: Date;
	hasCalendar: boolean;
}

export const MAILBOX_PAGE = 50;

/** Where the previous page stopped: mails of one batch can share the same millisecond. */
export interface MailboxCursor {
	at: Date;
	id: string | null;
}

/** The latest mails, newest first, optionally for one address; `before` pages back. */
export function listMailbox(
	options: { search?: string | null; before?: MailboxCursor | null } = {}
): MailboxLine[] {
	const filters: SQL[] = [];
	if (options.search) {
		const pattern = `%${options.search.replace(/[%_\\]/g, '')}%`;
		filters.push(or(like(mailMessages.to, pattern), like(mailMessages.subject, pattern))!);
	}
	const before = options.before;
	if (before) {
		filters.push(
			before.id
				? or(
						lt(mailMessages.createdAt, before.at),
						and(eq(mailMessages.createdAt, before.at), lt(mailMessages.id, before.id))
					)!
				: lt(mailMessages.createdAt, before.at)
		);
	}
	return getDb()
		.select({
			id: mailMessages.id,
			to: mailMessages.to,
			subject: mailMessages.subject,
			kind: mailMessages.kind,
			status: mailMessages.status,
			createdAt: mailMessages.createdAt,
			icsUid: mailMessages.icsUid
		})
		.from(mailMessages)
		.where(filters.length ? and(...filters) : undefined)
		.orderBy(desc(mailMessages.createdAt), desc(mailMessages.id))
		.limit(MAILBOX_PAGE)
		.all()
		.map(({ icsUid, ...m }) => ({ ...m, hasCalendar: icsUid !== null }));
}

/** The `avant` parameter of the next page: « milliseconds.id » (milliseconds alone still read). */
export function formatMailboxCursor(line: MailboxLine): string {
	return `${line.createdAt.getTime()}.${line.id}`;
}

export function parseMailboxCursor(param: string | null): MailboxCursor | null {
	const match = /^(\d{1,15})(?:\.([0-9a-f-]{36}))?$/i.exec(param ?? '');
	if (!match || Number(match[1]) <= 0) return null;
	return { at: new Date(Number(match[1])), id: match[2]?.toLowerCase() ?? null };
}

/** One mail, its reading recorded in the audit trail. */
export function openMail(id: string, audit: AuditContext): MailRow | null {
	const mail = getDb().select().from(mailMessages).where(eq(mailMessages.id, id)).get();
	if (!mail) return null;
	recordAudit(audit, { action: 'mail.read', objectType: 'mail_message', objectId: id });
	return mail;
}

/** An attachment's bytes, for download. */
export function readMailAttachment(
	id: string,
	index: number,
	audit: AuditContext
): { filename: string; contentType: string; content: Buffer } | null {
	const mail = getDb().select().from(mailMessages).where(eq(mailMessages.id, id)).get();
	const attachment = mail?.attachments[index];
	if (!attachment?.content) return null;
	recordAudit(audit, {
		action: 'mail.attachment_read',
		objectType: 'mail_message',
		objectId: id,
		detail: { filename: attachment.filename }
	});
	return {
		filename: attachment.filename,
		contentType: attachment.contentType,
		content: Buffer.from(attachment.content, 'base64')
	};
}
