import { asc, eq } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { getDb } from './db';
import { establishments } from './db/schema';

export type EstablishmentRow = typeof establishments.$inferSelect;
export type EstablishmentInput = Omit<EstablishmentRow, 'id' | 'createdAt'>;

export function listEstablishments(): EstablishmentRow[] {
	return getDb().select().from(establishments).orderBy(asc(establishments.name)).all();
}

export function saveEstablishment(
	id: string | null,
	input: EstablishmentInput,
	audit: AuditContext
): { ok: true; id: string } | { ok: false; field: string; message: string } {
	const db = getDb();
	return db.transaction(
		(tx) => {
			const clash = tx
				.select({ id: establishments.id })
				.from(establishments)
				.where(eq(establishments.finess, input.finess))
				.get();
			if (clash && clash.id !== id)
				return {
					ok: false as const,
					field: 'finess',
					message: 'Un établissement porte déjà ce numéro FINESS.'
				};
			if (input.legalEntityId !== null) {
				const parent = tx
					.select({ id: establishments.id, level: establishments.level })
					.from(establishments)
					.where(eq(establishments.id, input.legalEntityId))
					.get();
				if (!parent || parent.id === id || parent.level !== 'legal_entity')
					return {
						ok: false as const,
						field: 'legalEntityId',
						message: 'Choisissez une entité juridique du réseau.'
					};
			}
			if (input.level === 'legal_entity' && input.legalEntityId !== null)
				return {
					ok: false as const,
					field: 'legalEntityId',
					message:
						'Une entité juridique ne dépend pas d’une autre : choisissez « site » ou retirez-la.'
				};
			const targetId = id ?? crypto.randomUUID();
			if (id) tx.update(establishments).set(input).where(eq(establishments.id, id)).run();
			else
				tx.insert(establishments)
					.values({ ...input, id: targetId })
					.run();
			recordAudit(
				audit,
				{
					action: id ? 'establishment.update' : 'establishment.create',
					objectType: 'establishment',
					objectId: targetId
				},
				tx
			);
			return { ok: true as const, id: targetId };
		},
		{ behavior: 'immediate' }
	);
}
