import { type AnyPgColumn, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { establishmentKinds, establishmentLevels } from '../schema/establishments';
import { createdAt, id } from './columns';

export { establishmentKinds, establishmentLevels };

export const establishments = pgTable('establishment', {
	id: id(),
	finess: text().notNull().unique(),
	name: text().notNull(),
	city: text().notNull(),
	kind: text({ enum: establishmentKinds }).notNull(),
	level: text({ enum: establishmentLevels }).notNull().default('legal_entity'),
	legalEntityId: text().references((): AnyPgColumn => establishments.id),
	/** Bumped by every edit: a form based on an older version is refused (no lost update). */
	version: integer().notNull().default(1),
	createdAt: createdAt()
});
