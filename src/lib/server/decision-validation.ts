// Validating a decision: quorum re-evaluated at that instant, preview, attendees snapshot, deliveries planned.
import {
	checkDecisionContent,
	checkDraftRevision,
	checkExpectedOutcome,
	decideValidationOutcome,
	hasErrors,
	listMailRecipients,
	normalizeDecisionContent,
	planDecisionEdit,
	type DecisionContent,
	type DeliveryChannel,
	type ExpectedOutcome
} from '$lib/domain/decision';
import { describeQuorum, evaluateQuorum } from '$lib/domain/quorum';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { listPresentAttendance, listQuorumAttendees, listQuorumOpinions } from './attendance';
import { recordAudit, type AuditContext } from './audit';
import { changeCaseStatus, type CaseRow } from './cases';
import { getFhirConfig } from './config';
import { getDb, type Tx, transaction, queryOne } from './db';
import { decisions, invitations, users, type AttendeeSnapshot } from './db/schema';
import {
	getLatestDecision,
	isRefusal,
	loadWriteContext,
	lockedMessage,
	markPresented,
	type DecisionWriteResult,
	type Refusal,
	type ValidationPreview
} from './decisions';
import { enqueueDeliveries } from './delivery/outbox';
import { announceDecision } from './decision-events';

function toPreview(
	quorum: ReturnType<typeof evaluateQuorum>,
	outcome: ReturnType<typeof decideValidationOutcome>
): ValidationPreview {
	return {
		outcome: outcome.decisionStatus,
		quorumReached: quorum.reached,
		quorumText: describeQuorum(quorum),
		missing: quorum.missingRequired.map((c) => getSpecialtyLabel(c))
	};
}

/**
 * What a validation would record at this instant (quorum evaluated on the server with the
 * presence grace period), shown to the chair before confirming. Writes nothing.
 */
export async function previewValidation(
	caseId: string,
	meetingId: string,
	now: Date = new Date(),
	input: DecisionContent | null = null
): Promise<ValidationPreview | Refusal> {
	return transaction(getDb(), async (tx): Promise<ValidationPreview | Refusal> => {
		const ctx = await loadWriteContext(tx, caseId, meetingId);
		if (isRefusal(ctx)) return ctx;
		const latest = await getLatestDecision(caseId, tx);
		const plan = planDecisionEdit(latest ?? null, meetingId);
		if (plan.kind === 'locked') {
			return {
				ok: false as const,
				code: 'conflict' as const,
				message: latest ? await lockedMessage(tx, latest, plan.message) : plan.message
			};
		}
		const quorum = evaluateQuorum(
			ctx.quorumRule,
			await listQuorumAttendees(meetingId, tx, now),
			await listQuorumOpinions(caseId, tx)
		);
		const outcome = decideValidationOutcome(quorum.reached);
		if (input) {
			// What is missing for that outcome is said now, before the chair confirms.
			const errors = checkDecisionContent(
				ctx.kind,
				input,
				outcome.decisionStatus === 'validated' ? 'final' : 'provisional'
			);
			if (hasErrors(errors)) {
				return {
					ok: false as const,
					code: 'invalid' as const,
					message: 'Complétez la proposition avant de la valider.',
					errors,
					revision: latest?.draftRevision
				};
			}
		}
		return toPreview(quorum, outcome);
	});
}

export function isValidationRefusal(x: ValidationPreview | Refusal): x is Refusal {
	return 'ok' in x;
}

/** Who is in the room at validation, as the fiche will list them. */
async function snapshotAttendees(
	tx: Tx,
	meetingId: string,
	now: Date
): Promise<AttendeeSnapshot[]> {
	const present = await listPresentAttendance(meetingId, tx, now);
	const ids = present.map((a) => a.userId).filter((id): id is string => id !== null);
	const rpps = new Map(
		ids.length
			? (
					await tx
						.select({ id: users.id, rpps: users.rpps })
						.from(users)
						.where(inArray(users.id, ids))
				).map((u) => [u.id, u.rpps])
			: []
	);
	const seen = new Set<string>();
	const out: AttendeeSnapshot[] = [];
	for (const a of present) {
		const key = a.userId ?? a.invitationId ?? a.identity;
		if (seen.has(key)) continue;
		seen.add(key);
		out.push({
			name: a.displayName,
			specialty: a.specialty,
			sector: a.sector ?? (a.invitationId ? 'guest' : null),
			rpps: a.userId ? (rpps.get(a.userId) ?? null) : null,
			source: a.source
		});
	}
	return out.sort((x, y) => x.name.localeCompare(y.name, 'fr'));
}

/**
 * The record (when configured) and each doctor to mail: the referring doctor (or the requester),
 * the GP named on the case, and the doctors invited to this case (the GP as a guest or with an
 * account). One row per address.
 */
export async function planDeliveryTargets(
	tx: Tx,
	c: CaseRow
): Promise<{ channel: DeliveryChannel; recipient: string }[]> {
	const targets: { channel: DeliveryChannel; recipient: string }[] = [];
	const fhir = getFhirConfig();
	if (fhir) targets.push({ channel: 'fhir', recipient: fhir.baseUrl });
	const requester = await queryOne(tx.select().from(users).where(eq(users.id, c.requesterId)));
	const invited = (
		await tx
			.select({
				guestEmail: invitations.guestEmail,
				mssante: users.mssanteAddress,
				email: users.email
			})
			.from(invitations)
			.leftJoin(users, eq(users.id, invitations.userId))
			.where(and(eq(invitations.caseId, c.id), isNull(invitations.revokedAt)))
			.orderBy(asc(invitations.createdAt))
	).map((i) => i.guestEmail ?? i.mssante ?? i.email);
	const referring = c.referringEmail ?? requester?.mssanteAddress ?? requester?.email ?? null;
	const addresses = [referring, c.gpEmail, ...invited];
	for (const address of listMailRecipients(addresses)) {
		targets.push({ channel: 'mail', recipient: address });
	}
	return targets;
}

/** Announces a validated or amended decision (the live meeting and the deliveries react). */
export function afterValidation(
	meetingId: string | null,
	caseId: string,
	decisionId: string,
	deliver: boolean
): void {
	announceDecision({ kind: 'recorded', meetingId, caseId, decisionId, deliver });
}

/**
 * The chair validates. With quorum: the decision is final (locked), the case decided, its
 * deliveries queued. Without: a provisional opinion, the case deferred (closing the meeting
 * carries it to the next one). The content typed is kept even when the validation is refused.
 */
export async function validateDecision(
	caseId: string,
	meetingId: string,
	input: DecisionContent,
	audit: AuditContext,
	now: Date = new Date(),
	confirm: { expected?: ExpectedOutcome | null; revision?: number | null } = {}
): Promise<DecisionWriteResult & { quorumReached?: boolean }> {
	const result = await transaction(
		getDb(),
		async (
			tx
		): Promise<
			Refusal | (DecisionWriteResult & { ok: true; quorumReached: boolean; deliver: boolean })
		> => {
			const ctx = await loadWriteContext(tx, caseId, meetingId);
			if (isRefusal(ctx)) return ctx;
			const latest = await getLatestDecision(caseId, tx);
			const plan = planDecisionEdit(latest ?? null, meetingId);
			if (plan.kind === 'locked') {
				return {
					ok: false as const,
					code: 'conflict',
					message: latest ? await lockedMessage(tx, latest, plan.message) : plan.message
				};
			}
			const revision = checkDraftRevision(
				plan.kind === 'update' ? latest!.draftRevision : null,
				confirm.revision ?? null
			);
			if (!revision.ok) {
				return {
					ok: false as const,
					code: 'stale',
					message: revision.message,
					revision: latest!.draftRevision
				};
			}
			// Quorum at this instant, on the server: present, or disconnected within the grace period.
			const quorum = evaluateQuorum(
				ctx.quorumRule,
				await listQuorumAttendees(meetingId, tx, now),
				await listQuorumOpinions(caseId, tx)
			);
			const outcome = decideValidationOutcome(quorum.reached);
			const announced = checkExpectedOutcome(confirm.expected ?? null, outcome);
			if (!announced.ok) {
				return {
					ok: false as const,
					code: 'changed',
					message: announced.message,
					preview: toPreview(quorum, outcome)
				};
			}
			const content = normalizeDecisionContent(input);
			const errors = checkDecisionContent(
				ctx.kind,
				input,
				outcome.decisionStatus === 'validated' ? 'final' : 'provisional'
			);
			const c = await markPresented(tx, ctx.c, audit.actorId, now);
			const decisionId = plan.kind === 'update' ? latest!.id : crypto.randomUUID();
			const fields = {
				...content,
				draftRevision: revision.next,
				updatedBy: audit.actorId,
				updatedAt: now
			};
			if (plan.kind === 'update') {
				await tx.update(decisions).set(fields).where(eq(decisions.id, decisionId));
			} else {
				await tx.insert(decisions).values({
					id: decisionId,
					caseId,
					meetingId,
					version: plan.version,
					status: 'draft',
					...fields,
					createdAt: now
				});
			}
			if (hasErrors(errors)) {
				// The draft keeps what was typed; the chair completes it and validates again.
				return {
					ok: false as const,
					code: 'invalid',
					message: 'Complétez la proposition avant de la valider.',
					errors,
					revision: revision.next
				};
			}
			await tx
				.update(decisions)
				.set({
					status: outcome.decisionStatus,
					quorumReached: quorum.reached,
					missingSpecialties: quorum.missingRequired,
					attendeesSnapshot: await snapshotAttendees(tx, meetingId, now),
					validatedBy: audit.actorId,
					validatedAt: now
				})
				.where(and(eq(decisions.id, decisionId), eq(decisions.status, 'draft')));
			await changeCaseStatus(
				tx,
				c,
				outcome.caseStatus,
				{
					actorId: audit.actorId,
					kind: outcome.caseStatus === 'decided' ? 'decided' : 'deferred',
					meetingId,
					note:
						outcome.caseStatus === 'decided'
							? null
							: 'Avis provisoire : quorum non atteint, dossier à représenter à la prochaine séance.'
				},
				{},
				now
			);
			if (outcome.deliver)
				await enqueueDeliveries(tx, decisionId, await planDeliveryTargets(tx, c), now);
			await recordAudit(
				audit,
				{
					action: outcome.deliver ? 'decision.validate' : 'decision.provisional',
					objectType: 'decision',
					objectId: decisionId,
					patientId: c.patientId,
					detail: { caseId, version: plan.version, quorumReached: quorum.reached }
				},
				tx
			);
			return {
				ok: true as const,
				decisionId,
				version: plan.version,
				status: outcome.decisionStatus,
				at: now,
				revision: revision.next,
				quorumReached: quorum.reached,
				deliver: outcome.deliver
			};
		}
	);
	if (!result.ok) {
		if (result.code === 'invalid') announceDecision({ kind: 'draft', meetingId, caseId });
		return result;
	}
	afterValidation(meetingId, caseId, result.decisionId, result.deliver === true);
	return {
		ok: true,
		decisionId: result.decisionId,
		version: result.version,
		status: result.status,
		at: result.at,
		revision: result.revision,
		quorumReached: result.quorumReached
	};
}
