import { blob, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id, instant } from './columns';
import { establishments } from './establishments';
import { pathways } from './pathways';

export const sectors = ['establishment', 'private_practice', 'gp', 'other'] as const;
export const membershipRoles = ['coordinator', 'chair', 'member'] as const;

export const users = sqliteTable('user', {
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
	isAdmin: integer({ mode: 'boolean' }).notNull().default(false),
	disabledAt: instant(),
	/** Set by an administrator's reset: every page leads to the password change until it is done. */
	mustChangePassword: integer({ mode: 'boolean' }).notNull().default(false),
	oidcSubject: text().unique(),
	calendarFeedVersion: integer().notNull().default(1),
	/** Bumped by every edit: a form based on an older version is refused (no lost update). */
	version: integer().notNull().default(1),
	createdAt: createdAt(),
	updatedAt: instant()
});

export const sessions = sqliteTable(
	'session',
	{
		id: text().primaryKey(),
		secretHash: blob({ mode: 'buffer' }).notNull(),
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

export const memberships = sqliteTable(
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

/** Which counter a row of `login_throttle` is (see `auth/rate-limit.ts`). */
export const throttleScopes = ['pair', 'account', 'address'] as const;

/**
 * Failed logins, one counter per key, in the database so that every app instance sees the same
 * counts and a restart forgets nothing. Keys: `pair:<email>|<address>`, `account:<email>`,
 * `address:<address>`. Rows older than their window are purged.
 */
export const loginThrottleCounters = sqliteTable(
	'login_throttle',
	{
		key: text().primaryKey(),
		scope: text({ enum: throttleScopes }).notNull(),
		failures: integer().notNull(),
		/** First failure of the current run of failures. */
		windowStart: instant().notNull(),
		lastFailureAt: instant().notNull(),
		/** No attempt on this key before then (null: not locked). */
		lockedUntil: instant()
	},
	(t) => [index('login_throttle_last_failure_idx').on(t.lastFailureAt)]
);
