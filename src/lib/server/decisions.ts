import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import {
	checkAmendment,
	checkDecisionContent,
	checkDraftRevision,
	checkExpectedOutcome,
	conformityLabels,
	decisionStatusLabels,
	decideValidationOutcome,
	hasErrors,
	isSameContent,
	listMailRecipients,
	normalizeDecisionContent,
	planDecisionEdit,
	type DecisionContent,
	type DecisionErrors,
	type DeliveryChannel,
	type ExpectedOutcome
} from '$lib/domain/decision';
import { labelDeliveryStatus } from '$lib/domain/mailbox';
import { getProposalTypeLabel, type PathwayKind } from '$lib/domain/pathways';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import { describeQuorum, evaluateQuorum } from '$lib/domain/quorum';
import { formatParisTime } from '$lib/domain/schedule';
import { listPresentAttendance, listQuorumAttendees, listQuorumOpinions } from './attendance';
import { recordAudit, type AuditContext } from './audit';
import { canReadDecision, type Actor } from './auth/access';
import { changeCaseStatus, recordCaseEvent, type CaseRow } from './cases';
import { getFhirConfig } from './config';
import { getDb, type DbOrTx, type Tx } from './db';
import {
	cases,
	decisions,
	invitations,
	meetings,
	pathways,
	users,
	type AttendeeSnapshot
} from './db/schema';
import { groupAttendeesBySpecialty } from './delivery/document-data';
import { enqueueDeliveries, listDecisionDeliveries, type OutboxRow } from './delivery/outbox';
import { listDeliveriesKeptInPluri } from './mailbox';
import { prepareDecisionPdf } from './delivery/pdf-store';
import { wakeDeliveryWorker } from './delivery/worker';
import { publishMeetingEvent } from './live/bus';
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

export function getLatestDecision(caseId: string, tx: DbOrTx = getDb()): DecisionRow | undefined {
	return tx
		.select()
		.from(decisions)
		.where(eq(decisions.caseId, caseId))
		.orderBy(desc(decisions.version))
		.limit(1)
		.get();
}

export function listDecisionVersions(caseId: string, tx: DbOrTx = getDb()): DecisionRow[] {
	return tx
		.select()
		.from(decisions)
		.where(eq(decisions.caseId, caseId))
		.orderBy(desc(decisions.version))
		.all();
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

type Refusal = Extract<DecisionWriteResult, { ok: false }>;

/** The case on this meeting's agenda, the meeting open: the facts a write during the meeting needs. */
function loadWriteContext(tx: Tx, caseId: string, meetingId: string): WriteContext | Refusal {
	const c = tx.select().from(cases).where(eq(cases.id, caseId)).get();
	if (!c || c.meetingId !== meetingId) {
		return {
			ok: false,
			code: 'not_found',
			message: 'Ce dossier n’est pas à l’ordre du jour de cette séance.'
		};
	}
	const meeting = tx.select().from(meetings).where(eq(meetings.id, meetingId)).get()!;
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
	const pathway = tx.select().from(pathways).where(eq(pathways.id, c.pathwayId)).get()!;
	return { c, meeting, kind: pathway.kind as PathwayKind, quorumRule: pathway.quorumRule };
}

function isRefusal(x: WriteContext | Refusal): x is Refusal {
	return 'ok' in x;
}

/** A case typed about is being presented. */
function markPresented(tx: Tx, c: CaseRow, actorId: string | null, now: Date): CaseRow {
	if (c.status !== 'scheduled') return c;
	changeCaseStatus(
		tx,
		c,
		'presented',
		{ actorId, kind: 'presented', meetingId: c.meetingId },
		{},
		now
	);
	return { ...c, status: 'presented' };
}

function lockedMessage(tx: Tx, latest: DecisionRow, fallback: string): string {
	if (latest.status !== 'validated' || !latest.validatedBy || !latest.validatedAt) return fallback;
	const who = tx.select().from(users).where(eq(users.id, latest.validatedBy)).get();
	return `Cette proposition a déjà été validée${who ? ` par ${formatPersonName(who)}` : ''} à ${formatParisTime(latest.validatedAt)} : elle ne peut plus être modifiée que par un amendement motivé.`;
}

/** Saves what the chair has typed so far (autosave, or the « Enregistrer » button without JavaScript). */
export function saveDecisionDraft(
	caseId: string,
	meetingId: string,
	input: DecisionContent,
	audit: AuditContext,
	now: Date = new Date(),
	basedOnRevision: number | null = null
): DecisionWriteResult {
	const result = getDb().transaction(
		(tx): DecisionWriteResult => {
			const ctx = loadWriteContext(tx, caseId, meetingId);
			if (isRefusal(ctx)) return ctx;
			const errors = checkDecisionContent(ctx.kind, input, 'draft');
			if (hasErrors(errors)) {
				return {
					ok: false,
					code: 'invalid',
					message: 'La proposition contient des erreurs.',
					errors
				};
			}
			const latest = getLatestDecision(caseId, tx);
			const plan = planDecisionEdit(latest ?? null, meetingId);
			if (plan.kind === 'locked') {
				return {
					ok: false,
					code: 'conflict',
					message: latest ? lockedMessage(tx, latest, plan.message) : plan.message
				};
			}
			const revision = checkDraftRevision(
				plan.kind === 'update' ? latest!.draftRevision : null,
				basedOnRevision
			);
			if (!revision.ok) {
				return {
					ok: false,
					code: 'stale',
					message: revision.message,
					revision: latest!.draftRevision
				};
			}
			markPresented(tx, ctx.c, audit.actorId, now);
			const content = normalizeDecisionContent(input);
			let decisionId: string;
			if (plan.kind === 'update') {
				decisionId = latest!.id;
				tx.update(decisions)
					.set({
						...content,
						draftRevision: revision.next,
						updatedBy: audit.actorId,
						updatedAt: now
					})
					.where(and(eq(decisions.id, decisionId), eq(decisions.status, 'draft')))
					.run();
			} else {
				decisionId = crypto.randomUUID();
				tx.insert(decisions)
					.values({
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
					})
					.run();
			}
			recordAudit(
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
				ok: true,
				decisionId,
				version: plan.version,
				status: 'draft',
				at: now,
				revision: revision.next
			};
		},
		{ behavior: 'immediate' }
	);
	if (result.ok) publishMeetingEvent(meetingId, { type: 'decision', caseId });
	return result;
}

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
export function previewValidation(
	caseId: string,
	meetingId: string,
	now: Date = new Date(),
	input: DecisionContent | null = null
): ValidationPreview | Refusal {
	return getDb().transaction((tx) => {
		const ctx = loadWriteContext(tx, caseId, meetingId);
		if (isRefusal(ctx)) return ctx;
		const latest = getLatestDecision(caseId, tx);
		const plan = planDecisionEdit(latest ?? null, meetingId);
		if (plan.kind === 'locked') {
			return {
				ok: false as const,
				code: 'conflict' as const,
				message: latest ? lockedMessage(tx, latest, plan.message) : plan.message
			};
		}
		const quorum = evaluateQuorum(
			ctx.quorumRule,
			listQuorumAttendees(meetingId, tx, now),
			listQuorumOpinions(caseId, tx)
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
function snapshotAttendees(tx: Tx, meetingId: string, now: Date): AttendeeSnapshot[] {
	const present = listPresentAttendance(meetingId, tx, now);
	const ids = present.map((a) => a.userId).filter((id): id is string => id !== null);
	const rpps = new Map(
		ids.length
			? tx
					.select({ id: users.id, rpps: users.rpps })
					.from(users)
					.where(inArray(users.id, ids))
					.all()
					.map((u) => [u.id, u.rpps])
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
function planDeliveryTargets(
	tx: Tx,
	c: CaseRow
): { channel: DeliveryChannel; recipient: string }[] {
	const targets: { channel: DeliveryChannel; recipient: string }[] = [];
	const fhir = getFhirConfig();
	if (fhir) targets.push({ channel: 'fhir', recipient: fhir.baseUrl });
	const requester = tx.select().from(users).where(eq(users.id, c.requesterId)).get();
	const invited = tx
		.select({
			guestEmail: invitations.guestEmail,
			mssante: users.mssanteAddress,
			email: users.email
		})
		.from(invitations)
		.leftJoin(users, eq(users.id, invitations.userId))
		.where(and(eq(invitations.caseId, c.id), isNull(invitations.revokedAt)))
		.orderBy(asc(invitations.createdAt))
		.all()
		.map((i) => i.guestEmail ?? i.mssante ?? i.email);
	const referring = c.referringEmail ?? requester?.mssanteAddress ?? requester?.email ?? null;
	const addresses = [referring, c.gpEmail, ...invited];
	for (const address of listMailRecipients(addresses)) {
		targets.push({ channel: 'mail', recipient: address });
	}
	return targets;
}

function afterValidation(
	meetingId: string | null,
	caseId: string,
	decisionId: string,
	deliver: boolean
): void {
	if (meetingId) publishMeetingEvent(meetingId, { type: 'decision', caseId });
	prepareDecisionPdf(decisionId);
	if (deliver) wakeDeliveryWorker();
}

/**
 * The chair validates. With quorum: the decision is final (locked), the case decided, its
 * deliveries queued. Without: a provisional opinion, the case deferred (closing the meeting
 * carries it to the next one). The content typed is kept even when the validation is refused.
 */
export function validateDecision(
	caseId: string,
	meetingId: string,
	input: DecisionContent,
	audit: AuditContext,
	now: Date = new Date(),
	confirm: { expected?: ExpectedOutcome | null; revision?: number | null } = {}
): DecisionWriteResult & { quorumReached?: boolean } {
	const result = getDb().transaction(
		(tx): DecisionWriteResult & { quorumReached?: boolean; deliver?: boolean } => {
			const ctx = loadWriteContext(tx, caseId, meetingId);
			if (isRefusal(ctx)) return ctx;
			const latest = getLatestDecision(caseId, tx);
			const plan = planDecisionEdit(latest ?? null, meetingId);
			if (plan.kind === 'locked') {
				return {
					ok: false,
					code: 'conflict',
					message: latest ? lockedMessage(tx, latest, plan.message) : plan.message
				};
			}
			const revision = checkDraftRevision(
				plan.kind === 'update' ? latest!.draftRevision : null,
				confirm.revision ?? null
			);
			if (!revision.ok) {
				return {
					ok: false,
					code: 'stale',
					message: revision.message,
					revision: latest!.draftRevision
				};
			}
			// Quorum at this instant, on the server: present, or disconnected within the grace period.
			const quorum = evaluateQuorum(
				ctx.quorumRule,
				listQuorumAttendees(meetingId, tx, now),
				listQuorumOpinions(caseId, tx)
			);
			const outcome = decideValidationOutcome(quorum.reached);
			const announced = checkExpectedOutcome(confirm.expected ?? null, outcome);
			if (!announced.ok) {
				return {
					ok: false,
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
			const c = markPresented(tx, ctx.c, audit.actorId, now);
			const decisionId = plan.kind === 'update' ? latest!.id : crypto.randomUUID();
			const fields = {
				...content,
				draftRevision: revision.next,
				updatedBy: audit.actorId,
				updatedAt: now
			};
			if (plan.kind === 'update') {
				tx.update(decisions).set(fields).where(eq(decisions.id, decisionId)).run();
			} else {
				tx.insert(decisions)
					.values({
						id: decisionId,
						caseId,
						meetingId,
						version: plan.version,
						status: 'draft',
						...fields,
						createdAt: now
					})
					.run();
			}
			if (hasErrors(errors)) {
				// The draft keeps what was typed; the chair completes it and validates again.
				return {
					ok: false,
					code: 'invalid',
					message: 'Complétez la proposition avant de la valider.',
					errors,
					revision: revision.next
				};
			}
			tx.update(decisions)
				.set({
					status: outcome.decisionStatus,
					quorumReached: quorum.reached,
					missingSpecialties: quorum.missingRequired,
					attendeesSnapshot: snapshotAttendees(tx, meetingId, now),
					validatedBy: audit.actorId,
					validatedAt: now
				})
				.where(and(eq(decisions.id, decisionId), eq(decisions.status, 'draft')))
				.run();
			changeCaseStatus(
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
			if (outcome.deliver) enqueueDeliveries(tx, decisionId, planDeliveryTargets(tx, c), now);
			recordAudit(
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
				ok: true,
				decisionId,
				version: plan.version,
				status: outcome.decisionStatus,
				at: now,
				revision: revision.next,
				quorumReached: quorum.reached,
				deliver: outcome.deliver
			};
		},
		{ behavior: 'immediate' }
	);
	if (!result.ok) {
		if (result.code === 'invalid') publishMeetingEvent(meetingId, { type: 'decision', caseId });
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

// ---------- reading ----------

export interface DecisionVersionView {
	row: DecisionRow;
	validatorName: string | null;
	deliveries: OutboxRow[];
	/** Outbox ids of the mails only kept in the Pluri mailbox (no outside server took them). */
	keptInPluri: ReadonlySet<string>;
}

/**
 * The versions of a case's decision the actor may read, newest first, with where each went;
 * the read is audited with the patient.
 */
export function readCaseDecisions(
	caseRow: CaseRow,
	ref: Parameters<typeof canReadDecision>[1],
	actor: Actor,
	audit: AuditContext
): DecisionVersionView[] {
	const db = getDb();
	const versions = listDecisionVersions(caseRow.id, db).filter((d) =>
		canReadDecision(actor, ref, d.status)
	);
	const deliveries = listDecisionDeliveries(
		versions.map((v) => v.id),
		db
	);
	const validatorIds = [
		...new Set(versions.map((v) => v.validatedBy).filter((x): x is string => !!x))
	];
	const names = new Map(
		validatorIds.length
			? db
					.select()
					.from(users)
					.where(inArray(users.id, validatorIds))
					.all()
					.map((u) => [u.id, formatPersonName(u)])
			: []
	);
	const keptInPluri = listDeliveriesKeptInPluri(deliveries);
	recordAudit(audit, {
		action: 'decision.read',
		objectType: 'rcp_case',
		objectId: caseRow.id,
		patientId: caseRow.patientId,
		detail: { versions: versions.map((v) => v.version) }
	});
	return versions.map((row) => ({
		row,
		validatorName: row.validatedBy ? (names.get(row.validatedBy) ?? null) : null,
		deliveries: deliveries.filter((o) => o.decisionId === row.id),
		keptInPluri
	}));
}

/** One version of a case's decision, by number (or the latest readable one). */
export function findDecisionVersion(
	caseId: string,
	version: number | null
): DecisionRow | undefined {
	const all = listDecisionVersions(caseId);
	if (version !== null) return all.find((d) => d.version === version);
	return all.find((d) => d.status === 'validated') ?? all[0];
}

/** Records that a fiche RCP left Pluri as a download. */
export function auditDecisionDownload(
	d: DecisionRow,
	patientId: string,
	audit: AuditContext
): void {
	recordAudit(audit, {
		action: 'decision.pdf',
		objectType: 'decision',
		objectId: d.id,
		patientId,
		detail: { caseId: d.caseId, version: d.version }
	});
}

// ---------- what the pages show ----------

export interface DeliveryView {
	id: string;
	channel: 'fhir' | 'mail';
	channelLabel: string;
	recipient: string;
	status: OutboxRow['status'];
	statusLabel: string;
	attempts: number;
	deliveredAt: Date | null;
	nextAttemptAt: Date;
	lastError: string | null;
}

export interface DecisionView {
	id: string;
	version: number;
	status: DecisionRow['status'];
	statusLabel: string;
	proposals: string[];
	text: string;
	conformityLabel: string | null;
	justification: string | null;
	trialProposed: boolean;
	trialName: string | null;
	followUp: string | null;
	quorumText: string;
	attendees: { specialty: string; names: string[] }[];
	validatedAt: Date | null;
	validatorName: string | null;
	amendReason: string | null;
	deliveries: DeliveryView[];
}

/** `keptInPluri`: the outbox ids of mails only kept in the Pluri mailbox (listDeliveriesKeptInPluri). */
export function toDeliveryView(
	o: OutboxRow,
	keptInPluri: ReadonlySet<string> = new Set()
): DeliveryView {
	return {
		id: o.id,
		channel: o.channel,
		channelLabel: o.channel === 'fhir' ? 'Dossier patient (FHIR)' : 'Messagerie sécurisée',
		recipient: o.recipient,
		status: o.status,
		statusLabel: labelDeliveryStatus(o.status, keptInPluri.has(o.id)),
		attempts: o.attempts,
		deliveredAt: o.deliveredAt,
		nextAttemptAt: o.nextAttemptAt,
		lastError: o.lastError
	};
}

export function toDecisionView(v: DecisionVersionView, kind: PathwayKind): DecisionView {
	const d = v.row;
	return {
		id: d.id,
		version: d.version,
		status: d.status,
		statusLabel: decisionStatusLabels[d.status],
		proposals: d.proposalTypes.map((p) => getProposalTypeLabel(kind, p)),
		text: d.text,
		conformityLabel: d.conformity ? conformityLabels[d.conformity] : null,
		justification: d.justification,
		trialProposed: d.trialProposed,
		trialName: d.trialName,
		followUp: d.followUp,
		quorumText:
			d.quorumReached === null
				? 'Quorum non évalué'
				: d.quorumReached
					? 'Quorum atteint'
					: `Quorum non atteint${d.missingSpecialties?.length ? ` (manque : ${d.missingSpecialties.map((s) => getSpecialtyLabel(s)).join(', ')})` : ''}`,
		attendees: groupAttendeesBySpecialty(d.attendeesSnapshot ?? []),
		validatedAt: d.validatedAt,
		validatorName: v.validatorName,
		amendReason: d.amendReason,
		deliveries: v.deliveries.map((o) => toDeliveryView(o, v.keptInPluri))
	};
}

export interface DecisionSummary {
	version: number;
	status: DecisionRow['status'];
	statusLabel: string;
	validatedAt: Date | null;
	deliveries: {
		total: number;
		delivered: number;
		/** Of the delivered ones, mails only kept in the Pluri mailbox. */
		keptInPluri: number;
		failed: number;
		lastDeliveredAt: Date | null;
	};
	/** Each recipient of this version and where its delivery stands. */
	recipients: {
		id: string;
		role: string;
		recipient: string;
		channelLabel: string;
		status: OutboxRow['status'];
		statusLabel: string;
		deliveredAt: Date | null;
	}[];
}

/** Who a delivery address is for this case, in the words of the case page. */
function describeRecipientRole(
	c: CaseRow | undefined,
	o: OutboxRow,
	guestEmails: string[]
): string {
	if (o.channel === 'fhir') return 'Dossier patient';
	const a = o.recipient.toLowerCase();
	if (c?.gpEmail?.toLowerCase() === a) return 'Médecin traitant';
	if (c?.referringEmail?.toLowerCase() === a) return 'Médecin adresseur';
	if (guestEmails.includes(a)) return 'Médecin invité au dossier (médecin traitant)';
	return 'Médecin demandeur';
}

/** The case page's « Proposition thérapeutique » section: the latest version the actor may read. */
export function summarizeCaseDecision(
	caseId: string,
	actor: Actor,
	ref: Parameters<typeof canReadDecision>[1]
): DecisionSummary | null {
	const latest = listDecisionVersions(caseId).find((d) => canReadDecision(actor, ref, d.status));
	if (!latest) return null;
	const rows = listDecisionDeliveries([latest.id]);
	const delivered = rows.filter((r) => r.status === 'delivered');
	const keptInPluri = listDeliveriesKeptInPluri(rows);
	const db = getDb();
	const c = db.select().from(cases).where(eq(cases.id, caseId)).get();
	const guestEmails = db
		.select({ email: invitations.guestEmail })
		.from(invitations)
		.where(eq(invitations.caseId, caseId))
		.all()
		.map((i) => i.email?.toLowerCase() ?? '');
	return {
		version: latest.version,
		status: latest.status,
		statusLabel: decisionStatusLabels[latest.status],
		validatedAt: latest.validatedAt,
		deliveries: {
			total: rows.length,
			delivered: delivered.length,
			keptInPluri: keptInPluri.size,
			failed: rows.filter((r) => r.status === 'failed').length,
			lastDeliveredAt: delivered.reduce<Date | null>(
				(last, r) => (r.deliveredAt && (!last || r.deliveredAt > last) ? r.deliveredAt : last),
				null
			)
		},
		recipients: rows.map((o) => ({
			id: o.id,
			role: describeRecipientRole(c, o, guestEmails),
			recipient: o.recipient,
			channelLabel: o.channel === 'fhir' ? 'Dossier patient (FHIR)' : 'Messagerie sécurisée',
			status: o.status,
			statusLabel: labelDeliveryStatus(o.status, keptInPluri.has(o.id)),
			deliveredAt: o.deliveredAt
		}))
	};
}
