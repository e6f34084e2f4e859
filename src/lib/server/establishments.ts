import { asc, eq } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { getDb, queryOne, transaction } from './db';
import { establishments } from './db/schema';

export type EstablishmentRow = typeof establishments.$inferSelect;
export type EstablishmentInput = Omit<EstablishmentRow, 'id' | 'createdAt' | 'version'>;

export async function listEstablishments(): Promise<EstablishmentRow[]> {
	return await getDb().select().from(establishments).orderBy(asc(establishments.name));
}

export async function saveEstablishment(
	id: string | null,
	input: EstablishmentInput,
	audit: AuditContext
): Promise<{ ok: true; id: string } | { ok: false; field: string; message: string }> {
	const db = getDb();
	return transaction(
		db,
		async (
			tx
		): Promise<{ ok: true; id: string } | { ok: false; field: string; message: string }> => {
			const clash = await queryOne(
				tx
					.select({ id: establishments.id })
					.from(establishments)
					.where(eq(establishments.finess, input.finess))
			);
			if (clash && clash.id !== id)
				return {
					ok: false as const,
					field: 'finess',
					message: 'Un établissement porte déjà ce numéro FINESS.'
				};
			if (input.legalEntityId !== null) {
				const parent = await queryOne(
					tx
						.select({ id: establishments.id, level: establishments.level })
						.from(establishments)
						.where(eq(establishments.id, input.legalEntityId))
				);
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
			if (id) await tx.update(establishments).set(input).where(eq(establishments.id, id));
			else await tx.insert(establishments).values({ ...input, id: targetId });
			await recordAudit(
				audit,
				{
					action: id ? 'establishment.update' : 'establishment.create',
					objectType: 'establishment',
					objectId: targetId
				},
				tx
			);
			return { ok: true as const, id: targetId };
		}
	);
}
