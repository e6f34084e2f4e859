// What pages show of decisions: versions, deliveries, the case summary, download audit.
import { conformityLabels, decisionStatusLabels } from '$lib/domain/decision';
import { labelDeliveryStatus } from '$lib/domain/mailbox';
import { getProposalTypeLabel, type PathwayKind } from '$lib/domain/pathways';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import { eq, inArray } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { canReadDecision, type Actor } from './auth/access';
import { type CaseRow } from './cases';
import { getDb, queryOne } from './db';
import { cases, invitations, users } from './db/schema';
import { listDecisionVersions, type DecisionRow } from './decisions';
import { groupAttendeesBySpecialty } from './delivery/document-data';
import { listDecisionDeliveries, type OutboxRow } from './delivery/outbox';
import { listDeliveriesKeptInPluri } from './mailbox';
import { formatPersonName } from './users';

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
export async function readCaseDecisions(
	caseRow: CaseRow,
	ref: Parameters<typeof canReadDecision>[1],
	actor: Actor,
	audit: AuditContext
): Promise<DecisionVersionView[]> {
	const db = getDb();
	const versions = (await listDecisionVersions(caseRow.id, db)).filter((d) =>
		canReadDecision(actor, ref, d.status)
	);
	const deliveries = await listDecisionDeliveries(
		versions.map((v) => v.id),
		db
	);
	const validatorIds = [
		...new Set(versions.map((v) => v.validatedBy).filter((x): x is string => !!x))
	];
	const names = new Map(
		validatorIds.length
			? (await db.select().from(users).where(inArray(users.id, validatorIds))).map((u) => [
					u.id,
					formatPersonName(u)
				])
			: []
	);
	const keptInPluri = await listDeliveriesKeptInPluri(deliveries);
	await recordAudit(audit, {
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
export async function findDecisionVersion(
	caseId: string,
	version: number | null
): Promise<DecisionRow | undefined> {
	const all = await listDecisionVersions(caseId);
	if (version !== null) return all.find((d) => d.version === version);
	return all.find((d) => d.status === 'validated') ?? all[0];
}

/** Records that a fiche RCP left Pluri as a download. */
export async function auditDecisionDownload(
	d: DecisionRow,
	patientId: string,
	audit: AuditContext
): Promise<void> {
	await recordAudit(audit, {
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
export async function summarizeCaseDecision(
	caseId: string,
	actor: Actor,
	ref: Parameters<typeof canReadDecision>[1]
): Promise<DecisionSummary | null> {
	const latest = (await listDecisionVersions(caseId)).find((d) =>
		canReadDecision(actor, ref, d.status)
	);
	if (!latest) return null;
	const rows = await listDecisionDeliveries([latest.id]);
	const delivered = rows.filter((r) => r.status === 'delivered');
	const keptInPluri = await listDeliveriesKeptInPluri(rows);
	const db = getDb();
	const c = await queryOne(db.select().from(cases).where(eq(cases.id, caseId)));
	const guestEmails = (
		await db
			.select({ email: invitations.guestEmail })
			.from(invitations)
			.where(eq(invitations.caseId, caseId))
	).map((i) => i.email?.toLowerCase() ?? '');
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
