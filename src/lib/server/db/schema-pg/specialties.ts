import { boolean, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { specialtyCategories } from '../../../domain/specialties';
import { createdAt, instant } from './columns';

export const specialtyTable = pgTable('specialty', {
	code: text().primaryKey(),
	label: text().notNull(),
	category: text({ enum: specialtyCategories }).notNull(),
	rppsCodes: jsonb().$type<string[]>().notNull(),
	countsTowardQuorum: boolean().notNull(),
	active: boolean().notNull().default(true),
	position: integer().notNull(),
	createdAt: createdAt(),
	updatedAt: instant()
});
