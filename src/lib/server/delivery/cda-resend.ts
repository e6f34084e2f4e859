import { and, eq, isNotNull } from 'drizzle-orm';
import { recordAudit, type AuditContext } from '../audit';
import { getDb, queryOne, affectedRows, transaction } from '../db';
import { cases, decisions, outbox } from '../db/schema';
import { listFicheCdaBlockers } from './cda';
import { loadDecisionDocumentData } from './document-data';
import type { RetryResult } from './outbox';

/**
 * « Renvoyer avec la fiche CDA »: once the coordinator has fixed what held the Fiche RCP back
 * (qualified the identity, completed the TNM…), a delivered row that went without it leaves
 * again, this time with the CDA. Refused, with what is still missing, while the volet's
 * requirements are not met: an invalid CDA is never sent.
 */
export async function resendWithCda(
	outboxId: string,
	pathwayId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<RetryResult> {
	const db = getDb();
	const row = await queryOne(
		db
			.select({ o: outbox, pathwayId: cases.pathwayId, patientId: cases.patientId })
			.from(outbox)
			.innerJoin(decisions, eq(decisions.id, outbox.decisionId))
			.innerJoin(cases, eq(cases.id, decisions.caseId))
			.where(eq(outbox.id, outboxId))
	);
	if (!row || row.pathwayId !== pathwayId) return { ok: false, message: 'Cet envoi n’existe pas.' };
	if (row.o.status !== 'delivered' || !row.o.cdaWithheld) {
		return { ok: false, message: 'Cet envoi ne manque pas de fiche CDA.' };
	}
	const data = await loadDecisionDocumentData(row.o.decisionId);
	const blockers = data ? listFicheCdaBlockers(data) : ['La décision est introuvable.'];
	if (blockers.length) {
		return {
			ok: false,
			message: `La fiche CDA ne peut toujours pas être produite : ${blockers.join(' ')} Complétez d’abord le dossier (« Compléter pour le DMP ») ; un RPPS ou un FINESS manquant est corrigé par l’administrateur.`
		};
	}
	return transaction(db, async (tx): Promise<RetryResult> => {
		const changed = affectedRows(
			await tx
				.update(outbox)
				.set({
					status: 'pending',
					attempts: 0,
					nextAttemptAt: now,
					claimedBy: null,
					claimedUntil: null
				})
				.where(
					and(
						eq(outbox.id, outboxId),
						eq(outbox.status, 'delivered'),
						isNotNull(outbox.cdaWithheld)
					)
				)
		);
		if (!changed) return { ok: false as const, message: 'Cet envoi est déjà en cours.' };
		await recordAudit(
			audit,
			{
				action: 'delivery.resend_with_cda',
				objectType: 'outbox',
				objectId: outboxId,
				patientId: row.patientId,
				detail: { channel: row.o.channel, recipient: row.o.recipient }
			},
			tx
		);
		return { ok: true as const };
	});
}
