import {
	index,
	integer,
	primaryKey,
	sqliteTable,
	text,
	uniqueIndex
} from 'drizzle-orm/sqlite-core';
import { createdAt, id, instant } from './columns';
import { pathways } from './pathways';
import { users } from './users';

export const seriesFrequencies = ['weekly', 'biweekly', 'monthly'] as const;
export const meetingStatuses = ['scheduled', 'open', 'closed', 'cancelled'] as const;
export const invitationReplies = ['pending', 'accepted', 'declined'] as const;

export const meetingSeries = sqliteTable('meeting_series', {
	id: id(),
	pathwayId: text()
		.notNull()
		.references(() => pathways.id),
	frequency: text({ enum: seriesFrequencies }).notNull(),
	/** ISO weekday, 1 = Monday. */
	weekday: integer().notNull(),
	/** For monthly series: 1..4 = n-th weekday of the month, -1 = last. */
	nthWeek: integer(),
	/** First local date (YYYY-MM-DD, Europe/Paris). */
	startDate: text().notNull(),
	/** Local wall-clock start (HH:MM, Europe/Paris). */
	localStartTime: text().notNull(),
	durationMinutes: integer().notNull(),
	place: text().notNull(),
	videoOffered: integer({ mode: 'boolean' }).notNull().default(true),
	chairId: text().references(() => users.id),
	untilDate: text(),
	count: integer(),
	/** Occurrences falling on a French public holiday are not scheduled (EXDATE in calendars). */
	skipHolidays: integer({ mode: 'boolean' }).notNull().default(false),
	/** SEQUENCE of the series' recurring calendar event (RRULE), raised on each series-wide change. */
	icsSequence: integer().notNull().default(0),
	endedAt: instant(),
	createdBy: text().references(() => users.id),
	/** Bumped by every edit: a form based on an older version is refused (no lost update). */
	version: integer().notNull().default(1),
	createdAt: createdAt()
});

export const meetings = sqliteTable(
	'meeting',
	{
		id: id(),
		pathwayId: text()
			.notNull()
			.references(() => pathways.id),
		seriesId: text().references(() => meetingSeries.id),
		/** The series date this meeting stands for, kept when it is moved. */
		occurrenceDate: text(),
		startsAt: instant().notNull(),
		endsAt: instant().notNull(),
		status: text({ enum: meetingStatuses }).notNull().default('scheduled'),
		cancelReason: text(),
		chairId: text().references(() => users.id),
		deadlineAt: instant().notNull(),
		place: text().notNull(),
		videoOffered: integer({ mode: 'boolean' }).notNull().default(true),
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

export const invitations = sqliteTable(
	'invitation',
	{
		id: id(),
		meetingId: text().references(() => meetings.id, { onDelete: 'cascade' }),
		seriesId: text().references(() => meetingSeries.id, { onDelete: 'cascade' }),
		userId: text().references(() => users.id),
		guestName: text(),
		guestRpps: text(),
		guestEmail: text(),
		/** Set for a guest scoped to one case (the patient's GP or referring doctor). */
		caseId: text(),
		tokenHash: text().unique(),
		/** Guest links: random nonce the link is derived from (HMAC with the app secret). */
		tokenNonce: text(),
		reply: text({ enum: invitationReplies }).notNull().default('pending'),
		repliedAt: instant(),
		sentAt: instant(),
		revokedAt: instant(),
		expiresAt: instant(),
		/** Series invitations: calendar invites were mailed for the meetings starting before this. */
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

/**
 * A reminder claimed for one invitee of one meeting at one stage: inserted (unique) before the
 * mail is queued, so two upkeep runs or two instances never remind twice.
 */
export const invitationReminders = sqliteTable(
	'invitation_reminder',
	{
		id: id(),
		meetingId: text()
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		/** user:<id> for accounts, inv:<invitationId> for guests. */
		inviteeKey: text().notNull(),
		invitationId: text().references(() => invitations.id, { onDelete: 'cascade' }),
		/** Days before the meeting this reminder stands for (7, 2). */
		stage: integer().notNull(),
		createdAt: createdAt()
	},
	(t) => [uniqueIndex('invitation_reminder_uq').on(t.meetingId, t.inviteeKey, t.stage)]
);

export const attendanceSources = ['webhook', 'check_in'] as const;

export const attendance = sqliteTable(
	'attendance',
	{
		id: id(),
		meetingId: text()
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		userId: text().references(() => users.id),
		invitationId: text().references(() => invitations.id),
		/** LiveKit identity (user:<id> or guest:<invitationId>) or check-in key. */
		identity: text().notNull(),
		displayName: text().notNull(),
		specialty: text(),
		joinedAt: instant().notNull(),
		leftAt: instant(),
		/** After a video disconnect, the stay still counts until then (network blip, reload). */
		graceUntil: instant(),
		source: text({ enum: attendanceSources }).notNull()
	},
	(t) => [index('attendance_meeting_idx').on(t.meetingId, t.identity)]
);

/**
 * « Lever la main » during an open meeting: who asks to speak, in order. In the database so every
 * instance serves the same list; cleared when the meeting closes (not a record: no audit).
 */
export const raisedHands = sqliteTable(
	'raised_hand',
	{
		meetingId: text()
			.notNull()
			.references(() => meetings.id, { onDelete: 'cascade' }),
		/** `user:<id>` or `guest:<invitationId>`. */
		participantKey: text().notNull(),
		name: text().notNull(),
		specialty: text(),
		/** A guest's hand stands while her case is current. */
		caseId: text(),
		raisedAt: instant().notNull()
	},
	(t) => [primaryKey({ columns: [t.meetingId, t.participantKey] })]
);
