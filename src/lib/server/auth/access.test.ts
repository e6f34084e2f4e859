import { describe, expect, it } from 'vitest';
import {
	canAdminister,
	canChairMeeting,
	canCoordinate,
	canCorrectDeliveryData,
	canContinueDraft,
	canEditCase,
	canGiveWrittenOpinion,
	canManageMeeting,
	canViewPathwayStats,
	canInvite,
	canReadMailbox,
	canReplyToInvitation,
	canSubmitCase,
	canViewCase,
	canViewDecision,
	canViewMeeting,
	canWriteDecision,
	type Actor,
	type CaseRef,
	type MeetingRef,
	type PathwayRole
} from './access';

const P = 'digestive';
const OTHER = 'thoracic';

function user(id: string, roles: [string, PathwayRole][] = [], extra: Partial<Actor> = {}): Actor {
	return {
		kind: 'user',
		id,
		isAdmin: false,
		rpps: '10000000001',
		specialty: 'medical_oncology',
		memberships: roles.map(([pathwayId, role]) => ({ pathwayId, role })),
		...extra
	} as Actor;
}

const actors = {
	anonymous: { kind: 'anonymous' } as Actor,
	admin: user('admin', [], { isAdmin: true, rpps: null, specialty: null } as Partial<Actor>),
	coordinator: user('coord', [[P, 'coordinator']]),
	chair: user('chair', [[P, 'chair']]),
	invitedMember: user('invited', [[P, 'member']]),
	uninvitedMember: user('uninvited', [[P, 'member']]),
	otherPathwayCoordinator: user('other', [
		[OTHER, 'coordinator'],
		[OTHER, 'chair']
	]),
	requester: user('req'),
	guestOfCase: { kind: 'guest', invitationId: 'inv1', meetingId: 'm1', caseId: 'c1' } as Actor,
	guestOfOtherCase: { kind: 'guest', invitationId: 'inv2', meetingId: 'm1', caseId: 'c2' } as Actor
};
type Name = keyof typeof actors;

function meeting(status: MeetingRef['status'] = 'scheduled'): MeetingRef {
	return { id: 'm1', pathwayId: P, chairId: 'chair', status, invitedUserIds: ['invited'] };
}

function theCase(status = 'scheduled', m: MeetingRef | null = meeting()): CaseRef {
	return { id: 'c1', pathwayId: P, requesterId: 'req', presenterId: null, status, meeting: m };
}

function allowed(check: (a: Actor) => boolean): Name[] {
	return (Object.keys(actors) as Name[]).filter((n) => check(actors[n]));
}

describe('access policy matrix', () => {
	it('administration is for admins only', () => {
		expect(allowed(canAdminister)).toEqual(['admin']);
	});

	it('coordination is per pathway', () => {
		expect(allowed((a) => canCoordinate(a, P))).toEqual(['coordinator']);
		expect(allowed((a) => canManageMeeting(a, meeting()))).toEqual(['coordinator']);
	});

	it('a meeting is seen by its pathway, its invitees and its guests; not by the admin', () => {
		expect(allowed((a) => canViewMeeting(a, meeting()))).toEqual([
			'coordinator',
			'chair',
			'invitedMember',
			'uninvitedMember',
			'guestOfCase',
			'guestOfOtherCase'
		]);
	});

	it('a case is seen by coordinator, chair, invited members, its requester and its own guest', () => {
		expect(allowed((a) => canViewCase(a, theCase()))).toEqual([
			'coordinator',
			'chair',
			'invitedMember',
			'requester',
			'guestOfCase'
		]);
	});

	it('a case without meeting is seen by coordinator, chair and requester only', () => {
		expect(allowed((a) => canViewCase(a, theCase('submitted', null)))).toEqual([
			'coordinator',
			'chair',
			'requester'
		]);
	});

	it('a guest of the case loses it when the case moves to another meeting', () => {
		const moved = theCase('scheduled', { ...meeting(), id: 'm2' });
		expect(canViewCase(actors.guestOfCase, moved)).toBe(false);
	});

	it('users invited to one case only see that case', () => {
		const scoped = { ...theCase(), caseInviteeIds: ['private-cardio'] };
		expect(canViewCase(user('private-cardio'), scoped)).toBe(true);
		expect(canViewCase(user('private-cardio'), theCase())).toBe(false);
	});

	it('requesters edit their drafts, not cases already on an agenda; coordinators do', () => {
		expect(allowed((a) => canEditCase(a, theCase('draft', null)))).toEqual([
			'coordinator',
			'requester'
		]);
		expect(allowed((a) => canEditCase(a, theCase('scheduled')))).toEqual(['coordinator']);
		expect(allowed((a) => canEditCase(a, theCase('decided')))).toEqual([]);
	});

	it('the request form writes on only into the requester’s own draft, in its pathway', () => {
		expect(allowed((a) => canContinueDraft(a, theCase('draft', null), P))).toEqual(['requester']);
		expect(allowed((a) => canContinueDraft(a, theCase('draft', null), OTHER))).toEqual([]);
		expect(allowed((a) => canContinueDraft(a, theCase('submitted', null), P))).toEqual([]);
	});

	it('after validation, only the pathway coordinator corrects what held the CDA back', () => {
		for (const status of ['decided', 'delivered']) {
			expect(allowed((a) => canCorrectDeliveryData(a, theCase(status)))).toEqual(['coordinator']);
		}
		for (const status of ['draft', 'submitted', 'scheduled', 'presented', 'withdrawn']) {
			expect(allowed((a) => canCorrectDeliveryData(a, theCase(status)))).toEqual([]);
		}
	});

	it('health professionals may submit cases; admins without RPPS and guests may not', () => {
		expect(allowed(canSubmitCase)).toEqual([
			'coordinator',
			'chair',
			'invitedMember',
			'uninvitedMember',
			'otherPathwayCoordinator',
			'requester'
		]);
	});

	it('the chair (or a pathway chair standing in) chairs; nobody chairs a cancelled meeting', () => {
		expect(allowed((a) => canChairMeeting(a, meeting()))).toEqual(['chair']);
		const chairedByMember = { ...meeting(), chairId: 'invited' };
		expect(allowed((a) => canChairMeeting(a, chairedByMember))).toEqual(['chair', 'invitedMember']);
		expect(allowed((a) => canChairMeeting(a, meeting('cancelled')))).toEqual([]);
	});

	it('decisions are written by the chair of an open meeting only', () => {
		expect(allowed((a) => canWriteDecision(a, theCase('presented', meeting('open'))))).toEqual([
			'chair'
		]);
		expect(allowed((a) => canWriteDecision(a, theCase('presented', meeting('scheduled'))))).toEqual(
			[]
		);
	});

	it('draft decisions stay in the room; validated ones reach requester and guest', () => {
		const c = theCase('presented', meeting('open'));
		expect(allowed((a) => canViewDecision(a, c, 'draft'))).toEqual([
			'coordinator',
			'chair',
			'invitedMember'
		]);
		expect(allowed((a) => canViewDecision(a, c, 'validated'))).toEqual([
			'coordinator',
			'chair',
			'invitedMember',
			'requester',
			'guestOfCase'
		]);
	});

	it('written opinions come from pathway doctors who see the case, before the meeting', () => {
		expect(allowed((a) => canGiveWrittenOpinion(a, theCase('scheduled')))).toEqual([
			'coordinator',
			'chair',
			'invitedMember'
		]);
		expect(allowed((a) => canGiveWrittenOpinion(a, theCase('decided')))).toEqual([]);
	});

	it('pathway statistics are for its coordinators, chairs and admins', () => {
		expect(allowed((a) => canViewPathwayStats(a, P))).toEqual(['admin', 'coordinator', 'chair']);
	});
});

describe('access policy matrix — meetings calendar and invitations', () => {
	it('invitations are sent by the pathway coordinator, for meetings still to be held', () => {
		expect(allowed((a) => canInvite(a, meeting()))).toEqual(['coordinator']);
		expect(allowed((a) => canInvite(a, meeting('open')))).toEqual(['coordinator']);
		expect(allowed((a) => canInvite(a, meeting('cancelled')))).toEqual([]);
		expect(allowed((a) => canInvite(a, meeting('closed')))).toEqual([]);
	});

	it('an invitation is answered by its own doctor only', () => {
		expect(allowed((a) => canReplyToInvitation(a, { userId: 'invited' }))).toEqual([
			'invitedMember'
		]);
		// An outside doctor's invitation has no account behind it: only the signed link answers it.
		expect(allowed((a) => canReplyToInvitation(a, { userId: null }))).toEqual([]);
	});

	it('the mailbox is for administrators', () => {
		expect(allowed(canReadMailbox)).toEqual(['admin']);
	});
});

import {
	canAddCaseDocument,
	canCloseMeeting,
	canRemoveCaseDocument,
	canWithdrawCase
} from './access';

describe('access policy matrix — case preparation', () => {
	it('a case is withdrawn by its requester or the pathway coordinator, until presented', () => {
		for (const status of ['draft', 'submitted', 'scheduled', 'deferred']) {
			expect(
				allowed((a) => canWithdrawCase(a, theCase(status))),
				status
			).toEqual(['coordinator', 'requester']);
		}
		for (const status of ['presented', 'decided', 'withdrawn', 'refused']) {
			expect(
				allowed((a) => canWithdrawCase(a, theCase(status))),
				status
			).toEqual([]);
		}
	});

	it('documents are added by the requester, the presenter and the coordinator while prepared', () => {
		expect(allowed((a) => canAddCaseDocument(a, theCase('scheduled')))).toEqual([
			'coordinator',
			'requester'
		]);
		const presented = { ...theCase('draft'), presenterId: 'invited' };
		expect(allowed((a) => canAddCaseDocument(a, presented))).toEqual([
			'coordinator',
			'invitedMember',
			'requester'
		]);
		expect(allowed((a) => canAddCaseDocument(a, theCase('decided')))).toEqual([]);
		expect(allowed((a) => canAddCaseDocument(a, theCase('withdrawn')))).toEqual([]);
	});

	it('a document is removed by its uploader or the coordinator', () => {
		expect(allowed((a) => canRemoveCaseDocument(a, theCase('submitted'), 'req'))).toEqual([
			'coordinator',
			'requester'
		]);
		expect(allowed((a) => canRemoveCaseDocument(a, theCase('submitted'), 'coord'))).toEqual([
			'coordinator'
		]);
		expect(allowed((a) => canRemoveCaseDocument(a, theCase('decided'), 'req'))).toEqual([]);
	});

	it('a meeting is closed by its coordinators and its chair, once only', () => {
		expect(allowed((a) => canCloseMeeting(a, meeting('open')))).toEqual(['coordinator', 'chair']);
		expect(allowed((a) => canCloseMeeting(a, meeting('scheduled')))).toEqual([
			'coordinator',
			'chair'
		]);
		expect(allowed((a) => canCloseMeeting(a, meeting('closed')))).toEqual([]);
		expect(allowed((a) => canCloseMeeting(a, meeting('cancelled')))).toEqual([]);
	});

	it('a member of another pathway sees none of the pathway’s cases', () => {
		for (const status of ['draft', 'submitted', 'scheduled', 'decided']) {
			expect(canViewCase(actors.otherPathwayCoordinator, theCase(status))).toBe(false);
			expect(canEditCase(actors.otherPathwayCoordinator, theCase(status))).toBe(false);
		}
	});
});

import {
	canCheckInAttendees,
	canFollowLiveMeeting,
	canJoinVideo,
	canOpenMeeting,
	canRunMeeting
} from './access';

describe('access policy matrix — the live meeting', () => {
	it('the live meeting is followed by its chair, coordinators, invited doctors and its guests', () => {
		expect(allowed((a) => canFollowLiveMeeting(a, meeting('open')))).toEqual([
			'coordinator',
			'chair',
			'invitedMember',
			'guestOfCase',
			'guestOfOtherCase'
		]);
		expect(allowed((a) => canFollowLiveMeeting(a, meeting('cancelled')))).toEqual([]);
		const elsewhere = { ...meeting('open'), id: 'm2' };
		expect(allowed((a) => canFollowLiveMeeting(a, elsewhere))).toEqual([
			'coordinator',
			'chair',
			'invitedMember'
		]);
	});

	it('video tokens only while open, and a guest only at its own case', () => {
		expect(allowed((a) => canJoinVideo(a, meeting('open'), 'c1'))).toEqual([
			'coordinator',
			'chair',
			'invitedMember',
			'guestOfCase'
		]);
		expect(allowed((a) => canJoinVideo(a, meeting('open'), 'c2'))).toEqual([
			'coordinator',
			'chair',
			'invitedMember',
			'guestOfOtherCase'
		]);
		expect(allowed((a) => canJoinVideo(a, meeting('open'), null))).toEqual([
			'coordinator',
			'chair',
			'invitedMember'
		]);
		for (const status of ['scheduled', 'closed', 'cancelled'] as const) {
			expect(allowed((a) => canJoinVideo(a, meeting(status), 'c1'))).toEqual([]);
		}
	});

	it('the chair opens and runs the meeting; the coordination checks people in', () => {
		expect(allowed((a) => canOpenMeeting(a, meeting('scheduled')))).toEqual(['chair']);
		expect(allowed((a) => canOpenMeeting(a, meeting('open')))).toEqual([]);
		expect(allowed((a) => canRunMeeting(a, meeting('open')))).toEqual(['chair']);
		expect(allowed((a) => canRunMeeting(a, meeting('scheduled')))).toEqual([]);
		expect(allowed((a) => canRunMeeting(a, meeting('closed')))).toEqual([]);
		expect(allowed((a) => canCheckInAttendees(a, meeting('open')))).toEqual([
			'coordinator',
			'chair'
		]);
		expect(allowed((a) => canCheckInAttendees(a, meeting('scheduled')))).toEqual([]);
	});
});

import {
	canAmendDecision,
	canReadDecision,
	canReadMinutes,
	canRetryDelivery,
	canViewDeliveries
} from './access';

describe('access policy matrix — decisions and delivery', () => {
	it('only the chair writes and validates, and only while the meeting is open', () => {
		expect(allowed((a) => canWriteDecision(a, theCase('presented', meeting('open'))))).toEqual([
			'chair'
		]);
		for (const status of ['scheduled', 'closed', 'cancelled'] as const) {
			expect(allowed((a) => canWriteDecision(a, theCase('presented', meeting(status))))).toEqual(
				[]
			);
		}
		expect(allowed((a) => canWriteDecision(a, theCase('submitted', null)))).toEqual([]);
	});

	it('the chair amends, the meeting open or closed, never a cancelled one', () => {
		expect(allowed((a) => canAmendDecision(a, theCase('decided', meeting('closed'))))).toEqual([
			'chair'
		]);
		expect(allowed((a) => canAmendDecision(a, theCase('decided', meeting('open'))))).toEqual([
			'chair'
		]);
		expect(allowed((a) => canAmendDecision(a, theCase('decided', meeting('cancelled'))))).toEqual(
			[]
		);
	});

	it('a validated decision is read by the case’s readers and its guest, not every pathway doctor', () => {
		const c = theCase('decided', meeting('closed'));
		expect(allowed((a) => canReadDecision(a, c, 'validated'))).toEqual([
			'coordinator',
			'chair',
			'invitedMember',
			'requester',
			'guestOfCase'
		]);
		expect(allowed((a) => canReadDecision(a, c, 'superseded'))).toEqual(
			allowed((a) => canReadDecision(a, c, 'validated'))
		);
	});

	it('a draft or a provisional opinion stays with the room, not the requester nor the guest', () => {
		const c = theCase('presented', meeting('open'));
		for (const status of ['draft', 'provisional']) {
			expect(allowed((a) => canReadDecision(a, c, status))).toEqual([
				'coordinator',
				'chair',
				'invitedMember'
			]);
		}
	});

	it('deliveries are seen and retried by the pathway’s coordinators', () => {
		expect(allowed((a) => canViewDeliveries(a, P))).toEqual(['coordinator']);
		expect(allowed((a) => canRetryDelivery(a, P))).toEqual(['coordinator']);
		expect(allowed((a) => canViewDeliveries(a, OTHER))).toEqual(['otherPathwayCoordinator']);
	});

	it('the minutes are for the coordination and the chair', () => {
		expect(allowed((a) => canReadMinutes(a, meeting('closed')))).toEqual(['coordinator', 'chair']);
		expect(allowed((a) => canReadMinutes(a, meeting('cancelled')))).toEqual([]);
	});
});
