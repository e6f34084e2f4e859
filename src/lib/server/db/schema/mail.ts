import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id, instant } from './columns';

export const mailStatuses = ['stored', 'sent', 'failed'] as const;

export interface StoredAttachment {
	filename: string;
	contentType: string;
	/** Base64 content; empty when the attachment was sent by SMTP and not kept (see sendMail). */
	content: string;
	/** Size in bytes of the attachment as sent. */
	size?: number;
}

/** Every mail Pluri sends; without SMTP_URL this table is the demo mailbox. */
export const mailMessages = sqliteTable(
	'mail_message',
	{
		id: id(),
		to: text().notNull(),
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
	(t) => [index('mail_created_idx').on(t.createdAt)]
);
