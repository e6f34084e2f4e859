import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt, instant } from './columns';

export const actorTypes = ['user', 'guest', 'system', 'anonymous'] as const;

/** Append-only, hash-chained: each row's hash covers its content and the previous hash. */
export const auditEvents = sqliteTable(
	'audit_event',
	{
		seq: integer().primaryKey({ autoIncrement: true }),
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
		// The admin trail filters by action (« Accès refusés »…), newest first: (action, seq).
		index('audit_action_idx').on(t.action),
		// A fork (two rows after the same one) cannot be stored, whatever the engine's concurrency.
		uniqueIndex('audit_prev_hash_uq').on(t.prevHash)
	]
);

/** Ids of LiveKit webhook events already handled, so a replay is ignored. */
export const webhookEvents = sqliteTable('webhook_event', {
	id: text().primaryKey(),
	receivedAt: instant().notNull()
});

/**
 * One-time tokens of creating forms: a replayed submission (double click, resend) finds its
 * first result here instead of creating a second object.
 */
export const formSubmissions = sqliteTable('form_submission', {
	token: text().primaryKey(),
	/** Who submitted it (user id, or guest invitation): a token only replays for its owner. */
	actorKey: text().notNull(),
	scope: text().notNull(),
	/** The first result (JSON), e.g. the id of what was created. */
	result: text().notNull(),
	createdAt: createdAt()
});

/** Instance settings that must survive restarts (generated secrets, seed marker). */
export const settings = sqliteTable('setting', {
	key: text().primaryKey(),
	value: text().notNull()
});
