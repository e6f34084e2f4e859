import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { cases } from './cases';
import { createdAt, id, instant } from './columns';
import { meetings } from './meetings';
import { users } from './users';

export const decisionStatuses = ['draft', 'validated', 'provisional', 'superseded'] as const;
export const conformities = ['conform', 'off_guideline'] as const;
export const outboxChannels = ['fhir', 'mail'] as const;
export const outboxStatuses = ['pending', 'sending', 'delivered', 'failed'] as const;

export interface AttendeeSnapshot {
	name: string;
	specialty: string | null;
	sector: string | null;
	rpps: string | null;
	source: string;
}

export const decisions = sqliteTable(
	'decision',
	{
		id: id(),
		caseId: text()
			.notNull()
			.references(() => cases.id),
		meetingId: text().references(() => meetings.id),
		version: integer().notNull(),
		status: text({ enum: decisionStatuses }).notNull().default('draft'),
		proposalTypes: text({ mode: 'json' }).$type<string[]>().notNull().default([]),
		text: text().notNull().default(''),
		/** Bumped at every draft save: a write based on an older revision is refused. */
		draftRevision: integer().notNull().default(0),
		conformity: text({ enum: conformities }),
		justification: text(),
		trialProposed: integer({ mode: 'boolean' }).notNull().default(false),
		trialName: text(),
		followUp: text(),
		quorumReached: integer({ mode: 'boolean' }),
		missingSpecialties: text({ mode: 'json' }).$type<string[]>(),
		attendeesSnapshot: text({ mode: 'json' }).$type<AttendeeSnapshot[]>(),
		validatedBy: text().references(() => users.id),
		validatedAt: instant(),
		amendsId: text(),
		amendReason: text(),
		updatedBy: text().references(() => users.id),
		createdAt: createdAt(),
		updatedAt: instant()
	},
	(t) => [uniqueIndex('decision_case_version_uq').on(t.caseId, t.version)]
);

export const outbox = sqliteTable(
	'outbox',
	{
		id: id(),
		decisionId: text()
			.notNull()
			.references(() => decisions.id),
		channel: text({ enum: outboxChannels }).notNull(),
		recipient: text().notNull(),
		idempotencyKey: text().notNull().unique(),
		status: text({ enum: outboxStatuses }).notNull().default('pending'),
		attempts: integer().notNull().default(0),
		nextAttemptAt: instant().notNull(),
		lastError: text(),
		remoteId: text(),
		/** Why the CI-SIS Fiche RCP (CDA) was held back from this send (French, for the coordinator). */
		cdaWithheld: text(),
		claimedBy: text(),
		claimedUntil: instant(),
		/** The attempt holding the row (set at claim), so its outcome is only recorded by it. */
		attemptId: text(),
		/** When the current attempt started talking to the recipient's server. */
		sendStartedAt: instant(),
		/** An attempt was interrupted after its send began: the recipient may hold a copy already. */
		maybeSentAt: instant(),
		deliveredAt: instant(),
		createdAt: createdAt()
	},
	(t) => [
		index('outbox_due_idx').on(t.status, t.nextAttemptAt),
		index('outbox_decision_idx').on(t.decisionId)
	]
);
