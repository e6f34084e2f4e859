import { and, asc, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { describeCaseData, getCaseFormKind } from '$lib/domain/case-forms';
import { conformityLabels, type Conformity, type DecisionStatus } from '$lib/domain/decision';
import { getProposalTypeLabel, type PathwayKind } from '$lib/domain/pathways';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import { formatTnm } from '$lib/domain/tnm';
import { getDb, type DbOrTx, queryOne } from '../db';
import {
	cases,
	decisions,
	establishments,
	invitations,
	meetings,
	pathways,
	patients,
	users,
	type AttendeeSnapshot
} from '../db/schema';
import { formatPersonName } from '../users';

/**
 * Everything the fiche RCP, the FHIR document and the mail say about one decision version, read
 * once and shared by the three. Built from the stored decision (its attendees and quorum are the
 * snapshot taken at validation), so a resend says exactly what the first send said.
 */
export interface DecisionDocumentData {
	decision: {
		id: string;
		version: number;
		status: DecisionStatus;
		proposals: { code: string; label: string }[];
		text: string;
		conformity: Conformity | null;
		conformityLabel: string | null;
		justification: string | null;
		trialProposed: boolean;
		trialName: string | null;
		followUp: string | null;
		quorumReached: boolean | null;
		missingSpecialties: string[];
		attendees: AttendeeSnapshot[];
		validatedAt: Date | null;
		amendReason: string | null;
		amendsId: string | null;
	};
	validator: Person | null;
	chair: Person | null;
	caseInfo: {
		id: string;
		question: string;
		summary: string;
		tnm: string;
		facts: { label: string; value: string }[];
		referringName: string | null;
		gpName: string | null;
		/** The pathway form's values as stored (the CDA codes them). */
		pathwayData: Record<string, unknown>;
	};
	patient: {
		id: string;
		birthName: string;
		firstNames: string[];
		sex: 'F' | 'M' | 'I';
		birthDate: string;
		birthplaceCode: string | null;
		insMatricule: string | null;
		insOid: string | null;
		identityStatus: 'provisional' | 'retrieved' | 'validated' | 'qualified';
	};
	meeting: { id: string; startsAt: Date; endsAt: Date; place: string } | null;
	pathway: { id: string; code: string; name: string; kind: PathwayKind };
	establishment: { name: string; finess: string; city: string; kind: string } | null;
	requester: { name: string; address: string };
}

export interface Person {
	id: string;
	name: string;
	title: string | null;
	firstName: string;
	lastName: string;
	rpps: string | null;
	specialty: string | null;
}

type UserRow = typeof users.$inferSelect;

function toPerson(u: UserRow | undefined): Person | null {
	return u
		? {
				id: u.id,
				name: formatPersonName(u),
				title: u.title,
				firstName: u.firstName,
				lastName: u.lastName,
				rpps: u.rpps,
				specialty: u.specialty
			}
		: null;
}

export async function loadDecisionDocumentData(
	decisionId: string,
	tx: DbOrTx = getDb()
): Promise<DecisionDocumentData | null> {
	// One query for the decision and what it hangs on: this runs for every delivery batch.
	const row = await queryOne(
		tx
			.select({ d: decisions, c: cases, patient: patients, pathway: pathways, meeting: meetings })
			.from(decisions)
			.innerJoin(cases, eq(cases.id, decisions.caseId))
			.innerJoin(patients, eq(patients.id, cases.patientId))
			.innerJoin(pathways, eq(pathways.id, cases.pathwayId))
			.leftJoin(
				meetings,
				eq(meetings.id, sql`coalesce(${decisions.meetingId}, ${cases.meetingId})`)
			)
			.where(eq(decisions.id, decisionId))
	);
	if (!row) return null;
	const { d, c, patient, pathway } = row;
	const meeting = row.meeting ?? undefined;
	const ids = [d.validatedBy, meeting?.chairId, c.requesterId].filter((x): x is string => !!x);
	const people = new Map(
		(await tx.select().from(users).where(inArray(users.id, ids))).map((u) => [u.id, u])
	);
	const validator = d.validatedBy ? people.get(d.validatedBy) : undefined;
	const chairRow = meeting?.chairId ? people.get(meeting.chairId) : undefined;
	const requester = people.get(c.requesterId);
	// The establishment that holds the meeting: the chair's (the validator's when they stand in).
	const estId = (chairRow ?? validator)?.establishmentId;
	const est = estId
		? await queryOne(tx.select().from(establishments).where(eq(establishments.id, estId)))
		: undefined;
	const kind = pathway.kind as PathwayKind;
	const data = c.pathwayData;
	const tnm = kind === 'oncology' ? formatTnm(data as Record<string, string>) : '';
	// The TNM fields are already said by the stage line.
	const tnmFields = new Set(tnm ? ['cT', 'cN', 'cM', 'pT', 'pN'] : []);
	return {
		decision: {
			id: d.id,
			version: d.version,
			status: d.status,
			proposals: d.proposalTypes.map((code) => ({
				code,
				label: getProposalTypeLabel(kind, code)
			})),
			text: d.text,
			conformity: d.conformity,
			conformityLabel: d.conformity ? conformityLabels[d.conformity] : null,
			justification: d.justification,
			trialProposed: d.trialProposed,
			trialName: d.trialName,
			followUp: d.followUp,
			quorumReached: d.quorumReached,
			missingSpecialties: d.missingSpecialties ?? [],
			attendees: d.attendeesSnapshot ?? [],
			validatedAt: d.validatedAt,
			amendReason: d.amendReason,
			amendsId: d.amendsId
		},
		validator: toPerson(validator),
		chair: toPerson(chairRow ?? validator),
		caseInfo: {
			id: c.id,
			question: c.question,
			summary: c.summary,
			tnm,
			facts: describeCaseData(getCaseFormKind(pathway), data)
				.filter((f) => !tnmFields.has(f.name))
				.map(({ label, value }) => ({ label, value })),
			referringName: c.referringName,
			gpName: c.gpName ?? (await findCaseGuestName(c.id, c.referringEmail, tx)),
			pathwayData: (data ?? {}) as Record<string, unknown>
		},
		patient: {
			id: patient.id,
			birthName: patient.birthName,
			firstNames: patient.firstNames,
			sex: patient.sex,
			birthDate: patient.birthDate,
			birthplaceCode: patient.birthplaceCode,
			insMatricule: patient.insMatricule,
			insOid: patient.insOid,
			identityStatus: patient.identityStatus
		},
		meeting: meeting
			? { id: meeting.id, startsAt: meeting.startsAt, endsAt: meeting.endsAt, place: meeting.place }
			: null,
		pathway: { id: pathway.id, code: pathway.code, name: pathway.name, kind },
		establishment: est
			? { name: est.name, finess: est.finess, city: est.city, kind: est.kind }
			: null,
		requester: {
			name: requester ? formatPersonName(requester) : '—',
			address: requester ? (requester.mssanteAddress ?? requester.email) : ''
		}
	};
}

/** « Quorum atteint » or what was missing, in the words of the fiche. */
export function describeStoredQuorum(d: DecisionDocumentData['decision']): string {
	if (d.quorumReached === null) return 'Quorum non évalué';
	if (d.quorumReached) return 'Quorum atteint';
	const missing = d.missingSpecialties.map((s) => getSpecialtyLabel(s));
	return missing.length
		? `Quorum non atteint (manque : ${missing.join(', ')})`
		: 'Quorum non atteint (nombre de spécialités insuffisant)';
}

/** Attendees grouped by specialty, in the order they are listed. */
export function groupAttendeesBySpecialty(
	attendees: readonly AttendeeSnapshot[]
): { specialty: string; names: string[] }[] {
	const groups = new Map<string, string[]>();
	for (const a of attendees) {
		const label = a.specialty ? getSpecialtyLabel(a.specialty) : 'Invité(e)';
		groups.set(label, [...(groups.get(label) ?? []), a.name]);
	}
	return [...groups].map(([specialty, names]) => ({ specialty, names }));
}

/** « DURAND Jean Michel, né le 12/03/1954 » */
export function describePatientIdentity(p: DecisionDocumentData['patient']): string {
	const born = p.sex === 'F' ? 'née' : p.sex === 'M' ? 'né' : 'né(e)';
	return `${p.birthName} ${p.firstNames.join(' ')}, ${born} le ${p.birthDate.split('-').reverse().join('/')}`;
}

/**
 * The médecin traitant when the case names none: the outside doctor invited to this case (the
 * GP in practice; the referring doctor, when invited, is told apart by address).
 */
async function findCaseGuestName(
	caseId: string,
	referringEmail: string | null,
	tx: DbOrTx
): Promise<string | null> {
	const rows = await tx
		.select({ name: invitations.guestName, email: invitations.guestEmail })
		.from(invitations)
		.where(
			and(
				eq(invitations.caseId, caseId),
				isNull(invitations.revokedAt),
				isNotNull(invitations.guestName)
			)
		)
		.orderBy(asc(invitations.createdAt));
	const gp = rows.find(
		(r) => !referringEmail || r.email?.toLowerCase() !== referringEmail.toLowerCase()
	);
	return gp?.name ?? null;
}
