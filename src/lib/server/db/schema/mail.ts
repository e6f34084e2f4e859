import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id, instant } from './columns';
import { users } from './users';

/**
 * sent: an outside SMTP server accepted it. stored: kept in the Pluri mailbox of the
 * recipient's account (no SMTP server configured). failed: the SMTP server refused it.
 * undelivered: nobody can receive it (no SMTP server, and no account or a personal link that
 * only secure mail may carry); the reason is in `error`.
 */
export const mailStatuses = ['stored', 'sent', 'failed', 'undelivered'] as const;

export interface StoredAttachment {
	filename: string;
	contentType: string;
	/** Base64 content; empty when the attachment was sent by SMTP and not kept (see sendMail). */
	content: string;
	/** Size in bytes of the attachment as sent. */
	size?: number;
}

/**
 * Every mail Pluri sends. A mail to an account is that user's in-app copy (their inbox at
 * /mailbox); the text never holds a working personal link (guest token, signed reply): those
 * travel by SMTP only and are replaced here (see sendMail).
 */
export const mailMessages = sqliteTable(
	'mail_message',
	{
		id: id(),
		to: text().notNull(),
		/** The account the `to` address belongs to (e-mail or MSSanté address), when the mail left. */
		recipientUserId: text().references(() => users.id),
		subject: text().notNull(),
		text: text().notNull(),
		html: text(),
		attachments: text({ mode: 'json' }).$type<StoredAttachment[]>().notNull().default([]),
		headers: text({ mode: 'json' }).$type<Record<string, string>>().notNull().default({}),
		kind: text().notNull(),
		messageId: text().notNull().unique(),
		icsUid: text(),
		icsSequence: integer(),
		status: text({ enum: mailStatuses }).notNull(),
		error: text(),
		createdAt: createdAt(),
		sentAt: instant()
	},
	(t) => [
		index('mail_created_idx').on(t.createdAt),
		index('mail_recipient_idx').on(t.recipientUserId, t.createdAt, t.id)
	]
);
