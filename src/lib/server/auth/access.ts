/**
 * The access policy: pure functions over (actor, object). Everything is denied unless a rule
 * below allows it. Routes compute the object's facts (pathway, requester, invitations) and ask
 * here; they never decide themselves.
 */
export type PathwayRole = 'coordinator' | 'chair' | 'member';

export interface Membership {
	pathwayId: string;
	role: PathwayRole;
}

export interface UserActor {
	kind: 'user';
	id: string;
	isAdmin: boolean;
	rpps: string | null;
	specialty: string | null;
	memberships: Membership[];
}

/** An outside doctor (usually the GP) holding an invitation link scoped to one case. */
export interface GuestActor {
	kind: 'guest';
	invitationId: string;
	meetingId: string;
	caseId: string | null;
}

export type Actor = UserActor | GuestActor | { kind: 'anonymous' };

export interface MeetingRef {
	id: string;
	pathwayId: string;
	chairId: string | null;
	status: 'scheduled' | 'open' | 'closed' | 'cancelled';
	/** Users holding a live (not revoked) invitation to this meeting or its series. */
	invitedUserIds: readonly string[];
}

export interface CaseRef {
	id: string;
	pathwayId: string;
	requesterId: string;
	presenterId: string | null;
	status: string;
	meeting: MeetingRef | null;
	/** Users whose invitation is scoped to this very case. */
	caseInviteeIds?: readonly string[];
}

function roleIn(actor: Actor, pathwayId: string, roles: readonly PathwayRole[]): boolean {
	return (
		actor.kind === 'user' &&
		actor.memberships.some((m) => m.pathwayId === pathwayId && roles.includes(m.role))
	);
}

export function isAdmin(actor: Actor): boolean {
	return actor.kind === 'user' && actor.isAdmin;
}

/** Instance administration (users, establishments, pathways); gives no access to patient data. */
export function canAdminister(actor: Actor): boolean {
	return isAdmin(actor);
}

export function canViewPathway(actor: Actor, pathwayId: string): boolean {
	return roleIn(actor, pathwayId, ['coordinator', 'chair', 'member']);
}

/** Coordinators plan meetings, accept cases, invite and retry deliveries. */
export function canCoordinate(actor: Actor, pathwayId: string): boolean {
	return roleIn(actor, pathwayId, ['coordinator']);
}

export function canViewMeeting(actor: Actor, meeting: MeetingRef): boolean {
	if (actor.kind === 'guest') return actor.meetingId === meeting.id;
	if (actor.kind !== 'user') return false;
	return (
		roleIn(actor, meeting.pathwayId, ['coordinator', 'chair', 'member']) ||
		meeting.chairId === actor.id ||
		meeting.invitedUserIds.includes(actor.id)
	);
}

export function canManageMeeting(actor: Actor, meeting: MeetingRef): boolean {
	return canCoordinate(actor, meeting.pathwayId);
}

/** The meeting's own chair, or any chair of the pathway standing in. */
export function canChairMeeting(actor: Actor, meeting: MeetingRef): boolean {
	if (actor.kind !== 'user' || meeting.status === 'cancelled') return false;
	return meeting.chairId === actor.id || roleIn(actor, meeting.pathwayId, ['chair']);
}

export function canSubmitCase(actor: Actor): boolean {
	// Any registered health professional may ask for a case to be discussed.
	return actor.kind === 'user' && (actor.rpps !== null || actor.memberships.length > 0);
}

export function canViewCase(actor: Actor, c: CaseRef): boolean {
	if (actor.kind === 'guest') return actor.caseId === c.id && c.meeting?.id === actor.meetingId;
	if (actor.kind !== 'user') return false;
	if (c.requesterId === actor.id || c.presenterId === actor.id) return true;
	if (roleIn(actor, c.pathwayId, ['coordinator', 'chair'])) return true;
	if (c.caseInviteeIds?.includes(actor.id)) return true;
	const m = c.meeting;
	if (!m) return false;
	if (m.chairId === actor.id) return true;
	// Members see the cases of the meetings they are invited to.
	return m.invitedUserIds.includes(actor.id) && roleIn(actor, c.pathwayId, ['member']);
}

const requesterEditable = new Set(['draft', 'refused', 'submitted']);
const coordinatorEditable = new Set(['draft', 'submitted', 'scheduled', 'deferred', 'refused']);

export function canEditCase(actor: Actor, c: CaseRef): boolean {
	if (actor.kind !== 'user') return false;
	if (canCoordinate(actor, c.pathwayId)) return coordinatorEditable.has(c.status);
	return c.requesterId === actor.id && requesterEditable.has(c.status);
}

/**
 * The request form goes on writing into a draft it saved (autosave) only when that draft is the
 * caller's own, still a draft, in the pathway of the form: never someone else's case.
 */
export function canContinueDraft(actor: Actor, c: CaseRef, pathwayId: string): boolean {
	return (
		actor.kind === 'user' &&
		c.requesterId === actor.id &&
		c.pathwayId === pathwayId &&
		c.status === 'draft' &&
		canEditCase(actor, c)
	);
}

export function canScheduleCase(actor: Actor, c: CaseRef): boolean {
	return canCoordinate(actor, c.pathwayId);
}

/** Written opinions come from pathway doctors with a specialty, before the case is decided. */
export function canGiveWrittenOpinion(actor: Actor, c: CaseRef): boolean {
	return (
		actor.kind === 'user' &&
		actor.specialty !== null &&
		roleIn(actor, c.pathwayId, ['member', 'chair', 'coordinator']) &&
		canViewCase(actor, c) &&
		['scheduled', 'deferred'].includes(c.status)
	);
}

export function canWriteDecision(actor: Actor, c: CaseRef): boolean {
	return c.meeting !== null && c.meeting.status === 'open' && canChairMeeting(actor, c.meeting);
}

/** Validated decisions are readable by whoever may see the case; drafts only by the room. */
export function canViewDecision(actor: Actor, c: CaseRef, decisionStatus: string): boolean {
	if (!canViewCase(actor, c)) return false;
	if (decisionStatus === 'validated' || decisionStatus === 'superseded') return true;
	// A draft being typed is seen by the room only, not by the requester outside it.
	if (actor.kind !== 'user' || !c.meeting) return false;
	return (
		roleIn(actor, c.pathwayId, ['coordinator', 'chair']) ||
		c.meeting.chairId === actor.id ||
		c.meeting.invitedUserIds.includes(actor.id)
	);
}

export function canRetryDelivery(actor: Actor, pathwayId: string): boolean {
	return canCoordinate(actor, pathwayId);
}

/** Activity statistics carry no patient identity: the pathway's coordinators and chairs, and admins. */
export function canViewPathwayStats(actor: Actor, pathwayId: string): boolean {
	return isAdmin(actor) || roleIn(actor, pathwayId, ['coordinator', 'chair']);
}

/** Planning and invitations: the pathway's coordinators, for meetings still to be held. */
export function canInvite(actor: Actor, meeting: MeetingRef): boolean {
	return (
		(meeting.status === 'scheduled' || meeting.status === 'open') &&
		canCoordinate(actor, meeting.pathwayId)
	);
}

/** An invitation is answered by the invited doctor only (in the app; the signed link stands for them). */
export function canReplyToInvitation(actor: Actor, invitation: { userId: string | null }): boolean {
	return actor.kind === 'user' && invitation.userId !== null && invitation.userId === actor.id;
}

/** The delivery log of outgoing mails (metadata only, never a body) is read by administrators. */
export function canReadMailbox(actor: Actor): boolean {
	return isAdmin(actor);
}

/** A mail's text and attachments are read by the account it was addressed to, and nobody else. */
export function canReadOwnMail(actor: Actor, mail: { recipientUserId: string | null }): boolean {
	return (
		actor.kind === 'user' && mail.recipientUserId !== null && mail.recipientUserId === actor.id
	);
}

// ---------- case preparation (requests, documents, agenda) ----------

const withdrawableStatuses = new Set(['draft', 'submitted', 'scheduled', 'deferred']);

/** The requester withdraws their own request; a coordinator any case of the pathway, until it is presented. */
export function canWithdrawCase(actor: Actor, c: CaseRef): boolean {
	if (actor.kind !== 'user' || !withdrawableStatuses.has(c.status)) return false;
	return c.requesterId === actor.id || canCoordinate(actor, c.pathwayId);
}

const documentStatuses = new Set(['draft', 'submitted', 'scheduled', 'deferred', 'refused']);

/** Documents are added while the case is prepared: by its requester, its presenter, the pathway's coordinators. */
export function canAddCaseDocument(actor: Actor, c: CaseRef): boolean {
	if (actor.kind !== 'user' || !documentStatuses.has(c.status)) return false;
	return (
		c.requesterId === actor.id || c.presenterId === actor.id || canCoordinate(actor, c.pathwayId)
	);
}

/** A document is removed, while the case is prepared, by whoever added it or by a coordinator. */
export function canRemoveCaseDocument(
	actor: Actor,
	c: CaseRef,
	uploadedBy: string | null
): boolean {
	if (actor.kind !== 'user' || !canAddCaseDocument(actor, c)) return false;
	return uploadedBy === actor.id || canCoordinate(actor, c.pathwayId);
}

/** Closing a meeting carries its undecided cases over: its pathway's coordinators and its chair. */
export function canCloseMeeting(actor: Actor, meeting: MeetingRef): boolean {
	if (meeting.status !== 'scheduled' && meeting.status !== 'open') return false;
	return canManageMeeting(actor, meeting) || canChairMeeting(actor, meeting);
}

// ---------- the live meeting ----------

/**
 * Who follows the live meeting (agenda, quorum, current case): its chair, the pathway's
 * coordinators and chairs, the doctors invited to it; a guest only its own meeting, for its case.
 */
export function canFollowLiveMeeting(actor: Actor, meeting: MeetingRef): boolean {
	if (meeting.status === 'cancelled') return false;
	if (actor.kind === 'guest') return actor.meetingId === meeting.id && actor.caseId !== null;
	if (actor.kind !== 'user') return false;
	return (
		meeting.chairId === actor.id ||
		roleIn(actor, meeting.pathwayId, ['coordinator', 'chair']) ||
		meeting.invitedUserIds.includes(actor.id)
	);
}

/** Video tokens: only while the meeting is open, and for a guest only while its case is discussed. */
export function canJoinVideo(
	actor: Actor,
	meeting: MeetingRef,
	currentCaseId: string | null
): boolean {
	if (meeting.status !== 'open' || !canFollowLiveMeeting(actor, meeting)) return false;
	if (actor.kind === 'guest') return actor.caseId !== null && actor.caseId === currentCaseId;
	return true;
}

/** The chair opens a scheduled meeting. */
export function canOpenMeeting(actor: Actor, meeting: MeetingRef): boolean {
	return meeting.status === 'scheduled' && canChairMeeting(actor, meeting);
}

/** The chair runs an open meeting: moves between cases, mutes, removes, ends it for all. */
export function canRunMeeting(actor: Actor, meeting: MeetingRef): boolean {
	return meeting.status === 'open' && canChairMeeting(actor, meeting);
}

/** People present in the room without video are checked in by the coordination or the chair. */
export function canCheckInAttendees(actor: Actor, meeting: MeetingRef): boolean {
	return (
		meeting.status === 'open' &&
		(canCoordinate(actor, meeting.pathwayId) || canChairMeeting(actor, meeting))
	);
}

// ---------- decisions and their delivery ----------

/**
 * A validated decision changes only through an amendment: by the meeting's chair or a chair of
 * the pathway, after the meeting too (a wrong laterality found the next morning).
 */
export function canAmendDecision(actor: Actor, c: CaseRef): boolean {
	return c.meeting !== null && canChairMeeting(actor, c.meeting);
}

/**
 * Readers of a decision: whoever may see its case (the pathway's coordinators, the doctors
 * invited to that meeting, the requester, the case's guest or invitee) — not every member of
 * the pathway (DESIGN §2).
 */
export function canReadDecision(actor: Actor, c: CaseRef, decisionStatus: string): boolean {
	return canViewDecision(actor, c, decisionStatus);
}

/**
 * After validation the case is locked (canEditCase), but what held the Fiche RCP (CDA) back
 * (identity not qualified, TNM or primary site missing) is corrected, audited, by the
 * pathway's coordinators; the validated proposal itself never changes here.
 */
export function canCorrectDeliveryData(actor: Actor, c: CaseRef): boolean {
	return (c.status === 'decided' || c.status === 'delivered') && canCoordinate(actor, c.pathwayId);
}

/** Where the decisions went, and what failed: the pathway's coordinators. */
export function canViewDeliveries(actor: Actor, pathwayId: string): boolean {
	return canCoordinate(actor, pathwayId);
}

/** The minutes of a meeting (every case and its decision): its coordinators and its chair. */
export function canReadMinutes(actor: Actor, meeting: MeetingRef): boolean {
	return (
		meeting.status !== 'cancelled' &&
		(canManageMeeting(actor, meeting) || canChairMeeting(actor, meeting))
	);
}
