import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { QuorumRule } from '../../../domain/quorum';
import { createdAt, id } from './columns';

export const pathwayKinds = ['oncology', 'heart_failure'] as const;

export const pathways = sqliteTable('pathway', {
	id: id(),
	code: text().notNull().unique(),
	name: text().notNull(),
	kind: text({ enum: pathwayKinds }).notNull(),
	quorumRule: text({ mode: 'json' }).$type<QuorumRule>().notNull(),
	submissionDeadlineHours: integer().notNull().default(48),
	freshnessDays: integer().notNull().default(90),
	defaultDurationMinutes: integer().notNull().default(90),
	defaultCaseMinutes: integer().notNull().default(10),
	active: integer({ mode: 'boolean' }).notNull().default(true),
	createdAt: createdAt()
});
