/**
 * Invitations to meetings and series: who is invited, their replies, the mails with calendar
 * invites, and the guest links that let an outside doctor in without an account.
 *
 * A series invitation is one row (seriesId set); replies are per meeting, so answering one
 * meeting of a series writes a meeting-level row for that person that takes precedence.
 * Mails are sent after the transaction that records the change has committed; each has a
 * stable Message-ID, so a repeated action never sends the same mail twice.
 */
import { and, asc, eq, isNull, ne, or } from 'drizzle-orm';
import { type CalendarMeeting } from './calendar';
import { getDb, type DbOrTx, queryOne } from './db';
import { invitations, meetings, memberships, pathways, users } from './db/schema';
import { formatPersonName } from './users';

export type InvitationRow = typeof invitations.$inferSelect;
export type InvitationReply = InvitationRow['reply'];
export type MeetingRow = typeof meetings.$inferSelect;
type UserRow = typeof users.$inferSelect;

/** Calendar invites for a series go out for the meetings of the next three months. */
export const INVITATION_HORIZON_DAYS = 92;

export const DAY_MS = 86_400_000;

// ---------- meetings as calendars see them ----------

/** The meeting with what a calendar entry or a mail needs (pathway, chair). */
export async function loadCalendarMeeting(
	meetingId: string,
	tx: DbOrTx = getDb()
): Promise<(CalendarMeeting & { row: MeetingRow }) | null> {
	const found = await queryOne(
		tx
			.select({ row: meetings, pathwayName: pathways.name, chair: users })
			.from(meetings)
			.innerJoin(pathways, eq(pathways.id, meetings.pathwayId))
			.leftJoin(users, eq(users.id, meetings.chairId))
			.where(eq(meetings.id, meetingId))
	);
	if (!found) return null;
	return {
		...toCalendarMeeting(found.row, found.pathwayName, found.chair),
		row: found.row
	};
}

export function toCalendarMeeting(
	row: MeetingRow,
	pathwayName: string,
	chair: Pick<UserRow, 'title' | 'firstName' | 'lastName'> | null
): CalendarMeeting {
	return {
		id: row.id,
		startsAt: row.startsAt,
		endsAt: row.endsAt,
		status: row.status,
		cancelReason: row.cancelReason,
		place: row.place,
		videoOffered: row.videoOffered,
		icsSequence: row.icsSequence,
		deadlineAt: row.deadlineAt,
		pathwayName,
		chairName: chair ? formatPersonName(chair) : null,
		updatedAt: row.updatedAt,
		createdAt: row.createdAt
	};
}

// ---------- who is invited ----------

export type InvitationScope = 'series' | 'meeting' | 'case';

export interface MeetingInvitee {
	/** The row that answers for this person at this meeting. */
	invitationId: string;
	scope: InvitationScope;
	userId: string | null;
	name: string;
	salutation: string;
	/** Where mails go: the secure-mail (MSSanté) address when known. */
	email: string | null;
	specialty: string | null;
	sector: string | null;
	rpps: string | null;
	caseId: string | null;
	reply: InvitationReply;
	repliedAt: Date | null;
	sentAt: Date | null;
	revokedAt: Date | null;
	mailedUntil: Date | null;
	isGuest: boolean;
	hasGuestLink: boolean;
	/** Invited through the series (their answer may sit on a meeting-level row). */
	viaSeries: boolean;
}

function scopeOf(inv: InvitationRow): InvitationScope {
	if (inv.caseId) return 'case';
	return inv.meetingId ? 'meeting' : 'series';
}

export function toInvitee(inv: InvitationRow, user: UserRow | null): MeetingInvitee {
	const name = user ? formatPersonName(user) : (inv.guestName ?? 'Invité(e)');
	return {
		invitationId: inv.id,
		scope: scopeOf(inv),
		userId: inv.userId,
		name,
		salutation: user
			? user.title
				? `${user.title} ${user.lastName}`
				: `${user.firstName} ${user.lastName}`
			: name,
		email: user ? (user.mssanteAddress ?? user.email) : inv.guestEmail,
		specialty: user?.specialty ?? null,
		sector: user?.sector ?? null,
		rpps: user?.rpps ?? inv.guestRpps,
		caseId: inv.caseId,
		reply: inv.reply,
		repliedAt: inv.repliedAt,
		sentAt: inv.sentAt,
		revokedAt: inv.revokedAt,
		mailedUntil: inv.mailedUntil,
		isGuest: inv.userId === null,
		hasGuestLink: inv.tokenHash !== null,
		viaSeries: scopeOf(inv) === 'series'
	};
}

/**
 * Everyone invited to the meeting, once each: a meeting-level row (direct invitation or reply)
 * takes precedence over the series invitation. Revoked rows only when asked, for the
 * coordinator's view.
 */
export async function listMeetingInvitees(
	meeting: Pick<MeetingRow, 'id' | 'seriesId'>,
	options: { includeRevoked?: boolean } = {},
	tx: DbOrTx = getDb()
): Promise<MeetingInvitee[]> {
	const scope = meeting.seriesId
		? or(
				eq(invitations.meetingId, meeting.id),
				and(eq(invitations.seriesId, meeting.seriesId), isNull(invitations.meetingId))
			)
		: eq(invitations.meetingId, meeting.id);
	const rows = await tx
		.select({ inv: invitations, user: users })
		.from(invitations)
		.leftJoin(users, eq(users.id, invitations.userId))
		.where(scope)
		.orderBy(asc(invitations.createdAt));
	const live = new Map<string, MeetingInvitee>();
	const revoked: MeetingInvitee[] = [];
	for (const { inv, user } of rows) {
		const invitee = toInvitee(inv, user);
		if (inv.revokedAt) {
			revoked.push(invitee);
			continue;
		}
		// One line per person: users by account and scope kind, guests by invitation.
		const key = inv.userId && !inv.caseId ? `user:${inv.userId}` : `inv:${inv.id}`;
		const existing = live.get(key);
		if (!existing || (existing.scope === 'series' && invitee.scope !== 'series')) {
			live.set(key, invitee);
		}
	}
	const seriesUsers = new Set(
		rows
			.filter(({ inv }) => !inv.revokedAt && scopeOf(inv) === 'series')
			.map(({ inv }) => inv.userId)
	);
	const list = [...live.values()].map((i) =>
		i.userId && seriesUsers.has(i.userId) ? { ...i, viaSeries: true } : i
	);
	if (options.includeRevoked) {
		const liveUsers = new Set(list.map((i) => i.userId).filter(Boolean));
		list.push(...revoked.filter((r) => !r.userId || !liveUsers.has(r.userId)));
	}
	return list.sort(
		(a, b) =>
			Number(a.revokedAt !== null) - Number(b.revokedAt !== null) ||
			Number(a.isGuest) - Number(b.isGuest) ||
			a.name.localeCompare(b.name, 'fr')
	);
}

/** The invitation by which this user is invited to the meeting, if any. */
export async function findUserInvitation(
	meeting: Pick<MeetingRow, 'id' | 'seriesId'>,
	userId: string,
	tx: DbOrTx = getDb()
): Promise<MeetingInvitee | null> {
	return (
		(await listMeetingInvitees(meeting, {}, tx)).find(
			(i) => i.userId === userId && i.scope !== 'case'
		) ?? null
	);
}

export interface SeriesInvitee {
	invitationId: string;
	userId: string;
	name: string;
	specialty: string | null;
	sector: string;
}

export async function listSeriesInvitees(seriesId: string): Promise<SeriesInvitee[]> {
	return (
		await getDb()
			.select({ inv: invitations, user: users })
			.from(invitations)
			.innerJoin(users, eq(users.id, invitations.userId))
			.where(
				and(
					eq(invitations.seriesId, seriesId),
					isNull(invitations.meetingId),
					isNull(invitations.revokedAt)
				)
			)
	)
		.map(({ inv, user }) => ({
			invitationId: inv.id,
			userId: user.id,
			name: formatPersonName(user),
			specialty: user.specialty,
			sector: user.sector
		}))
		.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

/** Doctors of the pathway (members and chairs; coordination staff are not invitees). */
export async function listInvitableMembers(
	pathwayId: string,
	tx: DbOrTx = getDb()
): Promise<{ userId: string; name: string; specialty: string | null; sector: string }[]> {
	const rows = await tx
		.select({ user: users, role: memberships.role })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(
			and(
				eq(memberships.pathwayId, pathwayId),
				ne(memberships.role, 'coordinator'),
				isNull(users.disabledAt)
			)
		);
	const seen = new Map<
		string,
		{ userId: string; name: string; specialty: string | null; sector: string }
	>();
	for (const { user } of rows) {
		seen.set(user.id, {
			userId: user.id,
			name: formatPersonName(user),
			specialty: user.specialty,
			sector: user.sector
		});
	}
	return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

// ---------- mails ----------
// ---------- inviting ----------
// ---------- replies ----------
// ---------- guest links ----------
