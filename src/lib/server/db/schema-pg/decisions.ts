import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import {
	conformities,
	decisionStatuses,
	outboxChannels,
	outboxStatuses,
	type AttendeeSnapshot
} from '../schema/decisions';
import { cases } from './cases';
import { createdAt, id, instant } from './columns';
import { meetings } from './meetings';
import { users } from './users';

export { conformities, decisionStatuses, outboxChannels, outboxStatuses, type AttendeeSnapshot };

export const decisions = pgTable(
	'decision',
	{
		id: id(),
		caseId: text()
			.notNull()
			.references(() => cases.id),
		meetingId: text().references(() => meetings.id),
		version: integer().notNull(),
		status: text({ enum: decisionStatuses }).notNull().default('draft'),
		proposalTypes: jsonb().$type<string[]>().notNull().default([]),
		text: text().notNull().default(''),
		draftRevision: integer().notNull().default(0),
		conformity: text({ enum: conformities }),
		justification: text(),
		trialProposed: boolean().notNull().default(false),
		trialName: text(),
		followUp: text(),
		quorumReached: boolean(),
		missingSpecialties: jsonb().$type<string[]>(),
		attendeesSnapshot: jsonb().$type<AttendeeSnapshot[]>(),
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

export const outbox = pgTable(
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
