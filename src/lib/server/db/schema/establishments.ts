import { type AnySQLiteColumn, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id } from './columns';

export const establishmentKinds = ['hospital', 'clinic', 'health_centre', 'practice'] as const;

export const establishmentLevels = ['legal_entity', 'site'] as const;

export const establishments = sqliteTable('establishment', {
	id: id(),
	finess: text().notNull().unique(),
	name: text().notNull(),
	city: text().notNull(),
	kind: text({ enum: establishmentKinds }).notNull(),
	/** FINESS juridique (legal entity) or FINESS géographique (site). */
	level: text({ enum: establishmentLevels }).notNull().default('legal_entity'),
	/** For a site: the legal entity it belongs to, when known. */
	legalEntityId: text().references((): AnySQLiteColumn => establishments.id),
	/** Bumped by every edit: a form based on an older version is refused (no lost update). */
	version: integer().notNull().default(1),
	createdAt: createdAt()
});
