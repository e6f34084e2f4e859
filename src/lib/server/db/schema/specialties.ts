import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { specialtyCategories } from '../../../domain/specialties';
import { createdAt, instant } from './columns';

/**
 * Specialties and roles (domain/specialties.ts): seeded by migration at install, then edited by
 * the admin. `code` is Pluri's stable key (users, attendance, opinions and rules store it).
 */
export const specialtyTable = sqliteTable('specialty', {
	code: text().primaryKey(),
	label: text().notNull(),
	category: text({ enum: specialtyCategories }).notNull(),
	/** RPPS savoir-faire codes (TRE_R38) this entry stands for, as a JSON array. */
	rppsCodes: text({ mode: 'json' }).$type<string[]>().notNull(),
	countsTowardQuorum: integer({ mode: 'boolean' }).notNull(),
	active: integer({ mode: 'boolean' }).notNull().default(true),
	position: integer().notNull(),
	createdAt: createdAt(),
	updatedAt: instant()
});
