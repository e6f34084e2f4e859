import { isProposalType, type PathwayKind } from './pathways';

/**
 * Rules of the therapeutic proposal (DESIGN §4): what a decision must hold to be validated,
 * how quorum turns a validation into a final decision or a provisional opinion, how versions
 * follow each other, and the keys that make its delivery idempotent.
 */

export type DecisionStatus = 'draft' | 'validated' | 'provisional' | 'superseded';
export type Conformity = 'conform' | 'off_guideline';
export type DeliveryChannel = 'fhir' | 'mail';

export interface DecisionContent {
	proposalTypes: string[];
	text: string;
	conformity: Conformity | null;
	justification: string | null;
	trialProposed: boolean;
	trialName: string | null;
	followUp: string | null;
}

export type DecisionErrors = Partial<Record<keyof DecisionContent | 'form', string>>;

export const DECISION_TEXT_MAX = 8000;
export const AMEND_REASON_MIN = 10;

export const conformityLabels: Readonly<Record<Conformity, string>> = Object.freeze({
	conform: 'Conforme au référentiel',
	off_guideline: 'Hors référentiel'
});

export const decisionStatusLabels: Readonly<Record<DecisionStatus, string>> = Object.freeze({
	draft: 'En cours de rédaction',
	validated: 'Validée',
	provisional: 'Avis provisoire (quorum non atteint)',
	superseded: 'Remplacée par un amendement'
});

/**
 * Checks a decision's content. A draft only has to be well formed (it is saved as the chair
 * types); a validation needs the proposal itself, the conformity — final decisions only, a
 * provisional opinion may leave it open — and the justification of an off-guideline proposal.
 */
export function checkDecisionContent(
	kind: PathwayKind,
	d: DecisionContent,
	purpose: 'draft' | 'final' | 'provisional'
): DecisionErrors {
	const errors: DecisionErrors = {};
	const unknown = d.proposalTypes.find((code) => !isProposalType(kind, code));
	if (unknown !== undefined)
		errors.proposalTypes = `Le type de proposition « ${unknown} » est inconnu pour cette filière.`;
	if (d.text.length > DECISION_TEXT_MAX) {
		errors.text = `La proposition ne doit pas dépasser ${DECISION_TEXT_MAX} caractères.`;
	}
	if (purpose === 'draft') return errors;

	if (!errors.proposalTypes && d.proposalTypes.length === 0) {
		errors.proposalTypes = 'Choisissez au moins un type de proposition.';
	}
	if (!errors.text && d.text.trim() === '') {
		errors.text = 'Rédigez la proposition thérapeutique.';
	}
	if (purpose === 'final' && d.conformity === null) {
		errors.conformity = 'Indiquez si la proposition est conforme au référentiel.';
	}
	if (d.conformity === 'off_guideline' && !d.justification?.trim()) {
		errors.justification = 'Justifiez une proposition hors référentiel.';
	}
	if (d.trialProposed && !d.trialName?.trim()) {
		errors.trialName = 'Indiquez l’essai clinique proposé.';
	}
	return errors;
}

export function hasErrors(errors: DecisionErrors): boolean {
	return Object.keys(errors).length > 0;
}

/** Drops what the content no longer needs (a justification of a conform proposal, a trial name without a trial). */
export function normalizeDecisionContent(d: DecisionContent): DecisionContent {
	return {
		proposalTypes: [...new Set(d.proposalTypes)],
		text: d.text.trim(),
		conformity: d.conformity,
		justification: d.conformity === 'off_guideline' ? d.justification?.trim() || null : null,
		trialProposed: d.trialProposed,
		trialName: d.trialProposed ? d.trialName?.trim() || null : null,
		followUp: d.followUp?.trim() || null
	};
}

export interface ValidationOutcome {
	decisionStatus: 'validated' | 'provisional';
	caseStatus: 'decided' | 'deferred';
	/** Only a final decision goes to the patient record and the doctors. */
	deliver: boolean;
}

/** Without quorum there is no final decision: a provisional opinion, the case re-presented. */
export function decideValidationOutcome(quorumReached: boolean): ValidationOutcome {
	return quorumReached
		? { decisionStatus: 'validated', caseStatus: 'decided', deliver: true }
		: { decisionStatus: 'provisional', caseStatus: 'deferred', deliver: false };
}

export type DraftRevisionCheck = { ok: true; next: number } | { ok: false; message: string };

/**
 * The version counter of a draft: each save bumps it, and a save based on another revision than
 * the stored one (a stale tab, a second chair typing) is refused rather than overwriting the
 * newer text. `basedOn` null means the writer does not track revisions (accepted).
 */
export function checkDraftRevision(
	stored: number | null,
	basedOn: number | null
): DraftRevisionCheck {
	if (stored === null) return { ok: true, next: 1 };
	if (basedOn === null || basedOn === stored) return { ok: true, next: stored + 1 };
	return {
		ok: false,
		message: `La proposition a été modifiée entre-temps (version de travail n° ${stored}) : votre saisie n’a pas été enregistrée pour ne pas écraser la plus récente. Votre texte reste dans le formulaire ; reprenez la version à jour avant d’enregistrer.`
	};
}

export type ExpectedOutcome = ValidationOutcome['decisionStatus'];

/**
 * The chair confirms what the screen announced (a decision, or a provisional opinion). When the
 * quorum changed in between (someone left for good), nothing is recorded and the new outcome is
 * shown for a fresh confirmation.
 */
export function checkExpectedOutcome(
	expected: ExpectedOutcome | null,
	actual: ValidationOutcome
): { ok: true } | { ok: false; message: string } {
	if (expected === null || expected === actual.decisionStatus) return { ok: true };
	return {
		ok: false,
		message:
			actual.decisionStatus === 'validated'
				? 'Le quorum est désormais atteint : la proposition peut être validée comme décision. Confirmez de nouveau.'
				: 'Le quorum n’est plus atteint : seul un avis provisoire peut être enregistré. Rien n’a été enregistré ; vérifiez et confirmez de nouveau.'
	};
}

/** What the chair may do with a case's decision given its latest version (or none yet). */
export type DecisionEditPlan =
	| { kind: 'create'; version: number }
	| { kind: 'update'; version: number }
	| { kind: 'locked'; message: string };

/**
 * Where the chair's typing goes. A draft is updated in place; a provisional opinion from an
 * earlier meeting stays as history and the case gets a new version; a validated decision is
 * locked and changes only through an amendment.
 */
export function planDecisionEdit(
	latest: { status: DecisionStatus; version: number; meetingId: string | null } | null,
	meetingId: string
): DecisionEditPlan {
	if (!latest) return { kind: 'create', version: 1 };
	switch (latest.status) {
		case 'draft':
			return { kind: 'update', version: latest.version };
		case 'provisional':
			if (latest.meetingId === meetingId) {
				return {
					kind: 'locked',
					message:
						'Un avis provisoire a déjà été enregistré pour ce dossier à cette séance : il sera rediscuté à la prochaine séance.'
				};
			}
			return { kind: 'create', version: latest.version + 1 };
		case 'validated':
		case 'superseded':
			return {
				kind: 'locked',
				message:
					'La proposition thérapeutique est déjà validée : elle ne peut plus être modifiée que par un amendement motivé.'
			};
	}
}

export type AmendmentCheck =
	{ ok: true; version: number } | { ok: false; field: 'reason' | 'form'; message: string };

/** An amendment replaces the validated version with version n + 1, for a stated reason. */
export function checkAmendment(
	latest: { status: DecisionStatus; version: number } | null,
	reason: string | null
): AmendmentCheck {
	if (!latest || latest.status !== 'validated') {
		return {
			ok: false,
			field: 'form',
			message: 'Seule une proposition validée peut être amendée.'
		};
	}
	const text = reason?.trim() ?? '';
	if (text.length < AMEND_REASON_MIN) {
		return {
			ok: false,
			field: 'reason',
			message: `Indiquez le motif de l’amendement (${AMEND_REASON_MIN} caractères au moins).`
		};
	}
	return { ok: true, version: latest.version + 1 };
}

/** True when the amendment changes nothing a reader would see. */
export function isSameContent(a: DecisionContent, b: DecisionContent): boolean {
	const na = normalizeDecisionContent(a);
	const nb = normalizeDecisionContent(b);
	return (
		na.text === nb.text &&
		na.conformity === nb.conformity &&
		na.justification === nb.justification &&
		na.trialProposed === nb.trialProposed &&
		na.trialName === nb.trialName &&
		na.followUp === nb.followUp &&
		[...na.proposalTypes].sort().join() === [...nb.proposalTypes].sort().join()
	);
}

// ---------- delivery ----------

/** System of the identifier each decision version carries in the patient record (a URN). */
export const DECISION_IDENTIFIER_SYSTEM = 'urn:ietf:rfc:3986';

export function decisionVersionIdentifier(decisionId: string): string {
	return `urn:uuid:${decisionId}`;
}

/** One outbox row per (decision version, channel, recipient): the same triple always gives the same key. */
export function deriveDeliveryKey(
	decisionId: string,
	channel: DeliveryChannel,
	recipient: string
): string {
	return `${decisionId}:${channel}:${recipient.trim().toLowerCase()}`;
}

/** Distinct mail recipients, case-insensitively, keeping the first spelling. */
export function listMailRecipients(addresses: readonly (string | null | undefined)[]): string[] {
	const seen = new Set<string>();
	const out: string[] = [];
	for (const a of addresses) {
		const address = a?.trim();
		if (!address || seen.has(address.toLowerCase())) continue;
		seen.add(address.toLowerCase());
		out.push(address);
	}
	return out;
}

export interface BackoffPolicy {
	baseMs: number;
	capMs: number;
	maxAttempts: number;
}

export const defaultBackoff: BackoffPolicy = Object.freeze({
	baseMs: 15_000,
	capMs: 30 * 60_000,
	maxAttempts: 8
});

/**
 * Delay before attempt `attempts + 1`: exponential, capped, with "equal jitter" (half fixed,
 * half random) so rows failed together do not come back together. `random` is in [0, 1).
 */
export function computeRetryDelay(
	attempts: number,
	random: number,
	policy: BackoffPolicy = defaultBackoff
): number {
	const exp = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
	return Math.round(exp / 2 + (exp / 2) * Math.min(Math.max(random, 0), 0.999999));
}

export type SendResult =
	| { kind: 'delivered'; remoteId: string | null; note?: string }
	| { kind: 'retry'; error: string }
	| { kind: 'failed'; error: string };

export type NextOutboxState =
	| { status: 'delivered'; remoteId: string | null }
	| { status: 'pending'; nextAttemptAt: Date; lastError: string }
	| { status: 'failed'; lastError: string };

/** What a row becomes after a send: delivered, retried later, or failed for good after the last attempt. */
export function nextOutboxState(
	result: SendResult,
	attempts: number,
	now: Date,
	random: number,
	policy: BackoffPolicy = defaultBackoff
): NextOutboxState {
	if (result.kind === 'delivered') return { status: 'delivered', remoteId: result.remoteId };
	if (result.kind === 'failed') return { status: 'failed', lastError: result.error };
	if (attempts >= policy.maxAttempts) {
		return {
			status: 'failed',
			lastError: `${result.error} (abandon après ${attempts} tentatives)`
		};
	}
	return {
		status: 'pending',
		nextAttemptAt: new Date(now.getTime() + computeRetryDelay(attempts, random, policy)),
		lastError: result.error
	};
}

/**
 * Whether the coordinator's « Relancer » applies: a row failed for good, or one waiting for a
 * later attempt after an error (the record is back up: no need to wait for the backoff).
 */
export function isRelaunchable(
	row: {
		status: 'pending' | 'sending' | 'delivered' | 'failed';
		lastError: string | null;
		nextAttemptAt: Date;
	},
	now: Date
): boolean {
	if (row.status === 'failed') return true;
	return row.status === 'pending' && row.lastError !== null && row.nextAttemptAt > now;
}
