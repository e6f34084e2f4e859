import {
	checkDecisionContent,
	checkDraftRevision,
	hasErrors,
	normalizeDecisionContent,
	planDecisionEdit,
	type DecisionContent,
	type DecisionErrors,
	type ExpectedOutcome
} from '$lib/domain/decision';
import { type PathwayKind } from '$lib/domain/pathways';
import { formatParisTime } from '$lib/domain/schedule';
import { and, desc, eq } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { changeCaseStatus, type CaseRow } from './cases';
import { getDb, type DbOrTx, type Tx, queryOne, transaction } from './db';
import { cases, decisions, meetings, pathways, users } from './db/schema';
import { announceDecision } from './decision-events';
import { formatPersonName } from './users';

/**
 * The decision of a case (DESIGN §4, §7): the draft the chair types during the meeting, its
 * validation under quorum (final decision, or provisional opinion and deferral), amendments as
 * new versions. Each write is one immediate transaction that re-reads the state first, so two
 * clicks or two chairs never make two decisions; the deliveries are queued in the same
 * transaction as the validation that calls for them.
 */

export type DecisionRow = typeof decisions.$inferSelect;

export type DecisionWriteResult =
	| {
			ok: true;
			decisionId: string;
			version: number;
			status: DecisionRow['status'];
			at: Date;
			/** The draft's version counter after this write. */
			revision: number;
	  }
	| {
			ok: false;
			/** stale: based on an older draft revision; changed: the quorum moved since the preview. */
			code: 'invalid' | 'conflict' | 'not_found' | 'stale' | 'changed';
			message: string;
			errors?: DecisionErrors;
			/** The stored draft revision, for a stale write. */
			revision?: number;
			/** What a validation would record now, when the announced outcome no longer holds. */
			preview?: ValidationPreview;
	  };

/** What validating now would record: the chair sees it before confirming. */
export interface ValidationPreview {
	outcome: ExpectedOutcome;
	quorumReached: boolean;
	quorumText: string;
	/** Labels of the required specialties missing (a provisional opinion names them). */
	missing: string[];
}

export async function getLatestDecision(
	caseId: string,
	tx: DbOrTx = getDb()
): Promise<DecisionRow | undefined> {
	return await queryOne(
		tx
			.select()
			.from(decisions)
			.where(eq(decisions.caseId, caseId))
			.orderBy(desc(decisions.version))
			.limit(1)
	);
}

export async function listDecisionVersions(
	caseId: string,
	tx: DbOrTx = getDb()
): Promise<DecisionRow[]> {
	return await tx
		.select()
		.from(decisions)
		.where(eq(decisions.caseId, caseId))
		.orderBy(desc(decisions.version));
}

export function toDecisionContent(d: DecisionRow): DecisionContent {
	return {
		proposalTypes: d.proposalTypes,
		text: d.text,
		conformity: d.conformity,
		justification: d.justification,
		trialProposed: d.trialProposed,
		trialName: d.trialName,
		followUp: d.followUp
	};
}

interface WriteContext {
	c: CaseRow;
	meeting: typeof meetings.$inferSelect;
	kind: PathwayKind;
	quorumRule: (typeof pathways.$inferSelect)['quorumRule'];
}

export type Refusal = Extract<DecisionWriteResult, { ok: false }>;

/** The case on this meeting's agenda, the meeting open: the facts a write during the meeting needs. */
export async function loadWriteContext(
	tx: Tx,
	caseId: string,
	meetingId: string
): Promise<WriteContext | Refusal> {
	const c = await queryOne(tx.select().from(cases).where(eq(cases.id, caseId)));
	if (!c || c.meetingId !== meetingId) {
		return {
			ok: false,
			code: 'not_found',
			message: 'Ce dossier n’est pas à l’ordre du jour de cette séance.'
		};
	}
	const meeting = (await queryOne(tx.select().from(meetings).where(eq(meetings.id, meetingId))))!;
	if (meeting.status !== 'open') {
		return {
			ok: false,
			code: 'conflict',
			message:
				meeting.status === 'scheduled'
					? 'La séance n’est pas encore ouverte : la proposition ne peut pas être rédigée.'
					: 'La séance est close : la proposition ne peut plus être rédigée ici.'
		};
	}
	if (!['scheduled', 'presented', 'decided', 'delivered', 'deferred'].includes(c.status)) {
		return {
			ok: false,
			code: 'conflict',
			message: 'Ce dossier ne peut pas recevoir de proposition.'
		};
	}
	const pathway = (await queryOne(tx.select().from(pathways).where(eq(pathways.id, c.pathwayId))))!;
	return { c, meeting, kind: pathway.kind as PathwayKind, quorumRule: pathway.quorumRule };
}

export function isRefusal(x: WriteContext | Refusal): x is Refusal {
	return 'ok' in x;
}

/** A case typed about is being presented. */
export async function markPresented(
	tx: Tx,
	c: CaseRow,
	actorId: string | null,
	now: Date
): Promise<CaseRow> {
	if (c.status !== 'scheduled') return c;
	await changeCaseStatus(
		tx,
		c,
		'presented',
		{ actorId, kind: 'presented', meetingId: c.meetingId },
		{},
		now
	);
	return { ...c, status: 'presented' };
}

export async function lockedMessage(
	tx: Tx,
	latest: DecisionRow,
	fallback: string
): Promise<string> {
	if (latest.status !== 'validated' || !latest.validatedBy || !latest.validatedAt) return fallback;
	const who = await queryOne(tx.select().from(users).where(eq(users.id, latest.validatedBy)));
	return `Cette proposition a déjà été validée${who ? ` par ${formatPersonName(who)}` : ''} à ${formatParisTime(latest.validatedAt)} : elle ne peut plus être modifiée que par un amendement motivé.`;
}

/** Saves what the chair has typed so far (autosave, or the « Enregistrer » button without JavaScript). */
export async function saveDecisionDraft(
	caseId: string,
	meetingId: string,
	input: DecisionContent,
	audit: AuditContext,
	now: Date = new Date(),
	basedOnRevision: number | null = null
): Promise<DecisionWriteResult> {
	const result = await transaction(getDb(), async (tx): Promise<DecisionWriteResult> => {
		const ctx = await loadWriteContext(tx, caseId, meetingId);
		if (isRefusal(ctx)) return ctx;
		const errors = checkDecisionContent(ctx.kind, input, 'draft');
		if (hasErrors(errors)) {
			return {
				ok: false as const,
				code: 'invalid',
				message: 'La proposition contient des erreurs.',
				errors
			};
		}
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
			basedOnRevision
		);
		if (!revision.ok) {
			return {
				ok: false as const,
				code: 'stale',
				message: revision.message,
				revision: latest!.draftRevision
			};
		}
		await markPresented(tx, ctx.c, audit.actorId, now);
		const content = normalizeDecisionContent(input);
		let decisionId: string;
		if (plan.kind === 'update') {
			decisionId = latest!.id;
			await tx
				.update(decisions)
				.set({
					...content,
					draftRevision: revision.next,
					updatedBy: audit.actorId,
					updatedAt: now
				})
				.where(and(eq(decisions.id, decisionId), eq(decisions.status, 'draft')));
		} else {
			decisionId = crypto.randomUUID();
			await tx.insert(decisions).values({
				id: decisionId,
				caseId,
				meetingId,
				version: plan.version,
				status: 'draft',
				...content,
				draftRevision: revision.next,
				updatedBy: audit.actorId,
				createdAt: now,
				updatedAt: now
			});
		}
		await recordAudit(
			audit,
			{
				action: 'decision.draft',
				objectType: 'decision',
				objectId: decisionId,
				patientId: ctx.c.patientId,
				detail: { caseId, version: plan.version }
			},
			tx
		);
		return {
			ok: true as const,
			decisionId,
			version: plan.version,
			status: 'draft',
			at: now,
			revision: revision.next
		};
	});
	if (result.ok) announceDecision({ kind: 'draft', meetingId, caseId });
	return result;
}

// ---------- reading ----------
// ---------- what the pages show ----------
