import { index, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { mailStatuses, type StoredAttachment } from '../schema/mail';
import { createdAt, id, instant } from './columns';
import { users } from './users';

export { mailStatuses, type StoredAttachment };

export const mailMessages = pgTable(
	'mail_message',
	{
		id: id(),
		to: text().notNull(),
		recipientUserId: text().references(() => users.id),
		subject: text().notNull(),
		text: text().notNull(),
		html: text(),
		attachments: jsonb().$type<StoredAttachment[]>().notNull().default([]),
		headers: jsonb().$type<Record<string, string>>().notNull().default({}),
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
