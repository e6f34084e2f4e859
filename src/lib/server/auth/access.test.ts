import { describe, expect, it } from 'vitest';
import {
	canAdminister,
	canChairMeeting,
	canCoordinate,
	canEditCase,
	canGiveWrittenOpinion,
	canManageMeeting,
	canViewPathwayStats,
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
