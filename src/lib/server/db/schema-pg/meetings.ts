import {
	boolean,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import {
	attendanceSources,
	invitationReplies,
	meetingStatuses,
	seriesFrequencies
} from '../schema/meetings';
import { createdAt, id, instant } from './columns';
import { pathways } from './pathways';
import { users } from './users';

export { attendanceSources, invitationReplies, meetingStatuses, seriesFrequencies };

export const meetingSeries = pgTable('meeting_series', {
	id: id(),
	pathwayId: text()
		.notNull()
		.references(() => pathways.id),
	frequency: text({ enum: seriesFrequencies }).notNull(),
	weekday: integer().notNull(),
	nthWeek: integer(),
	startDate: text().notNull(),
	localStartTime: text().notNull(),
	durationMinutes: integer().notNull(),
	place: text().notNull(),
	videoOffered: boolean().notNull().default(true),
	chairId: text().references(() => users.id),
	untilDate: text(),
	count: integer(),
	skipHolidays: boolean().notNull().default(false),
	icsSequence: integer().notNull().default(0),
	endedAt: instant(),
	createdBy: text().references(() => users.id),
	/** Bumped by every edit: a form based on an older version is refused (no lost update). */
	version: integer().notNull().default(1),
	createdAt: createdAt()
});

export const meetings = pgTable(
	'meeting',
	{
		id: id(),
		pathwayId: text()
			.notNull()
			.references(() => pathways.id),
		seriesId: text().references(() => meetingSeries.id),
		occurrenceDate: text(),
		startsAt: instant().notNull(),
		endsAt: instant().notNull(),
		status: text({ enum: meetingStatuses }).notNull().default('scheduled'),
		cancelReason: text(),
		chairId: text().references(() => users.id),
		deadlineAt: instant().notNull(),
		place: text().notNull(),
		videoOffered: boolean().notNull().default(true),
		roomName: text(),
		currentCaseId: text(),
		currentCaseStartedAt: instant(),
		icsSequence: integer().notNull().default(0),
		openedAt: instant(),
		closedAt: instant(),
		/** Bumped by every edit: a form based on an older version is refused (no lost update). */
		version: integer().notNull().default(1),
		createdAt: createdAt(),
		updatedAt: instant()
	},
	(t) => [
		index('meeting_pathway_starts_idx').on(t.pathwayId, t.startsAt),
		index('meeting_starts_idx').on(t.startsAt),
		uniqueIndex('meeting_series_occurrence_uq').on(t.seriesId, t.occurrenceDate)
	]
);

export const invitations = pgTable(
	'invitation',
	{
		id: id(),
		meetingId: text().references(() => meetings.id, { onDelete: 'cascade' }),
		seriesId: text().references(() => meetingSeries.id, { onDelete: 'cascade' }),
		userId: text().references(() => users.id),
		guestName: text(),
		guestRpps: text(),
		guestEmail: text(),
		caseId: text(),
		tokenHash: text().unique(),
		tokenNonce: text(),
		reply: text({ enum: invitationReplies }).notNull().default('pending'),
		repliedAt: instant(),
		sentAt: instant(),
		revokedAt: instant(),
		expiresAt: instant(),
		mailedUntil: instant(),
		createdBy: text().references(() => users.id),
		createdAt: createdAt()
	},
	(t) => [
		index('invitation_meeting_idx').on(t.meetingId),
		index('invitation_series_idx').on(t.seriesId),
		index('invitation_user_idx').on(t.userId)
	]
);

export const invitationReminders = pgTable(
	'invitation_reminder',
	{
		id: id(),
		meetingId: text()
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		inviteeKey: text().notNull(),
		invitationId: text().references(() => invitations.id, { onDelete: 'cascade' }),
		stage: integer().notNull(),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('invitation_reminder_uq').on(t.meetingId, t.inviteeKey, t.stage)]
);

export const attendance = pgTable(
	'attendance',
	{
		id: id(),
		meetingId: text()
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		userId: text().references(() => users.id),
		invitationId: text().references(() => invitations.id),
		identity: text().notNull(),
		displayName: text().notNull(),
		specialty: text(),
		joinedAt: instant().notNull(),
		leftAt: instant(),
		graceUntil: instant(),
		source: text({ enum: attendanceSources }).notNull()
	},
	(t) => [index('attendance_meeting_idx').on(t.meetingId, t.identity)]
);

export const raisedHands = pgTable(
	'raised_hand',
	{
		meetingId: text()
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		participantKey: text().notNull(),
		name: text().notNull(),
		specialty: text(),
		caseId: text(),
		raisedAt: instant().notNull()
	},
	(t) => [primaryKey({ columns: [t.meetingId, t.participantKey] })]
);
