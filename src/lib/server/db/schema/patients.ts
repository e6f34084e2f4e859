import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, id, instant } from './columns';
import { users } from './users';

export const identityStatuses = ['provisional', 'retrieved', 'validated', 'qualified'] as const;
export const sexes = ['F', 'M', 'I'] as const;

export const patients = sqliteTable(
	'patient',
	{
		id: id(),
		insMatricule: text().unique(),
		insOid: text(),
		birthName: text().notNull(),
		/** Birth first names, in order, as the identity document lists them. */
		firstNames: text({ mode: 'json' }).$type<string[]>().notNull(),
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
