import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { QuorumRule } from '../../../domain/quorum';
import {
	clinicalForms,
	organs,
	pathwayAreas,
	rcpTypes,
	recoursCategories
} from '../../../domain/rcp-types';
import { createdAt, id, instant } from './columns';
import { establishments } from './establishments';

/** The form family (oncology, heart failure) that cases, decisions and the fiche use. */
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
	/** A participant who drops off the video keeps counting for the quorum this long. */
	presenceGraceSeconds: integer().notNull().default(120),
	active: integer({ mode: 'boolean' }).notNull().default(true),
	/** INCa 2023 profile (domain/rcp-types.ts); `kind` stays the form family the cases use. */
	area: text({ enum: pathwayAreas }).notNull().default('oncology_organ'),
	rcpType: text({ enum: rcpTypes }).notNull().default('standard'),
	recoursCategory: text({ enum: recoursCategories }),
	organ: text({ enum: organs }),
	cellTherapyAuthorised: integer({ mode: 'boolean' }).notNull().default(false),
	clinicalForm: text({ enum: clinicalForms }).notNull().default('oncology_organ'),
	archivedAt: instant(),
	/** Bumped by every edit: a form based on an older version is refused (no lost update). */
	version: integer().notNull().default(1),
	createdAt: createdAt()
});

/** The establishment(s) organising an RCP. */
export const pathwayEstablishments = sqliteTable(
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
