import { and, desc, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { describeCaseData, getCaseFormKind, type CaseFormKind } from '$lib/domain/case-forms';
import { computeGuestSlot, type GuestSlot } from '$lib/domain/live-agenda';
import type { PathwayKind } from '$lib/domain/pathways';
import { getProposalTypeLabel } from '$lib/domain/pathways';
import { describeQuorum, evaluateQuorum, type QuorumResult } from '$lib/domain/quorum';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import {
	canChairMeeting,
	canCheckInAttendees,
	canCoordinate,
	canRunMeeting,
	canViewCase,
	canViewDecision,
	type Actor,
	type CaseRef,
	type MeetingRef
} from '../auth/access';
import { listPresence, listQuorumAttendees, listQuorumOpinions } from '../attendance';
import type { CaseRow } from '../cases';
import { listMeetingCases } from '../cases';
import { getLivekitConfig } from '../config';
import { getDb, type DbOrTx, queryOne } from '../db';
import {
	decisions,
	documents,
	invitations,
	meetings,
	pathways,
	patients,
	users
} from '../db/schema';
import { toMeetingRef, type MeetingRow } from '../meetings';
import { listCaseOpinions } from '../opinions';
import { describePatient } from '../patients';
import { formatPersonName } from '../users';
import { handKeyOf, listRaisedHands } from './hands';

/**
 * The live meeting as the server holds it (current case, its material, presence and quorum),
 * and what each participant may see of it. One snapshot is read per change and shared by every
 * viewer; the view is cut from it per viewer by the access policy, so a guest gets only its
 * own case and a member only the cases they may see.
 */

export interface LiveDocument {
	id: string;
	fileName: string;
	contentType: string;
	kind: string;
}

export interface LiveCaseDetail {
	caseId: string;
	position: number;
	patient: string;
	question: string;
	summary: string;
	facts: { label: string; value: string }[];
	estimatedMinutes: number;
	status: string;
	documents: LiveDocument[];
	opinions: { authorName: string; specialty: string; text: string }[];
	decision: LiveDecision | null;
}

/** The latest version of the current case's decision: the draft as the chair types it. */
export interface LiveDecision {
	version: number;
	status: string;
	/** The draft's version counter: the chair's next save must be based on it. */
	revision: number;
	/** Labels, for readers. */
	proposals: string[];
	/** Codes, for the chair's form. */
	proposalTypes: string[];
	text: string;
	conformity: string | null;
	justification: string | null;
	trialProposed: boolean;
	trialName: string | null;
	followUp: string | null;
	updatedAt: string | null;
	/** Written at this meeting (a provisional opinion of an earlier one starts a new version). */
	sameMeeting: boolean;
}

export interface LiveAgendaItem {
	caseId: string;
	position: number;
	label: string;
	status: string;
	isCurrent: boolean;
}

export interface LivePresence {
	id: string;
	identity: string;
	name: string;
	specialty: string | null;
	source: 'webhook' | 'check_in';
	isGuest: boolean;
	/** Disconnected from the video, still counted until then (ISO time). */
	graceUntil: string | null;
}

export interface LiveQuorum {
	reached: boolean;
	text: string;
	present: string[];
	byOpinion: string[];
	missing: string[];
	missingCount: number;
	distinctCount: number;
	minDistinct: number;
}

export type LiveGuestSlot = GuestSlot;

/** A raised hand as the chair sees it (ISO time). */
export interface LiveHand {
	key: string;
	name: string;
	specialty: string | null;
	raisedAt: string;
}

export type LiveRole = 'chair' | 'coordinator' | 'member' | 'guest';

export interface LiveView {
	meetingId: string;
	status: MeetingRow['status'];
	pathwayName: string;
	startsAt: string;
	openedAt: string | null;
	chairName: string | null;
	role: LiveRole;
	canRun: boolean;
	canCheckIn: boolean;
	/** Video is configured on this server (LIVEKIT_URL, key and secret). */
	video: boolean;
	total: number;
	currentPosition: number | null;
	currentStartedAt: string | null;
	agenda: LiveAgendaItem[];
	current: LiveCaseDetail | null;
	guest: LiveGuestSlot | null;
	presence: LivePresence[];
	quorum: LiveQuorum | null;
	/** The viewer's own hand is raised. */
	handRaised: boolean;
	/** Every raised hand in the order raised: the chair's list only (empty for others). */
	raisedHands: LiveHand[];
	serverNow: string;
}

interface AgendaEntry {
	row: CaseRow;
	ref: CaseRef;
	label: string;
}

export interface LiveSnapshot {
	meeting: MeetingRow;
	ref: MeetingRef;
	pathwayName: string;
	chairName: string | null;
	agenda: AgendaEntry[];
	currentIndex: number;
	current: LiveCaseDetail | null;
	decisionStatus: string | null;
	presence: LivePresence[];
	quorum: LiveQuorum;
	hands: LiveHand[];
	video: boolean;
	readAt: Date;
}

function toLiveQuorum(result: QuorumResult): LiveQuorum {
	return {
		reached: result.reached,
		text: describeQuorum(result),
		present: result.presentSpecialties.map((c) => getSpecialtyLabel(c)),
		byOpinion: result.coveredByOpinion.map((c) => getSpecialtyLabel(c)),
		missing: result.missingRequired.map((c) => getSpecialtyLabel(c)),
		missingCount: result.missingCount,
		distinctCount: result.distinctCount,
		minDistinct: result.minDistinct
	};
}

async function readCurrentCase(
	entry: AgendaEntry,
	position: number,
	kind: PathwayKind,
	form: CaseFormKind,
	defaultMinutes: number,
	tx: DbOrTx
): Promise<{ detail: LiveCaseDetail; decisionStatus: string | null }> {
	const c = entry.row;
	const patient = await queryOne(tx.select().from(patients).where(eq(patients.id, c.patientId)));
	const docs = await tx
		.select()
		.from(documents)
		.where(eq(documents.caseId, c.id))
		.orderBy(documents.uploadedAt);
	const decision = await queryOne(
		tx
			.select()
			.from(decisions)
			.where(eq(decisions.caseId, c.id))
			.orderBy(desc(decisions.version))
			.limit(1)
	);
	return {
		detail: {
			caseId: c.id,
			position,
			patient: patient ? describePatient(patient) : '—',
			question: c.question,
			summary: c.summary,
			facts: describeCaseData(form, c.pathwayData).map(({ label, value }) => ({ label, value })),
			estimatedMinutes: c.estimatedMinutes ?? defaultMinutes,
			status: c.status,
			documents: docs.map((d) => ({
				id: d.id,
				fileName: d.fileName,
				contentType: d.contentType,
				kind: d.kind
			})),
			opinions: (await listCaseOpinions(c.id, tx)).map((o) => ({
				authorName: o.authorName,
				specialty: getSpecialtyLabel(o.specialty),
				text: o.text
			})),
			decision: decision
				? {
						version: decision.version,
						status: decision.status,
						revision: decision.draftRevision,
						proposals: decision.proposalTypes.map((p) => getProposalTypeLabel(kind, p)),
						proposalTypes: decision.proposalTypes,
						text: decision.text,
						conformity: decision.conformity,
						justification: decision.justification,
						trialProposed: decision.trialProposed,
						trialName: decision.trialName,
						followUp: decision.followUp,
						updatedAt: decision.updatedAt?.toISOString() ?? null,
						sameMeeting: decision.meetingId === c.meetingId
					}
				: null
		},
		decisionStatus: decision?.status ?? null
	};
}

/** Users invited to each case of the list (case-scoped invitations), in one query. */
async function caseInvitees(caseIds: string[], tx: DbOrTx): Promise<Map<string, string[]>> {
	const map = new Map<string, string[]>();
	if (!caseIds.length) return map;
	const rows = await tx
		.select({ caseId: invitations.caseId, userId: invitations.userId })
		.from(invitations)
		.where(
			and(
				inArray(invitations.caseId, caseIds),
				isNull(invitations.revokedAt),
				isNotNull(invitations.userId)
			)
		);
	for (const r of rows) map.set(r.caseId!, [...(map.get(r.caseId!) ?? []), r.userId!]);
	return map;
}

export async function readLiveSnapshot(
	meetingId: string,
	tx: DbOrTx = getDb()
): Promise<LiveSnapshot | null> {
	const meeting = await queryOne(tx.select().from(meetings).where(eq(meetings.id, meetingId)));
	if (!meeting) return null;
	const ref = await toMeetingRef(meeting, tx);
	const pathway = (await queryOne(
		tx.select().from(pathways).where(eq(pathways.id, meeting.pathwayId))
	))!;
	const chair = meeting.chairId
		? await queryOne(tx.select().from(users).where(eq(users.id, meeting.chairId)))
		: undefined;
	const rows = await listMeetingCases(meetingId, tx);
	const invitees = await caseInvitees(
		rows.map((r) => r.id),
		tx
	);
	const patientRows = rows.length
		? await tx
				.select({
					id: patients.id,
					birthName: patients.birthName,
					firstNames: patients.firstNames,
					birthDate: patients.birthDate
				})
				.from(patients)
				.where(inArray(patients.id, [...new Set(rows.map((r) => r.patientId))]))
		: [];
	const patientById = new Map(patientRows.map((p) => [p.id, p]));
	const agenda: AgendaEntry[] = rows.map((row) => {
		const p = patientById.get(row.patientId);
		return {
			row,
			ref: {
				id: row.id,
				pathwayId: row.pathwayId,
				requesterId: row.requesterId,
				presenterId: row.presenterId,
				status: row.status,
				meeting: ref,
				caseInviteeIds: invitees.get(row.id) ?? []
			},
			label: p ? `${p.birthName} ${p.firstNames[0] ?? ''} (${p.birthDate.slice(0, 4)})` : '—'
		};
	});
	const currentIndex = meeting.currentCaseId
		? agenda.findIndex((e) => e.row.id === meeting.currentCaseId)
		: -1;
	const currentEntry = agenda[currentIndex];
	const current = currentEntry
		? await readCurrentCase(
				currentEntry,
				currentIndex + 1,
				pathway.kind as PathwayKind,
				getCaseFormKind(pathway),
				pathway.defaultCaseMinutes,
				tx
			)
		: null;
	const quorum = evaluateQuorum(
		pathway.quorumRule,
		await listQuorumAttendees(meetingId, tx),
		currentEntry ? await listQuorumOpinions(currentEntry.row.id, tx) : []
	);
	return {
		meeting,
		ref,
		pathwayName: pathway.name,
		chairName: chair ? formatPersonName(chair) : null,
		agenda,
		currentIndex,
		current: current?.detail ?? null,
		decisionStatus: current?.decisionStatus ?? null,
		presence: (await listPresence(meetingId, tx)).map((p) => ({
			id: p.id,
			identity: p.identity,
			name: p.name,
			specialty: p.specialty ? getSpecialtyLabel(p.specialty) : null,
			source: p.source,
			isGuest: p.isGuest,
			graceUntil: p.graceUntil?.toISOString() ?? null
		})),
		quorum: toLiveQuorum(quorum),
		hands: (await listRaisedHands(meetingId)).map((h) => ({
			key: h.key,
			name: h.name,
			specialty: h.specialty,
			raisedAt: h.raisedAt.toISOString()
		})),
		video: getLivekitConfig() !== null,
		readAt: new Date()
	};
}

function roleOf(actor: Actor, ref: MeetingRef): LiveRole {
	if (actor.kind === 'guest') return 'guest';
	if (canChairMeeting(actor, ref)) return 'chair';
	if (canCoordinate(actor, ref.pathwayId)) return 'coordinator';
	return 'member';
}

export interface CutView {
	view: LiveView;
	/** Cases whose patient data this view carries, for the audit trail. */
	shown: { caseId: string; patientId: string }[];
}

/** What one participant sees of the snapshot; the caller has checked canFollowLiveMeeting. */
export function cutLiveView(s: LiveSnapshot, actor: Actor): CutView {
	const m = s.meeting;
	const currentEntry = s.agenda[s.currentIndex];
	const shown: CutView['shown'] = [];
	const ownKey = handKeyOf(actor);
	const canRun = canRunMeeting(actor, s.ref);
	const base = {
		meetingId: m.id,
		status: m.status,
		pathwayName: s.pathwayName,
		startsAt: m.startsAt.toISOString(),
		openedAt: m.openedAt?.toISOString() ?? null,
		chairName: s.chairName,
		role: roleOf(actor, s.ref),
		canRun,
		canCheckIn: canCheckInAttendees(actor, s.ref),
		video: s.video,
		total: s.agenda.length,
		currentPosition: currentEntry ? s.currentIndex + 1 : null,
		currentStartedAt: currentEntry ? (m.currentCaseStartedAt?.toISOString() ?? null) : null,
		handRaised: m.status === 'open' && s.hands.some((h) => h.key === ownKey),
		raisedHands: canRun ? s.hands : [],
		serverNow: new Date().toISOString()
	};
	const visibleCurrent =
		currentEntry && s.current && canViewCase(actor, currentEntry.ref)
			? {
					...s.current,
					decision:
						s.current.decision &&
						s.decisionStatus &&
						canViewDecision(actor, currentEntry.ref, s.decisionStatus)
							? s.current.decision
							: null
				}
			: null;
	if (visibleCurrent && currentEntry) {
		shown.push({ caseId: currentEntry.row.id, patientId: currentEntry.row.patientId });
	}

	if (actor.kind === 'guest') {
		const guest = computeGuestSlot(
			s.agenda.findIndex((e) => e.row.id === actor.caseId),
			s.currentIndex,
			m.status
		);
		return {
			view: {
				...base,
				agenda: [],
				current: visibleCurrent,
				guest,
				presence: [],
				quorum: null
			},
			shown
		};
	}

	const agenda = s.agenda.map((e, i) => ({ e, i })).filter(({ e }) => canViewCase(actor, e.ref));
	for (const { e } of agenda) {
		if (!shown.some((x) => x.caseId === e.row.id)) {
			shown.push({ caseId: e.row.id, patientId: e.row.patientId });
		}
	}
	return {
		view: {
			...base,
			agenda: agenda.map(({ e, i }) => ({
				caseId: e.row.id,
				position: i + 1,
				label: e.label,
				status: e.row.status,
				isCurrent: i === s.currentIndex
			})),
			current: visibleCurrent,
			guest: null,
			presence: s.presence,
			quorum: s.quorum
		},
		shown
	};
}
