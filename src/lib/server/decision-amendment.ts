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
import { getDb } from './db';
import { cases, decisions, pathways } from './db/schema';
import { getLatestDecision, toDecisionContent, type DecisionWriteResult } from './decisions';
import { enqueueDeliveries } from './delivery/outbox';
import { afterValidation, planDeliveryTargets } from './decision-validation';

/**
 * Amends a validated decision: version n + 1, validated, replacing n (kept, marked superseded),
 * with its reason; the attendees and quorum stay those of the meeting. Delivered again.
 */
export function amendDecision(
	caseId: string,
	input: DecisionContent,
	reason: string | null,
	audit: AuditContext,
	now: Date = new Date()
): DecisionWriteResult {
	const result = getDb().transaction(
		(tx): DecisionWriteResult => {
			const c = tx.select().from(cases).where(eq(cases.id, caseId)).get();
			if (!c) return { ok: false, code: 'not_found', message: 'Ce dossier n’existe pas.' };
			const latest = getLatestDecision(caseId, tx);
			const check = checkAmendment(latest ?? null, reason);
			if (!check.ok) {
				return {
					ok: false,
					code: check.field === 'form' ? 'conflict' : 'invalid',
					message: check.message,
					errors: check.field === 'reason' ? { form: check.message } : undefined
				};
			}
			const pathway = tx.select().from(pathways).where(eq(pathways.id, c.pathwayId)).get()!;
			const errors = checkDecisionContent(pathway.kind as PathwayKind, input, 'final');
			if (hasErrors(errors)) {
				return { ok: false, code: 'invalid', message: 'Complétez la proposition amendée.', errors };
			}
			if (isSameContent(input, toDecisionContent(latest!))) {
				return {
					ok: false,
					code: 'invalid',
					message: 'L’amendement ne change rien à la proposition validée.'
				};
			}
			const prev = latest!;
			const decisionId = crypto.randomUUID();
			const superseded = tx
				.update(decisions)
				.set({ status: 'superseded', updatedAt: now })
				.where(and(eq(decisions.id, prev.id), eq(decisions.status, 'validated')))
				.run().changes;
			if (!superseded) {
				return {
					ok: false,
					code: 'conflict',
					message: 'La proposition a changé entre-temps : rechargez la page.'
				};
			}
			tx.insert(decisions)
				.values({
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
				})
				.run();
			recordCaseEvent(tx, {
				caseId,
				actorId: audit.actorId,
				kind: 'amended',
				fromStatus: c.status,
				toStatus: c.status,
				meetingId: prev.meetingId,
				note: `Version ${check.version} : ${reason!.trim()}`,
				at: now
			});
			enqueueDeliveries(tx, decisionId, planDeliveryTargets(tx, c), now);
			recordAudit(
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
				ok: true,
				decisionId,
				version: check.version,
				status: 'validated',
				at: now,
				revision: 0
			};
		},
		{ behavior: 'immediate' }
	);
	if (result.ok) {
		const meetingId = getDb()
			.select({ m: decisions.meetingId })
			.from(decisions)
			.where(eq(decisions.id, result.decisionId))
			.get()?.m;
		afterValidation(meetingId ?? null, caseId, result.decisionId, true);
	}
	return result;
}
