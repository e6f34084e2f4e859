import { boolean, index, integer, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { membershipRoles, sectors, throttleScopes } from '../schema/users';
import { bytes, createdAt, id, instant } from './columns';
import { establishments } from './establishments';
import { pathways } from './pathways';

export { membershipRoles, sectors, throttleScopes };

export const users = pgTable('user', {
	id: id(),
	email: text().notNull().unique(),
	passwordHash: text(),
	title: text({ enum: ['Dr', 'Pr', 'M.', 'Mme'] }),
	firstName: text().notNull(),
	lastName: text().notNull(),
	rpps: text().unique(),
	specialty: text(),
	sector: text({ enum: sectors }).notNull(),
	establishmentId: text().references(() => establishments.id),
	mssanteAddress: text(),
	isAdmin: boolean().notNull().default(false),
	disabledAt: instant(),
	mustChangePassword: boolean().notNull().default(false),
	oidcSubject: text().unique(),
	calendarFeedVersion: integer().notNull().default(1),
	/** Bumped by every edit: a form based on an older version is refused (no lost update). */
	version: integer().notNull().default(1),
	createdAt: createdAt(),
	updatedAt: instant()
});

export const sessions = pgTable(
	'session',
	{
		id: text().primaryKey(),
		secretHash: bytes().notNull(),
		userId: text()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: instant().notNull(),
		lastSeenAt: instant().notNull(),
		ip: text(),
		userAgent: text()
	},
	(t) => [index('session_user_idx').on(t.userId)]
);

export const memberships = pgTable(
	'membership',
	{
		userId: text()
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		pathwayId: text()
			.notNull()
			.references(() => pathways.id, { onDelete: 'cascade' }),
		role: text({ enum: membershipRoles }).notNull(),
		createdAt: createdAt()
	},
	(t) => [
		primaryKey({ columns: [t.userId, t.pathwayId, t.role] }),
		index('membership_pathway_idx').on(t.pathwayId)
	]
);

export const loginThrottleCounters = pgTable(
	'login_throttle',
	{
		key: text().primaryKey(),
		scope: text({ enum: throttleScopes }).notNull(),
		failures: integer().notNull(),
		windowStart: instant().notNull(),
		lastFailureAt: instant().notNull(),
		lockedUntil: instant()
	},
	(t) => [index('login_throttle_last_failure_idx').on(t.lastFailureAt)]
);
