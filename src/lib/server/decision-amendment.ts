// Amending a validated decision: a new version that supersedes it and is delivered again.
import {
	checkAmendment,
	checkDecisionContent,
	hasErrors,
	isSameContent,
	normalizeDecisionContent,
	type DecisionContent
} from '$lib/domain/decision';
import { type PathwayKind } from '$lib/domain/pathways';
import { and, eq } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { recordCaseEvent } from './cases';
import { getDb, queryOne, affectedRows, transaction } from './db';
import { cases, decisions, pathways } from './db/schema';
import { getLatestDecision, toDecisionContent, type DecisionWriteResult } from './decisions';
import { enqueueDeliveries } from './delivery/outbox';
import { afterValidation, planDeliveryTargets } from './decision-validation';

/**
 * Amends a validated decision: version n + 1, validated, replacing n (kept, marked superseded),
 * with its reason; the attendees and quorum stay those of the meeting. Delivered again.
 */
export async function amendDecision(
	caseId: string,
	input: DecisionContent,
	reason: string | null,
	audit: AuditContext,
	now: Date = new Date()
): Promise<DecisionWriteResult> {
	const result = await transaction(getDb(), async (tx): Promise<DecisionWriteResult> => {
		const c = await queryOne(tx.select().from(cases).where(eq(cases.id, caseId)));
		if (!c) return { ok: false as const, code: 'not_found', message: 'Ce dossier n’existe pas.' };
		const latest = await getLatestDecision(caseId, tx);
		const check = checkAmendment(latest ?? null, reason);
		if (!check.ok) {
			return {
				ok: false as const,
				code: check.field === 'form' ? 'conflict' : 'invalid',
				message: check.message,
				errors: check.field === 'reason' ? { form: check.message } : undefined
			};
		}
		const pathway = (await queryOne(
			tx.select().from(pathways).where(eq(pathways.id, c.pathwayId))
		))!;
		const errors = checkDecisionContent(pathway.kind as PathwayKind, input, 'final');
		if (hasErrors(errors)) {
			return {
				ok: false as const,
				code: 'invalid',
				message: 'Complétez la proposition amendée.',
				errors
			};
		}
		if (isSameContent(input, toDecisionContent(latest!))) {
			return {
				ok: false as const,
				code: 'invalid',
				message: 'L’amendement ne change rien à la proposition validée.'
			};
		}
		const prev = latest!;
		const decisionId = crypto.randomUUID();
		const superseded = affectedRows(
			await tx
				.update(decisions)
				.set({ status: 'superseded', updatedAt: now })
				.where(and(eq(decisions.id, prev.id), eq(decisions.status, 'validated')))
		);
		if (!superseded) {
			return {
				ok: false as const,
				code: 'conflict',
				message: 'La proposition a changé entre-temps : rechargez la page.'
			};
		}
		await tx.insert(decisions).values({
			id: decisionId,
			caseId,
			meetingId: prev.meetingId,
			version: check.version,
			status: 'validated',
			...normalizeDecisionContent(input),
			quorumReached: prev.quorumReached,
			missingSpecialties: prev.missingSpecialties,
			attendeesSnapshot: prev.attendeesSnapshot,
			validatedBy: audit.actorId,
			validatedAt: now,
			amendsId: prev.id,
			amendReason: reason!.trim(),
			updatedBy: audit.actorId,
			createdAt: now,
			updatedAt: now
		});
		await recordCaseEvent(tx, {
			caseId,
			actorId: audit.actorId,
			kind: 'amended',
			fromStatus: c.status,
			toStatus: c.status,
			meetingId: prev.meetingId,
			note: `Version ${check.version} : ${reason!.trim()}`,
			at: now
		});
		await enqueueDeliveries(tx, decisionId, await planDeliveryTargets(tx, c), now);
		await recordAudit(
			audit,
			{
				action: 'decision.amend',
				objectType: 'decision',
				objectId: decisionId,
				patientId: c.patientId,
				detail: { caseId, version: check.version, amends: prev.id, reason: reason!.trim() }
			},
			tx
		);
		return {
			ok: true as const,
			decisionId,
			version: check.version,
			status: 'validated',
			at: now,
			revision: 0
		};
	});
	if (result.ok) {
		const meetingId = (
			await queryOne(
				getDb()
					.select({ m: decisions.meetingId })
					.from(decisions)
					.where(eq(decisions.id, result.decisionId))
			)
		)?.m;
		afterValidation(meetingId ?? null, caseId, result.decisionId, true);
	}
	return result;
}
