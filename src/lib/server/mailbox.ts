/**
 * The mails Pluri sent, two ways: each user's own inbox (the mails addressed to their account,
 * full text and kept attachments), and the administrator's delivery log (metadata only: the
 * admin never reads a mail body or a document).
 */
import { and, desc, eq, inArray, lt, notInArray, or, type SQL } from 'drizzle-orm';
import { carriesPatientData, patientMailKinds } from '$lib/domain/mailbox';
import { recordAudit, type AuditContext } from './audit';
import { getDb, queryOne, likeAnyCase } from './db';
import { mailMessages } from './db/schema';

export type MailRow = typeof mailMessages.$inferSelect;
export type MailStatus = MailRow['status'];

export const MAILBOX_PAGE = 50;

/** Where the previous page stopped: mails of one batch can share the same millisecond. */
/**
 * Of these decision deliveries, the mails that were only kept in the recipient's Pluri mailbox
 * (no SMTP server accepted them): their outbox ids. One statement whatever the number of rows.
 */
export async function listDeliveriesKeptInPluri(
	rows: readonly { id: string; channel: string; status: string; remoteId: string | null }[]
): Promise<Set<string>> {
	const byMessage = new Map<string, string>();
	for (const r of rows) {
		if (r.channel === 'mail' && r.status === 'delivered' && r.remoteId)
			byMessage.set(r.remoteId, r.id);
	}
	if (!byMessage.size) return new Set();
	const stored = await getDb()
		.select({ messageId: mailMessages.messageId })
		.from(mailMessages)
		.where(
			and(inArray(mailMessages.messageId, [...byMessage.keys()]), eq(mailMessages.status, 'stored'))
		);
	return new Set(stored.map((m) => byMessage.get(m.messageId)!));
}

export interface MailboxCursor {
	at: Date;
	id: string | null;
}

interface Paged {
	id: string;
	createdAt: Date;
}

function olderThan(before: MailboxCursor): SQL {
	return before.id
		? or(
				lt(mailMessages.createdAt, before.at),
				and(eq(mailMessages.createdAt, before.at), lt(mailMessages.id, before.id))
			)!
		: lt(mailMessages.createdAt, before.at);
}

/** The `avant` parameter of the next page: « milliseconds.id » (milliseconds alone still read). */
export function formatMailboxCursor(line: Paged): string {
	return `${line.createdAt.getTime()}.${line.id}`;
}

export function parseMailboxCursor(param: string | null): MailboxCursor | null {
	const match = /^(\d{1,15})(?:\.([0-9a-f-]{36}))?$/i.exec(param ?? '');
	if (!match || Number(match[1]) <= 0) return null;
	return { at: new Date(Number(match[1])), id: match[2]?.toLowerCase() ?? null };
}

// ---------- the administrator's delivery log ----------

export interface DeliveryLine {
	id: string;
	to: string;
	subject: string;
	kind: string;
	status: MailStatus;
	error: string | null;
	createdAt: Date;
	sentAt: Date | null;
	hasCalendar: boolean;
}

/** The latest mails' delivery metadata, newest first, optionally for one address; never a body. */
export async function listMailDeliveries(
	options: { search?: string | null; before?: MailboxCursor | null } = {}
): Promise<DeliveryLine[]> {
	const filters: SQL[] = [];
	if (options.search) {
		const pattern = `%${options.search.replace(/[%_\\]/g, '')}%`;
		// Subjects of mails about a patient are not searchable by the administration either.
		filters.push(
			or(
				likeAnyCase(mailMessages.to, pattern),
				and(
					notInArray(mailMessages.kind, [...patientMailKinds]),
					likeAnyCase(mailMessages.subject, pattern)
				)
			)!
		);
	}
	if (options.before) filters.push(olderThan(options.before));
	return (
		await getDb()
			.select({
				id: mailMessages.id,
				to: mailMessages.to,
				subject: mailMessages.subject,
				kind: mailMessages.kind,
				status: mailMessages.status,
				error: mailMessages.error,
				createdAt: mailMessages.createdAt,
				sentAt: mailMessages.sentAt,
				icsUid: mailMessages.icsUid
			})
			.from(mailMessages)
			.where(filters.length ? and(...filters) : undefined)
			.orderBy(desc(mailMessages.createdAt), desc(mailMessages.id))
			.limit(MAILBOX_PAGE)
	).map(({ icsUid, ...m }) => ({
		...m,
		// A decision's subject names the patient discreetly: not for the administration.
		subject: carriesPatientData(m.kind)
			? 'Objet masqué (message concernant un patient)'
			: m.subject,
		hasCalendar: icsUid !== null
	}));
}

// ---------- each user's own inbox ----------

export interface InboxLine {
	id: string;
	subject: string;
	kind: string;
	status: MailStatus;
	createdAt: Date;
	attachmentCount: number;
}

/** The mails addressed to this account, newest first; `before` pages back. */
export async function listInbox(
	userId: string,
	before: MailboxCursor | null = null
): Promise<InboxLine[]> {
	const mine = eq(mailMessages.recipientUserId, userId);
	return (
		await getDb()
			.select({
				id: mailMessages.id,
				subject: mailMessages.subject,
				kind: mailMessages.kind,
				status: mailMessages.status,
				createdAt: mailMessages.createdAt,
				attachments: mailMessages.attachments
			})
			.from(mailMessages)
			.where(before ? and(mine, olderThan(before)) : mine)
			.orderBy(desc(mailMessages.createdAt), desc(mailMessages.id))
			.limit(MAILBOX_PAGE)
	).map(({ attachments, ...m }) => ({ ...m, attachmentCount: attachments.length }));
}

/** One mail by id; the caller checks it is the actor's own (`canReadOwnMail`) before showing it. */
export async function findMail(mailId: string): Promise<MailRow | null> {
	return (
		(await queryOne(getDb().select().from(mailMessages).where(eq(mailMessages.id, mailId)))) ?? null
	);
}

/** Reading a mail that names a patient or carries a decision leaves an audit row. */
export async function auditMailRead(
	mail: MailRow,
	audit: AuditContext,
	attachment?: string
): Promise<void> {
	if (!carriesPatientData(mail.kind)) return;
	await recordAudit(audit, {
		action: attachment ? 'mail.attachment_read' : 'mail.read',
		objectType: 'mail_message',
		objectId: mail.id,
		detail: attachment ? { kind: mail.kind, filename: attachment } : { kind: mail.kind }
	});
}

/** An attachment's bytes, or null when absent or only described (sent by SMTP, not kept). */
export function readMailAttachment(
	mail: MailRow,
	index: number
): { filename: string; contentType: string; content: Buffer } | null {
	const attachment = Number.isInteger(index) ? mail.attachments[index] : undefined;
	if (!attachment?.content) return null;
	return {
		filename: attachment.filename,
		contentType: attachment.contentType,
		content: Buffer.from(attachment.content, 'base64')
	};
}
