import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { caseStatuses, documentKinds, type CaseStatus } from '../schema/cases';
import { createdAt, id, instant } from './columns';
import { meetings } from './meetings';
import { pathways } from './pathways';
import { patients } from './patients';
import { users } from './users';

export { caseStatuses, documentKinds, type CaseStatus };

export const cases = pgTable(
	'rcp_case',
	{
		id: id(),
		patientId: text()
			.notNull()
			.references(() => patients.id),
		pathwayId: text()
			.notNull()
			.references(() => pathways.id),
		meetingId: text().references(() => meetings.id),
		requesterId: text()
			.notNull()
			.references(() => users.id),
		referringName: text(),
		referringRpps: text(),
		referringEmail: text(),
		gpName: text(),
		gpRpps: text(),
		gpEmail: text(),
		question: text().notNull(),
		summary: text().notNull(),
		pathwayData: jsonb().$type<Record<string, unknown>>().notNull().default({}),
		status: text({ enum: caseStatuses }).notNull().default('draft'),
		refusalReason: text(),
		lateOverrideReason: text(),
		wantsNextMeeting: boolean().notNull().default(false),
		agendaPosition: integer(),
		estimatedMinutes: integer(),
		presenterId: text().references(() => users.id),
		neededSpecialties: jsonb().$type<string[]>().notNull().default([]),
		submittedAt: instant(),
		/** Bumped by every edit: a form based on an older version is refused (no lost update). */
		version: integer().notNull().default(1),
		createdAt: createdAt(),
		updatedAt: instant()
	},
	(t) => [
		index('case_pathway_status_idx').on(t.pathwayId, t.status),
		index('case_meeting_position_idx').on(t.meetingId, t.agendaPosition),
		index('case_requester_idx').on(t.requesterId),
		index('case_patient_idx').on(t.patientId)
	]
);

export const caseEvents = pgTable(
	'case_event',
	{
		id: id(),
		caseId: text()
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		at: createdAt(),
		actorId: text().references(() => users.id),
		kind: text().notNull(),
		fromStatus: text(),
		toStatus: text(),
		meetingId: text(),
		note: text()
	},
	(t) => [index('case_event_case_idx').on(t.caseId, t.at)]
);

export const documents = pgTable(
	'document',
	{
		id: id(),
		caseId: text()
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		kind: text({ enum: documentKinds }).notNull(),
		fileName: text().notNull(),
		contentType: text().notNull(),
		size: integer().notNull(),
		sha256: text().notNull(),
		storedPath: text().notNull(),
		documentDate: text(),
		uploadedBy: text().references(() => users.id),
		uploadedAt: createdAt()
	},
	(t) => [index('document_case_idx').on(t.caseId)]
);

export const writtenOpinions = pgTable(
	'written_opinion',
	{
		id: id(),
		caseId: text()
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		authorId: text()
			.notNull()
			.references(() => users.id),
		specialty: text().notNull(),
		text: text().notNull(),
		createdAt: createdAt(),
		updatedAt: instant()
	},
	(t) => [index('written_opinion_case_idx').on(t.caseId)]
);

export const caseReminders = pgTable(
	'case_reminder',
	{
		id: id(),
		caseId: text()
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		meetingId: text()
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		kind: text({ enum: ['auto', 'manual'] }).notNull(),
		claimKey: text().notNull(),
		deadlineAt: instant().notNull(),
		actorId: text().references(() => users.id),
		missing: jsonb().$type<string[]>().notNull().default([]),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('case_reminder_claim_idx').on(t.claimKey),
		index('case_reminder_case_idx').on(t.caseId, t.createdAt)
	]
);
