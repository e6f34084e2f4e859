import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { actorTypes } from '../schema/audit';
import { createdAt, instant } from './columns';

export { actorTypes };

export const auditEvents = pgTable(
	'audit_event',
	{
		// Appended under the chain's lock, so the identity order is the chain order.
		seq: integer().primaryKey().generatedByDefaultAsIdentity(),
		at: instant().notNull(),
		actorType: text({ enum: actorTypes }).notNull(),
		actorId: text(),
		action: text().notNull(),
		objectType: text(),
		objectId: text(),
		patientId: text(),
		ip: text(),
		detail: text(),
		prevHash: text().notNull(),
		hash: text().notNull()
	},
	(t) => [
		index('audit_patient_idx').on(t.patientId),
		index('audit_actor_idx').on(t.actorId),
		index('audit_at_idx').on(t.at),
		index('audit_action_idx').on(t.action),
		// A fork (two rows after the same one) cannot be stored, whatever the engine's concurrency.
		uniqueIndex('audit_prev_hash_uq').on(t.prevHash)
	]
);

export const webhookEvents = pgTable('webhook_event', {
	id: text().primaryKey(),
	receivedAt: instant().notNull()
});

export const formSubmissions = pgTable('form_submission', {
	token: text().primaryKey(),
	actorKey: text().notNull(),
	scope: text().notNull(),
	result: text().notNull(),
	createdAt: createdAt()
});

export const settings = pgTable('setting', {
	key: text().primaryKey(),
	value: text().notNull()
});
