import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { QuorumRule } from '../../../domain/quorum';
import {
	clinicalForms,
	organs,
	pathwayAreas,
	rcpTypes,
	recoursCategories
} from '../../../domain/rcp-types';
import { pathwayKinds } from '../schema/pathways';
import { createdAt, id, instant } from './columns';
import { establishments } from './establishments';

export { pathwayKinds };

export const pathways = pgTable('pathway', {
	id: id(),
	code: text().notNull().unique(),
	name: text().notNull(),
	kind: text({ enum: pathwayKinds }).notNull(),
	quorumRule: jsonb().$type<QuorumRule>().notNull(),
	submissionDeadlineHours: integer().notNull().default(48),
	freshnessDays: integer().notNull().default(90),
	defaultDurationMinutes: integer().notNull().default(90),
	defaultCaseMinutes: integer().notNull().default(10),
	presenceGraceSeconds: integer().notNull().default(120),
	active: boolean().notNull().default(true),
	area: text({ enum: pathwayAreas }).notNull().default('oncology_organ'),
	rcpType: text({ enum: rcpTypes }).notNull().default('standard'),
	recoursCategory: text({ enum: recoursCategories }),
	organ: text({ enum: organs }),
	cellTherapyAuthorised: boolean().notNull().default(false),
	clinicalForm: text({ enum: clinicalForms }).notNull().default('oncology_organ'),
	archivedAt: instant(),
	/** Bumped by every edit: a form based on an older version is refused (no lost update). */
	version: integer().notNull().default(1),
	createdAt: createdAt()
});

export const pathwayEstablishments = pgTable(
	'pathway_establishment',
	{
		pathwayId: text()
			.notNull()
			.references(() => pathways.id, { onDelete: 'cascade' }),
		establishmentId: text()
			.notNull()
			.references(() => establishments.id),
		createdAt: createdAt()
	},
	(t) => [
		primaryKey({ columns: [t.pathwayId, t.establishmentId] }),
		index('pathway_establishment_establishment_idx').on(t.establishmentId)
	]
);
