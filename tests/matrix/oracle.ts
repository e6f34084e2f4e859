// What each actor may do with each object, from the pure policy (access.ts) applied to the facts
// the app's own loaders read. The matrix then checks that the route's handler agrees.
import * as access from '../../src/lib/server/auth/access';
import type { Actor, CaseRef, MeetingRef } from '../../src/lib/server/auth/access';
import type { EntryPolicy } from '../../src/lib/server/auth/route-policy';
import { loadCaseRef } from '../../src/lib/server/cases';
import { getDb, queryOne } from '../../src/lib/server/db';
import { documents, meetingSeries } from '../../src/lib/server/db/schema';
import { findUserInvitation } from '../../src/lib/server/invitations';
import { getMeetingRef } from '../../src/lib/server/meetings';
import { eq } from 'drizzle-orm';
import { latestDecisionStatus, mailRecipient } from './fixtures';

/**
 * allow: the request must get through (not 401/403, no login redirect).
 * deny: 403/404 (or the login redirect for anonymous), nothing changed, no read audited.
 * absent: the object does not exist for anyone (e.g. no decision yet): 404 for all.
 * state: the actor has the role, but the object's state forbids the act now (a meeting not yet
 *   open): a 4xx answer (403, 409, 400…), nothing changed.
 * unchecked: depends on a state the matrix does not model (a link's time window); only < 500.
 */
export type Expectation = 'allow' | 'deny' | 'state' | 'absent' | 'unchecked';

export interface Ask {
	policy: EntryPolicy;
	actor: Actor;
	params: Record<string, string>;
	/** Facts of link routes, known by the fixtures (a token's own case, a valid signature). */
	link?: { valid: boolean; ownCase?: boolean };
}

const caseRefs = new Map<string, CaseRef | null>();
const meetingRefs = new Map<string, MeetingRef | null>();

async function caseRef(id: string): Promise<CaseRef | null> {
	if (!caseRefs.has(id)) caseRefs.set(id, (await loadCaseRef(id))?.ref ?? null);
	return caseRefs.get(id)!;
}

async function meetingRef(id: string): Promise<MeetingRef | null> {
	if (!meetingRefs.has(id)) meetingRefs.set(id, (await getMeetingRef(id))?.ref ?? null);
	return meetingRefs.get(id)!;
}

/** The case behind the route: its own param, or the case of a document. */
async function routeCase(params: Record<string, string>): Promise<CaseRef | null> {
	if (params.caseId) return await caseRef(params.caseId);
	return null;
}

async function documentOf(
	id: string
): Promise<{ caseId: string; uploadedBy: string | null } | null> {
	return (
		(await queryOne(
			getDb()
				.select({ caseId: documents.caseId, uploadedBy: documents.uploadedBy })
				.from(documents)
				.where(eq(documents.id, id))
		)) ?? null
	);
}

type Rule = (actor: Actor, p: Record<string, string>) => Expectation | Promise<Expectation>;

const yes = (b: boolean): Expectation => (b ? 'allow' : 'deny');

/** A case asked for under a meeting must belong to it; otherwise nobody gets it. */
async function caseInMeeting(p: Record<string, string>): Promise<CaseRef | null> {
	const c = await caseRef(p.caseId!);
	if (!c) return null;
	if (p.meetingId && c.meeting?.id !== p.meetingId) return null;
	return c;
}

const meetingStatuses = ['scheduled', 'open', 'closed'] as const;
const caseStatuses = [
	'draft',
	'submitted',
	'scheduled',
	'deferred',
	'refused',
	'presented',
	'decided'
];

/** The rule holds for some state of the same meeting: the refusal is about timing, not role. */
function inSomeMeetingState(rule: (a: Actor, m: MeetingRef) => boolean, a: Actor, m: MeetingRef) {
	return meetingStatuses.some((status) => rule(a, { ...m, status }));
}

function inSomeCaseState(rule: (a: Actor, c: CaseRef) => boolean, a: Actor, c: CaseRef) {
	return caseStatuses.some((status) =>
		[
			c.meeting,
			...meetingStatuses.map((st) => (c.meeting ? { ...c.meeting, status: st } : null))
		].some((meeting) => rule(a, { ...c, status, meeting }))
	);
}

const onCase =
	(rule: (a: Actor, c: CaseRef) => boolean): Rule =>
	async (a, p) => {
		const c = p.meetingId ? await caseInMeeting(p) : await routeCase(p);
		if (!c) return 'deny';
		if (rule(a, c)) return 'allow';
		return inSomeCaseState(rule, a, c) ? 'state' : 'deny';
	};

const onMeeting =
	(rule: (a: Actor, m: MeetingRef) => boolean): Rule =>
	async (a, p) => {
		const m = await meetingRef(p.meetingId!);
		if (!m) return 'deny';
		if (rule(a, m)) return 'allow';
		return inSomeMeetingState(rule, a, m) ? 'state' : 'deny';
	};

const onPathway =
	(rule: (a: Actor, pathwayId: string) => boolean): Rule =>
	(a, p) =>
		yes(rule(a, p.pathwayId!));

const decisionRule =
	(rule: (a: Actor, c: CaseRef, status: string) => boolean): Rule =>
	async (a, p) => {
		const c = p.meetingId ? await caseInMeeting(p) : await routeCase(p);
		if (!c) return 'deny';
		const status = await latestDecisionStatus(c.id);
		if (!access.canViewCase(a, c)) return 'deny';
		if (!status) return 'absent';
		return yes(rule(a, c, status));
	};

const rules: Record<string, Rule> = {
	self: () => 'allow',
	'own agenda': () => 'allow',
	'own memberships': () => 'allow',
	'own mail': async (a, p) =>
		!p.mailId ? 'allow' : yes(a.kind === 'user' && (await mailRecipient(p.mailId)) === a.id),
	'canViewMeeting per meeting listed': () => 'allow',
	'canViewCase per case listed': () => 'allow',
	canSubmitCase: (a) => yes(access.canSubmitCase(a)),
	canViewCase: async (a, p) => {
		if (p.documentId) {
			const d = await documentOf(p.documentId);
			if (!d || d.caseId !== p.caseId) return 'deny';
		}
		return onCase(access.canViewCase)(a, p);
	},
	canEditCase: onCase(access.canEditCase),
	canCorrectDeliveryData: onCase(access.canCorrectDeliveryData),
	canWithdrawCase: onCase(access.canWithdrawCase),
	canAddCaseDocument: onCase(access.canAddCaseDocument),
	canRemoveCaseDocument: onCase((a, c) => access.canAddCaseDocument(a, c)),
	canGiveWrittenOpinion: onCase(access.canGiveWrittenOpinion),
	canReadDecision: decisionRule(access.canReadDecision),
	canViewDecision: async (a, p) => {
		const c = await caseInMeeting(p);
		if (!c || !access.canViewCase(a, c)) return 'deny';
		return 'unchecked'; // the draft page depends on the meeting's state; the view is tested below
	},
	canWriteDecision: onCase(access.canWriteDecision),
	canAmendDecision: onCase(access.canAmendDecision),
	canReplyToInvitation: async (a, p) => {
		const m = await getMeetingRef(p.meetingId!);
		if (!m || !access.canViewMeeting(a, m.ref)) return 'deny';
		if (a.kind !== 'user') return 'deny';
		const own = await findUserInvitation(m.meeting, a.id);
		return yes(own !== null && access.canReplyToInvitation(a, own));
	},
	canViewMeeting: onMeeting(access.canViewMeeting),
	canInvite: onMeeting(access.canInvite),
	canManageMeeting: async (a, p) => {
		if (p.caseId && !(await caseInMeeting(p))) return 'deny';
		return onMeeting(access.canManageMeeting)(a, p);
	},
	canCloseMeeting: onMeeting(access.canCloseMeeting),
	canReadMinutes: onMeeting(access.canReadMinutes),
	canFollowLiveMeeting: async (a, p) => {
		if (p.documentId) {
			const d = await documentOf(p.documentId);
			const m = await meetingRef(p.meetingId!);
			if (!d || !m) return 'deny';
			const c = await caseRef(d.caseId);
			if (!c || c.meeting?.id !== m.id) return 'deny';
			// Documents are shown while the meeting is live; a closed one no longer serves them.
			return access.canFollowLiveMeeting(a, m) ? 'unchecked' : 'deny';
		}
		return onMeeting(access.canFollowLiveMeeting)(a, p);
	},
	canOpenMeeting: onMeeting(access.canOpenMeeting),
	canRunMeeting: onMeeting(access.canRunMeeting),
	canCheckInAttendees: onMeeting(access.canCheckInAttendees),
	canJoinVideo: async (a, p) => {
		const m = await meetingRef(p.meetingId!);
		if (!m) return 'deny';
		if (access.canJoinVideo(a, m, null)) return 'unchecked';
		return inSomeMeetingState((x, mm) => access.canJoinVideo(x, mm, null), a, m) ? 'state' : 'deny';
	},
	canViewPathway: onPathway(access.canViewPathway),
	canCoordinate: async (a, p) => {
		if (p.seriesId) {
			const s = await queryOne(
				getDb()
					.select({ pathwayId: meetingSeries.pathwayId })
					.from(meetingSeries)
					.where(eq(meetingSeries.id, p.seriesId))
			);
			if (!s || s.pathwayId !== p.pathwayId) return 'deny';
		}
		return onPathway(access.canCoordinate)(a, p);
	},
	canViewDeliveries: onPathway(access.canViewDeliveries),
	canRetryDelivery: onPathway(access.canRetryDelivery),
	canViewPathwayStats: (a) =>
		yes(a.kind === 'user' && (a.isAdmin || a.memberships.some((m) => m.role !== 'member')))
};

/** Link routes: the link must be valid, and a guest's link only opens its own case. */
function expectLink(ask: Ask): Expectation {
	if (!ask.link) return 'unchecked';
	if (!ask.link.valid) return 'deny';
	if (ask.link.ownCase === false) return 'deny';
	return 'unchecked';
}

export async function expect(ask: Ask): Promise<Expectation> {
	const { policy, actor } = ask;
	switch (policy.gate) {
		case 'public':
			return 'unchecked';
		case 'link':
			return expectLink(ask);
		case 'admin':
			return yes(access.isAdmin(actor));
		case 'user': {
			if (actor.kind !== 'user') return 'deny';
			const rule = policy.check ? rules[policy.check] : () => 'allow' as const;
			if (!rule) throw new Error(`The matrix has no rule for check '${policy.check}'`);
			return await rule(actor, ask.params);
		}
	}
}
