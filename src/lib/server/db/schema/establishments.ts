import { sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id } from './columns';

export const establishmentKinds = ['hospital', 'clinic', 'health_centre', 'practice'] as const;

export const establishments = sqliteTable('establishment', {
	id: id(),
	finess: text().notNull().unique(),
	name: text().notNull(),
	city: text().notNull(),
	kind: text({ enum: establishmentKinds }).notNull(),
	createdAt: createdAt()
});
