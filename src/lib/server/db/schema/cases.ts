import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { caseStatuses, type CaseStatus } from '../../../domain/case-status';
import { createdAt, id, instant } from './columns';
import { meetings } from './meetings';
import { pathways } from './pathways';
import { patients } from './patients';
import { users } from './users';

export { caseStatuses, type CaseStatus };

export const documentKinds = [
	'pathology',
	'imaging',
	'biology',
	'report',
	'letter',
	'other'
] as const;

export const cases = sqliteTable(
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
		/** Pathway-specific fields, validated by the pathway's schema. */
		pathwayData: text({ mode: 'json' }).$type<Record<string, unknown>>().notNull().default({}),
		status: text({ enum: caseStatuses }).notNull().default('draft'),
		refusalReason: text(),
		lateOverrideReason: text(),
		/** True when the requester asked for "the next meeting" rather than a given one. */
		wantsNextMeeting: integer({ mode: 'boolean' }).notNull().default(false),
		agendaPosition: integer(),
		estimatedMinutes: integer(),
		presenterId: text().references(() => users.id),
		neededSpecialties: text({ mode: 'json' }).$type<string[]>().notNull().default([]),
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

/** The history of a case: every status change, move and carry-over. */
export const caseEvents = sqliteTable(
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

export const documents = sqliteTable(
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
		/** Date of the examination the document reports, for the freshness check. */
		documentDate: text(),
		uploadedBy: text().references(() => users.id),
		uploadedAt: createdAt()
	},
	(t) => [index('document_case_idx').on(t.caseId)]
);

export const writtenOpinions = sqliteTable(
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

/**
 * Reminders sent to a case's requester about what the case lacks before its meeting's deadline.
 * The row is claimed (inserted) before the mail goes: `claimKey` is unique, so the automatic
 * reminder of a case for one meeting deadline is sent once however often the upkeep runs.
 */
export const caseReminders = sqliteTable(
	'case_reminder',
	{
		id: id(),
		caseId: text()
			.notNull()
			.references(() => cases.id, { onDelete: 'cascade' }),
		meetingId: text()
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		/** 'auto': the upkeep, before the deadline; 'manual': « Relancer le demandeur ». */
		kind: text({ enum: ['auto', 'manual'] }).notNull(),
		/** auto:<case>:<meeting>:<deadline ms> (once per deadline); manual:<case>:<ms>. */
		claimKey: text().notNull(),
		deadlineAt: instant().notNull(),
		actorId: text().references(() => users.id),
		/** The points listed in the mail (French messages). */
		missing: text({ mode: 'json' }).$type<string[]>().notNull().default([]),
		createdAt: createdAt()
	},
	(t) => [
		uniqueIndex('case_reminder_claim_idx').on(t.claimKey),
		index('case_reminder_case_idx').on(t.caseId, t.createdAt)
	]
);
