/**
 * Is a case ready for its meeting? (issue §5) The checks a coordinator makes by hand before
 * the day: mandatory fields, the pathology and imaging documents, their age against the
 * pathway's freshness limit, the patient's identity status, and whether the specialties the
 * quorum and the case need have someone confirmed (accepted invitation or written opinion).
 */
import { listMissingCaseFields, type CaseFormKind } from './case-forms';
import { evaluateQuorum, type QuorumAttendee, type QuorumOpinion, type QuorumRule } from './quorum';
import { getSpecialtyLabel } from './specialties';

export type DocumentKind = 'pathology' | 'imaging' | 'biology' | 'report' | 'letter' | 'other';
export type IdentityStatus = 'provisional' | 'retrieved' | 'validated' | 'qualified';

export type CompletenessCode =
	'missing_field' | 'missing_document' | 'stale_document' | 'identity' | 'specialty';

export interface CompletenessIssue {
	code: CompletenessCode;
	message: string;
	/** The form field to fix, for missing fields. */
	field?: string;
}

export interface CompletenessInput {
	/** The case form (`getCaseFormKind(pathway)`): haematology has its own fields and documents. */
	kind: CaseFormKind;
	question: string;
	summary: string;
	data: Record<string, unknown>;
	hasIns: boolean;
	identityStatus: IdentityStatus;
	/** Each document's examination date (or upload date), YYYY-MM-DD. */
	documents: readonly { kind: string; date: string }[];
	/** The meeting's local date, or today's when the case has none yet (YYYY-MM-DD). */
	referenceDate: string;
	freshnessDays: number;
	quorumRule: QuorumRule | null;
	/** Doctors who accepted the meeting's invitation (the chair included). */
	confirmed: readonly QuorumAttendee[];
	opinions: readonly QuorumOpinion[];
	neededSpecialties: readonly string[];
}

export interface CompletenessResult {
	ready: boolean;
	issues: CompletenessIssue[];
}

export const documentKindLabels: Readonly<Record<DocumentKind, string>> = {
	pathology: 'Compte rendu d’anatomopathologie',
	imaging: 'Imagerie',
	biology: 'Biologie',
	report: 'Compte rendu (consultation, hospitalisation, opératoire)',
	letter: 'Courrier',
	other: 'Autre document'
};

/**
 * What the meeting must have seen: histological proof and imaging for cancer, recent biology
 * for a haemopathy (blood count, myelogram: a leukaemia has no biopsy nor staging imaging),
 * imaging (echocardiography) for heart failure.
 */
export function requiredDocumentKinds(kind: CaseFormKind): DocumentKind[] {
	if (kind === 'oncology') return ['pathology', 'imaging'];
	return kind === 'haematology' ? ['biology'] : ['imaging'];
}

// Imaging and biology go out of date; a pathology report stays the diagnosis.
const perishableKinds: readonly DocumentKind[] = ['imaging', 'biology'];

function dayNumber(date: string): number {
	const [y, m, d] = date.split('-').map(Number);
	return Math.floor(Date.UTC(y!, m! - 1, d!) / 86_400_000);
}

/** Days from `from` to `to` (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
	return dayNumber(to) - dayNumber(from);
}

const missingDocumentMessages: Readonly<Record<DocumentKind, string>> = {
	pathology: 'Aucun compte rendu d’anatomopathologie joint.',
	imaging: 'Aucune imagerie jointe.',
	biology: 'Aucune biologie jointe.',
	report: 'Aucun compte rendu joint.',
	letter: 'Aucun courrier joint.',
	other: 'Aucun document joint.'
};

/** The facts of the case itself, without its meeting's replies (see `checkCaseCompleteness`). */
export type CaseCompletenessInput = Pick<
	CompletenessInput,
	| 'kind'
	| 'question'
	| 'summary'
	| 'data'
	| 'hasIns'
	| 'identityStatus'
	| 'documents'
	| 'referenceDate'
	| 'freshnessDays'
>;

/**
 * What the case itself lacks: mandatory fields, required documents, their freshness and the
 * patient's identity. Nothing here depends on who replied to the meeting's invitations: those
 * are the meeting's problems (`checkMeetingReadiness`), shown once, not against every case.
 */
export function checkCaseCompleteness(input: CaseCompletenessInput): CompletenessResult {
	const issues: CompletenessIssue[] = [];

	for (const f of listMissingCaseFields(
		input.kind,
		{ question: input.question, summary: input.summary },
		input.data,
		'meeting'
	)) {
		issues.push({
			code: 'missing_field',
			field: f.name,
			message: `Champ à renseigner : ${f.label}.`
		});
	}

	for (const kind of requiredDocumentKinds(input.kind)) {
		if (!input.documents.some((d) => d.kind === kind)) {
			issues.push({ code: 'missing_document', message: missingDocumentMessages[kind] });
		}
	}

	for (const kind of perishableKinds) {
		const dates = input.documents.filter((d) => d.kind === kind).map((d) => d.date);
		if (!dates.length) continue;
		const latest = dates.reduce((a, b) => (a > b ? a : b));
		const age = daysBetween(latest, input.referenceDate);
		if (age > input.freshnessDays) {
			issues.push({
				code: 'stale_document',
				message: `${documentKindLabels[kind]} la plus récente datée de ${age} jours (limite de la filière : ${input.freshnessDays} jours).`
			});
		}
	}

	if (!input.hasIns) {
		issues.push({ code: 'identity', message: 'Matricule INS non renseigné.' });
	} else if (input.identityStatus !== 'validated' && input.identityStatus !== 'qualified') {
		issues.push({
			code: 'identity',
			message: `Identité INS non validée (${input.identityStatus === 'provisional' ? 'identité provisoire' : 'identité récupérée'}) : vérifiez une pièce d’identité.`
		});
	}

	return { ready: issues.length === 0, issues };
}

/** Specialty issues of one case against the confirmed team (the former per-case quorum check). */
function checkCaseSpecialties(input: CompletenessInput): CompletenessIssue[] {
	const issues: CompletenessIssue[] = [];
	if (input.quorumRule) {
		const quorum = evaluateQuorum(input.quorumRule, [...input.confirmed], [...input.opinions]);
		for (const s of quorum.missingRequired) {
			issues.push({
				code: 'specialty',
				message: `Quorum : aucun participant confirmé ni avis écrit en ${getSpecialtyLabel(s)}.`
			});
		}
		if (quorum.distinctCount < quorum.minDistinct) {
			issues.push({
				code: 'specialty',
				message: `Quorum : ${quorum.distinctCount} spécialité(s) confirmée(s) sur ${quorum.minDistinct} requises.`
			});
		}
	}
	const covered = new Set([
		...input.confirmed.map((a) => a.specialty),
		...input.opinions.map((o) => o.specialty)
	]);
	for (const s of input.neededSpecialties) {
		if (!covered.has(s)) {
			issues.push({
				code: 'specialty',
				message: `Spécialité demandée pour ce dossier sans participant confirmé : ${getSpecialtyLabel(s)}.`
			});
		}
	}
	return issues;
}

/**
 * The whole check of one case for its meeting: its own points and the quorum it would have with
 * the replies received so far. Pages show the two apart (`checkCaseCompleteness`,
 * `checkMeetingReadiness`); this union stays for callers wanting one verdict.
 */
export function checkCompleteness(input: CompletenessInput): CompletenessResult {
	const issues = [...checkCaseCompleteness(input).issues, ...checkCaseSpecialties(input)];
	return { ready: issues.length === 0, issues };
}

export type MeetingReadinessCode =
	'quorum_specialty' | 'quorum_count' | 'pending_replies' | 'needed_specialty';

export interface MeetingReadinessIssue {
	code: MeetingReadinessCode;
	message: string;
}

export interface MeetingReadinessInput {
	quorumRule: QuorumRule | null;
	/** Doctors who accepted the meeting's invitation (the chair included). */
	confirmed: readonly QuorumAttendee[];
	/** Live invitations still without a reply. */
	pendingReplies: number;
	/** Each case's requested specialties and its written opinions. */
	cases: readonly { neededSpecialties: readonly string[]; opinions: readonly QuorumOpinion[] }[];
}

export interface MeetingReadinessResult {
	ready: boolean;
	issues: MeetingReadinessIssue[];
}

/**
 * The meeting's own problems, said once for the whole agenda: the quorum among the doctors who
 * accepted, the invitations without a reply, and the specialties cases asked for that nobody
 * confirmed (nor covered by a written opinion on that case).
 */
export function checkMeetingReadiness(input: MeetingReadinessInput): MeetingReadinessResult {
	const issues: MeetingReadinessIssue[] = [];
	if (input.quorumRule) {
		const quorum = evaluateQuorum(input.quorumRule, [...input.confirmed], []);
		for (const s of quorum.missingRequired) {
			issues.push({
				code: 'quorum_specialty',
				message: `Quorum : aucun participant confirmé en ${getSpecialtyLabel(s)} (un avis écrit peut couvrir un dossier).`
			});
		}
		if (quorum.distinctCount < quorum.minDistinct) {
			issues.push({
				code: 'quorum_count',
				message: `Quorum : ${quorum.distinctCount} spécialité(s) confirmée(s) sur ${quorum.minDistinct} requises.`
			});
		}
	}
	if (input.pendingReplies > 0) {
		issues.push({
			code: 'pending_replies',
			message: `${input.pendingReplies} invitation${input.pendingReplies > 1 ? 's' : ''} sans réponse.`
		});
	}
	const confirmed = new Set(input.confirmed.filter((a) => !a.isGp).map((a) => a.specialty));
	const uncovered = new Map<string, number>();
	for (const c of input.cases) {
		const opinions = new Set(c.opinions.map((o) => o.specialty));
		for (const s of new Set(c.neededSpecialties)) {
			if (!confirmed.has(s) && !opinions.has(s)) uncovered.set(s, (uncovered.get(s) ?? 0) + 1);
		}
	}
	for (const [s, n] of uncovered) {
		issues.push({
			code: 'needed_specialty',
			message: `${getSpecialtyLabel(s)} demandée pour ${n} dossier${n > 1 ? 's' : ''}, sans participant confirmé.`
		});
	}
	return { ready: issues.length === 0, issues };
}

export interface CompletenessSummary {
	total: number;
	ready: number;
	/** How many cases have at least one issue of each kind. */
	casesByCode: Record<CompletenessCode, number>;
}

export const completenessCodeLabels: Readonly<Record<CompletenessCode, string>> = {
	missing_field: 'champs obligatoires manquants',
	missing_document: 'document d’anatomopathologie ou d’imagerie manquant',
	stale_document: 'documents trop anciens',
	identity: 'identité INS non validée',
	specialty: 'spécialité manquante pour le quorum'
};

export function summarizeCompleteness(results: readonly CompletenessResult[]): CompletenessSummary {
	const casesByCode: Record<CompletenessCode, number> = {
		missing_field: 0,
		missing_document: 0,
		stale_document: 0,
		identity: 0,
		specialty: 0
	};
	for (const r of results) {
		for (const code of new Set(r.issues.map((i) => i.code))) casesByCode[code]++;
	}
	return { total: results.length, ready: results.filter((r) => r.ready).length, casesByCode };
}
