import { index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { identityStatuses, sexes } from '../schema/patients';
import { createdAt, id, instant } from './columns';
import { users } from './users';

export { identityStatuses, sexes };

export const patients = pgTable(
	'patient',
	{
		id: id(),
		insMatricule: text().unique(),
		insOid: text(),
		birthName: text().notNull(),
		firstNames: jsonb().$type<string[]>().notNull(),
		usedName: text(),
		usedFirstName: text(),
		sex: text({ enum: sexes }).notNull(),
		birthDate: text().notNull(),
		birthplaceCode: text(),
		identityStatus: text({ enum: identityStatuses }).notNull().default('provisional'),
		createdBy: text().references(() => users.id),
		createdAt: createdAt(),
		updatedAt: instant()
	},
	(t) => [index('patient_traits_idx').on(t.birthName, t.birthDate)]
);
