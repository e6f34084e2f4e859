/**
 * Invitations to meetings and series: who is invited, their replies, the mails with calendar
 * invites, and the guest links that let an outside doctor in without an account.
 *
 * A series invitation is one row (seriesId set); replies are per meeting, so answering one
 * meeting of a series writes a meeting-level row for that person that takes precedence.
 * Mails are sent after the transaction that records the change has committed; each has a
 * stable Message-ID, so a repeated action never sends the same mail twice.
 */
import { formatBornWord, formatPatientInitials } from '$lib/domain/civility';
import { and, asc, eq, gt, gte, inArray, isNull, lt, ne, or } from 'drizzle-orm';
import {
	checkGuestWindow,
	computeGuestLinkExpiry,
	describeGuestRefusal,
	type GuestRefusal
} from '$lib/domain/guest-link';
import { composeInvitationMail, type InvitationMailKind } from '$lib/domain/invitation-mail';
import type { GuestActor } from './auth/access';
import { recordAudit, type AuditContext } from './audit';
import {
	buildGuestCalendar,
	buildMeetingInvite,
	meetingUid,
	meetingUrl,
	type CalendarAccess,
	type CalendarMeeting
} from './calendar';
import { getMailFrom, getPublicOrigin } from './config';
import { getDb, type DbOrTx } from './db';
import {
	cases,
	invitations,
	meetings,
	meetingSeries,
	memberships,
	pathways,
	patients,
	users
} from './db/schema';
import { notifyCoordinatorsOfDecline, type DeclineEvent } from './invitation-declines';
import { sendMail, type MailOutcome } from './mail';
import {
	buildOccurrenceCalendar,
	isSeriesMailed,
	loadCalendarSeries,
	mailSeriesInvite,
	bumpSeriesSequence,
	toSeriesOverride,
	SERIES_INVITE_MAILED,
	type LoadedSeries
} from './series-invitations';
import { signPayload, verifyPayload } from './signing';
import { deriveGuestToken, issueGuestToken } from './guest-tokens';
import { hashToken } from './tokens';
import { formatPersonName } from './users';

export type InvitationRow = typeof invitations.$inferSelect;
export type InvitationReply = InvitationRow['reply'];
type MeetingRow = typeof meetings.$inferSelect;
type UserRow = typeof users.$inferSelect;

/** Calendar invites for a series go out for the meetings of the next three months. */
export const INVITATION_HORIZON_DAYS = 92;

const DAY_MS = 86_400_000;

// ---------- meetings as calendars see them ----------

/** The meeting with what a calendar entry or a mail needs (pathway, chair). */
export function loadCalendarMeeting(
	meetingId: string,
	tx: DbOrTx = getDb()
): (CalendarMeeting & { row: MeetingRow }) | null {
	const found = tx
		.select({ row: meetings, pathwayName: pathways.name, chair: users })
		.from(meetings)
		.innerJoin(pathways, eq(pathways.id, meetings.pathwayId))
		.leftJoin(users, eq(users.id, meetings.chairId))
		.where(eq(meetings.id, meetingId))
		.get();
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

function toInvitee(inv: InvitationRow, user: UserRow | null): MeetingInvitee {
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
export function listMeetingInvitees(
	meeting: Pick<MeetingRow, 'id' | 'seriesId'>,
	options: { includeRevoked?: boolean } = {},
	tx: DbOrTx = getDb()
): MeetingInvitee[] {
	const scope = meeting.seriesId
		? or(
				eq(invitations.meetingId, meeting.id),
				and(eq(invitations.seriesId, meeting.seriesId), isNull(invitations.meetingId))
			)
		: eq(invitations.meetingId, meeting.id);
	const rows = tx
		.select({ inv: invitations, user: users })
		.from(invitations)
		.leftJoin(users, eq(users.id, invitations.userId))
		.where(scope)
		.orderBy(asc(invitations.createdAt))
		.all();
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
export function findUserInvitation(
	meeting: Pick<MeetingRow, 'id' | 'seriesId'>,
	userId: string,
	tx: DbOrTx = getDb()
): MeetingInvitee | null {
	return (
		listMeetingInvitees(meeting, {}, tx).find((i) => i.userId === userId && i.scope !== 'case') ??
		null
	);
}

export interface SeriesInvitee {
	invitationId: string;
	userId: string;
	name: string;
	specialty: string | null;
	sector: string;
}

export function listSeriesInvitees(seriesId: string): SeriesInvitee[] {
	return getDb()
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
		.all()
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
export function listInvitableMembers(
	pathwayId: string,
	tx: DbOrTx = getDb()
): { userId: string; name: string; specialty: string | null; sector: string }[] {
	const rows = tx
		.select({ user: users, role: memberships.role })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(
			and(
				eq(memberships.pathwayId, pathwayId),
				ne(memberships.role, 'coordinator'),
				isNull(users.disabledAt)
			)
		)
		.all();
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

function mailDomain(): string {
	return /@([^>\s]+)/.exec(getMailFrom())?.[1] ?? 'pluri.localhost';
}

/**
 * What became of a batch of mails. sent: accepted by the SMTP server; stored: kept in the
 * recipient's Pluri inbox only (no SMTP server); failed: refused by the server; undelivered:
 * nobody can receive it (no SMTP server, and no account or a personal link).
 */
export interface MailTally {
	sent: number;
	stored: number;
	failed: number;
	undelivered: number;
}

export function emptyTally(): MailTally {
	return { sent: 0, stored: 0, failed: 0, undelivered: 0 };
}

/** The coordinator's summary of a batch, in French, with the reason when some did not leave. */
export function describeMailTally(t: MailTally): string {
	const parts: string[] = [];
	if (t.sent) parts.push(`${t.sent} message(s) transmis par la messagerie.`);
	if (t.stored) parts.push(`${t.stored} message(s) conservé(s) dans la messagerie Pluri.`);
	if (t.failed) {
		parts.push(
			`${t.failed} envoi(s) refusé(s) par le serveur de messagerie : vérifiez l’adresse ou réessayez.`
		);
	}
	if (t.undelivered) {
		parts.push(
			`${t.undelivered} message(s) non remis : aucun serveur de messagerie n’est configuré ; sans lui, Pluri ne peut rien transmettre à un médecin sans compte, ni aucun lien personnel d’accès (demandez à l’administrateur de configurer l’envoi des courriels).`
		);
	}
	return parts.length ? parts.join(' ') : 'Aucun message envoyé.';
}

function count(tally: MailTally, outcome: MailOutcome | null): void {
	if (outcome) tally[outcome.status] += 1;
}

/** A few mails at a time: much faster over SMTP than one by one, gentle on the relay. */
const MAIL_CONCURRENCY = 4;

async function sendAll(
	jobs: readonly (() => Promise<MailOutcome | null>)[],
	tally: MailTally = emptyTally()
): Promise<MailTally> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < jobs.length) {
			const job = jobs[next++]!;
			count(tally, await job());
		}
	};
	await Promise.all(Array.from({ length: Math.min(MAIL_CONCURRENCY, jobs.length) }, worker));
	return tally;
}

/** The signed link that answers an invitation for one meeting, without logging in. */
export function buildReplyLink(
	invitationId: string,
	meetingId: string,
	answer?: 'oui' | 'non'
): string {
	const s = signPayload(`reply:${invitationId}:${meetingId}`);
	const query = new URLSearchParams({ s, ...(answer ? { reponse: answer } : {}) });
	return `${getPublicOrigin()}/reply/${invitationId}/${meetingId}?${query}`;
}

export function buildGuestLink(token: string): string {
	return `${getPublicOrigin()}/invitation/${token}`;
}

/** One mail with its calendar part. Its Message-ID is fixed by what it says. */
async function mailInvitee(
	invitee: MeetingInvitee,
	meeting: CalendarMeeting,
	kind: InvitationMailKind,
	extra: {
		guestToken?: string;
		/** A series occurrence already in the invitee's diary: its override or cancellation. */
		calendar?: { content: string; uid: string; sequence: number };
	} = {}
): Promise<MailOutcome | null> {
	if (!invitee.email) return null;
	if (invitee.isGuest && !extra.guestToken && kind !== 'invitation_revoked') {
		// Update mails carry the guest's link again: derived from its nonce, never stored.
		const row = getDb()
			.select({
				id: invitations.id,
				tokenNonce: invitations.tokenNonce,
				tokenHash: invitations.tokenHash
			})
			.from(invitations)
			.where(eq(invitations.id, invitee.invitationId))
			.get();
		const derived = row ? deriveGuestToken(row) : null;
		if (derived) extra = { ...extra, guestToken: derived };
	}
	const method = kind === 'meeting_cancel' || kind === 'invitation_revoked' ? 'CANCEL' : 'REQUEST';
	const { subject, text, secrets } = composeInvitationMail({
		kind,
		salutation: invitee.salutation,
		pathwayName: meeting.pathwayName,
		startsAt: meeting.startsAt,
		endsAt: meeting.endsAt,
		place: meeting.place,
		videoOffered: meeting.videoOffered,
		chairName: meeting.chairName,
		deadlineAt: meeting.deadlineAt,
		cancelReason: meeting.cancelReason,
		meetingLink: invitee.isGuest ? null : meetingUrl(meeting.id),
		acceptLink: buildReplyLink(invitee.invitationId, meeting.id, 'oui'),
		declineLink: buildReplyLink(invitee.invitationId, meeting.id, 'non'),
		guestLink: extra.guestToken ? buildGuestLink(extra.guestToken) : null,
		hasGuestLink: invitee.hasGuestLink,
		caseScoped: invitee.scope === 'case'
	});
	// A guest's entry opens her own link (when this mail carries it), never the login page.
	const access: CalendarAccess = invitee.isGuest
		? { kind: 'guest', link: extra.guestToken ? buildGuestLink(extra.guestToken) : null }
		: { kind: 'account' };
	const content =
		extra.calendar?.content ??
		buildMeetingInvite(
			meeting,
			method,
			{ email: invitee.email, name: invitee.name },
			new Date(),
			access
		);
	const variant = extra.guestToken ? `.${hashToken(extra.guestToken).slice(0, 12)}` : '';
	return sendMail({
		to: invitee.email,
		subject,
		text,
		secrets,
		kind,
		messageId: `<${kind}.${invitee.invitationId}.${meeting.id}.${meeting.icsSequence}${variant}@${mailDomain()}>`,
		icalEvent: {
			method,
			content,
			uid: extra.calendar?.uid ?? meetingUid(meeting.id),
			sequence: extra.calendar?.sequence ?? meeting.icsSequence
		}
	});
}

function markSent(invitationIds: string[], now: Date, extra: Partial<InvitationRow> = {}): void {
	if (!invitationIds.length) return;
	getDb()
		.update(invitations)
		.set({ sentAt: now, ...extra })
		.where(inArray(invitations.id, invitationIds))
		.run();
}

/** Users whose series invitation went out as one recurring calendar event. */
function listRecurringInvitees(seriesId: string): Set<string> {
	return new Set(
		getDb()
			.select()
			.from(invitations)
			.where(
				and(
					eq(invitations.seriesId, seriesId),
					isNull(invitations.meetingId),
					isNull(invitations.revokedAt)
				)
			)
			.all()
			.filter((inv) => isSeriesMailed(inv) && inv.userId !== null)
			.map((inv) => inv.userId!)
	);
}

/**
 * Tells every invitee of the meeting about a change (REQUEST with the raised SEQUENCE) or its
 * cancellation (CANCEL). Those who hold the series as one recurring event get the override of
 * that occurrence (same UID, its RECURRENCE-ID) — or nothing when `seriesInvitees` is false
 * because the caller resends the whole series. Series invitees mailed meeting by meeting whose
 * invites have not reached this meeting yet are left out.
 */
export async function notifyMeetingChange(
	meetingId: string,
	change: 'update' | 'cancel',
	previousStartsAt?: Date,
	options: { seriesInvitees?: boolean } = {}
): Promise<MailTally> {
	const meeting = loadCalendarMeeting(meetingId);
	if (!meeting) return emptyTally();
	const earliest =
		previousStartsAt && previousStartsAt < meeting.startsAt ? previousStartsAt : meeting.startsAt;
	const kind = change === 'cancel' ? 'meeting_cancel' : 'meeting_update';
	const series = meeting.row.seriesId ? loadCalendarSeries(meeting.row.seriesId) : null;
	const recurring = series ? listRecurringInvitees(series.id) : new Set<string>();
	const override = series ? toSeriesOverride(series, meeting) : null;
	const jobs: (() => Promise<MailOutcome | null>)[] = [];
	for (const invitee of listMeetingInvitees(meeting.row)) {
		if (invitee.viaSeries && invitee.userId && recurring.has(invitee.userId)) {
			if (options.seriesInvitees === false || !series || !override || !invitee.email) continue;
			const calendar = buildOccurrenceCalendar(
				series,
				override,
				change === 'cancel' ? 'CANCEL' : 'REQUEST',
				{ email: invitee.email, name: invitee.name }
			);
			jobs.push(() => mailInvitee(invitee, meeting, kind, { calendar }));
			continue;
		}
		if (invitee.scope === 'series' && !(invitee.mailedUntil && invitee.mailedUntil > earliest)) {
			continue;
		}
		jobs.push(() => mailInvitee(invitee, meeting, kind));
	}
	return sendAll(jobs);
}

/**
 * After a series-wide change (its end, chair, place or video): raises the series' SEQUENCE and
 * resends the whole recurring event to those who hold it.
 */
export async function notifySeriesChange(
	seriesId: string,
	now: Date = new Date()
): Promise<MailTally> {
	getDb().transaction((tx) => bumpSeriesSequence(seriesId, tx), { behavior: 'immediate' });
	const series = loadCalendarSeries(seriesId, now);
	if (!series) return emptyTally();
	const rows = getDb()
		.select({ inv: invitations, user: users })
		.from(invitations)
		.leftJoin(users, eq(users.id, invitations.userId))
		.where(
			and(
				eq(invitations.seriesId, seriesId),
				isNull(invitations.meetingId),
				isNull(invitations.revokedAt)
			)
		)
		.all()
		.filter(({ inv }) => isSeriesMailed(inv));
	return sendAll(
		rows.map(
			({ inv, user }) =>
				() =>
					mailSeriesInvite(toInvitee(inv, user), series, 'meeting_update', now)
		)
	);
}

// ---------- inviting ----------

export type InviteResult =
	| { ok: true; created: number; already: string[]; mails: MailTally }
	| { ok: false; message: string };

type InviteRows =
	{ ok: true; created: string[]; already: string[] } | { ok: false; message: string };

function isLive(m: Pick<MeetingRow, 'status' | 'endsAt'>, now: Date): boolean {
	return (m.status === 'scheduled' || m.status === 'open') && m.endsAt > now;
}

/**
 * Writes the invitations of pathway doctors to one meeting, inside the caller's transaction.
 * Those already invited (to the meeting or its series) are left as they are.
 */
export function addMeetingInvitations(
	tx: DbOrTx,
	meeting: MeetingRow,
	userIds: readonly string[],
	audit: AuditContext,
	now: Date
): InviteRows {
	if (!isLive(meeting, now)) {
		return {
			ok: false,
			message: 'Cette séance est annulée ou passée : on ne peut plus y inviter.'
		};
	}
	const allowed = new Map(listInvitableMembers(meeting.pathwayId, tx).map((m) => [m.userId, m]));
	if (userIds.some((id) => !allowed.has(id))) {
		return {
			ok: false,
			message: 'Seuls les médecins de la filière peuvent être invités depuis cette liste.'
		};
	}
	const invited = new Set(listMeetingInvitees(meeting, {}, tx).map((i) => i.userId));
	const already: string[] = [];
	const created: string[] = [];
	for (const userId of new Set(userIds)) {
		if (invited.has(userId)) {
			already.push(allowed.get(userId)!.name);
			continue;
		}
		const id = crypto.randomUUID();
		tx.insert(invitations)
			.values({ id, meetingId: meeting.id, userId, createdBy: audit.actorId })
			.run();
		recordAudit(
			audit,
			{
				action: 'invitation.create',
				objectType: 'invitation',
				objectId: id,
				detail: { meetingId: meeting.id, userId }
			},
			tx
		);
		created.push(id);
	}
	return { ok: true, created, already };
}

/** Writes series invitations inside the caller's transaction; they cover every meeting of it. */
export function addSeriesInvitations(
	tx: DbOrTx,
	series: typeof meetingSeries.$inferSelect,
	userIds: readonly string[],
	audit: AuditContext
): InviteRows {
	if (series.endedAt) return { ok: false, message: 'Cette série est terminée.' };
	const allowed = new Map(listInvitableMembers(series.pathwayId, tx).map((m) => [m.userId, m]));
	if (userIds.some((id) => !allowed.has(id))) {
		return {
			ok: false,
			message: 'Seuls les médecins de la filière peuvent être invités à une série.'
		};
	}
	const invited = new Set(
		tx
			.select({ userId: invitations.userId })
			.from(invitations)
			.where(
				and(
					eq(invitations.seriesId, series.id),
					isNull(invitations.meetingId),
					isNull(invitations.revokedAt)
				)
			)
			.all()
			.map((r) => r.userId)
	);
	const already: string[] = [];
	const created: string[] = [];
	for (const userId of new Set(userIds)) {
		if (invited.has(userId)) {
			already.push(allowed.get(userId)!.name);
			continue;
		}
		const id = crypto.randomUUID();
		tx.insert(invitations)
			.values({ id, seriesId: series.id, userId, createdBy: audit.actorId })
			.run();
		recordAudit(
			audit,
			{
				action: 'invitation.create',
				objectType: 'invitation',
				objectId: id,
				detail: { seriesId: series.id, userId }
			},
			tx
		);
		created.push(id);
	}
	return { ok: true, created, already };
}

/** Invites pathway doctors to one meeting and mails them the calendar invite. */
export async function inviteMembersToMeeting(
	meetingId: string,
	userIds: readonly string[],
	audit: AuditContext,
	now: Date = new Date()
): Promise<InviteResult> {
	const outcome = getDb().transaction(
		(tx): InviteRows => {
			const meeting = tx.select().from(meetings).where(eq(meetings.id, meetingId)).get();
			if (!meeting) return { ok: false, message: 'Cette séance n’existe pas.' };
			return addMeetingInvitations(tx, meeting, userIds, audit, now);
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	const mails = await mailNewMeetingInvitations(meetingId, outcome.created, now);
	return { ok: true, created: outcome.created.length, already: outcome.already, mails };
}

/** Mails the invitations just written for one meeting (guests with their fresh link). */
export async function mailNewMeetingInvitations(
	meetingId: string,
	invitationIds: readonly string[],
	now: Date = new Date(),
	guestTokens: ReadonlyMap<string, string> = new Map()
): Promise<MailTally> {
	const meeting = loadCalendarMeeting(meetingId);
	if (!meeting || !invitationIds.length) return emptyTally();
	const wanted = new Set(invitationIds);
	const invitees = listMeetingInvitees(meeting.row).filter((i) => wanted.has(i.invitationId));
	const tally = await sendAll(
		invitees.map((invitee) => {
			const token = guestTokens.get(invitee.invitationId);
			return () => mailInvitee(invitee, meeting, 'invitation', token ? { guestToken: token } : {});
		})
	);
	markSent(
		invitees.map((i) => i.invitationId),
		now
	);
	return tally;
}

/** Invites pathway doctors to every meeting of a series, present and future. */
export async function inviteMembersToSeries(
	seriesId: string,
	userIds: readonly string[],
	audit: AuditContext,
	now: Date = new Date()
): Promise<InviteResult> {
	const outcome = getDb().transaction(
		(tx): InviteRows => {
			const series = tx.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId)).get();
			if (!series) return { ok: false, message: 'Cette série n’existe pas.' };
			return addSeriesInvitations(tx, series, userIds, audit);
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	const mails = await mailSeriesInvitations(outcome.created, now);
	return { ok: true, created: outcome.created.length, already: outcome.already, mails };
}

/**
 * Sends series invitations: each new one gets one mail carrying the whole series as a recurring
 * calendar event (claimed first: the row is marked before the mail is queued, so two runs never
 * send it twice). Rows mailed meeting by meeting before the recurring invite keep getting the
 * invites of the meetings entering the horizon. Safe to run again: nothing is sent twice.
 */
export async function mailSeriesInvitations(
	invitationIds: readonly string[] | 'all',
	now: Date = new Date()
): Promise<MailTally> {
	const tally = emptyTally();
	if (invitationIds !== 'all' && !invitationIds.length) return tally;
	const horizon = new Date(now.getTime() + INVITATION_HORIZON_DAYS * DAY_MS);
	const db = getDb();
	const rows = db
		.select()
		.from(invitations)
		.where(
			and(
				isNull(invitations.meetingId),
				isNull(invitations.revokedAt),
				invitationIds === 'all' ? undefined : inArray(invitations.id, [...invitationIds])
			)
		)
		.all()
		.filter(
			(inv) => inv.seriesId !== null && (inv.mailedUntil === null || inv.mailedUntil < horizon)
		);
	const loaded = new Map<string, LoadedSeries | null>();
	const recurring: (() => Promise<MailOutcome | null>)[] = [];
	for (const inv of rows) {
		if (inv.mailedUntil === null) {
			const claimed = db
				.update(invitations)
				.set({ sentAt: inv.sentAt ?? now, mailedUntil: SERIES_INVITE_MAILED })
				.where(and(eq(invitations.id, inv.id), isNull(invitations.mailedUntil)))
				.run();
			if (claimed.changes !== 1) continue;
			if (!loaded.has(inv.seriesId!)) {
				loaded.set(inv.seriesId!, loadCalendarSeries(inv.seriesId!, now));
			}
			const series = loaded.get(inv.seriesId!);
			const user = inv.userId
				? (db.select().from(users).where(eq(users.id, inv.userId)).get() ?? null)
				: null;
			if (series?.next) {
				recurring.push(() => mailSeriesInvite(toInvitee(inv, user), series, 'invitation', now));
			}
			continue;
		}
		await mailLegacySeriesInvitation(inv, now, horizon, tally);
	}
	return sendAll(recurring, tally);
}

/** A series invitation mailed meeting by meeting (before recurring invites): the next ones. */
async function mailLegacySeriesInvitation(
	inv: InvitationRow,
	now: Date,
	horizon: Date,
	tally: MailTally
): Promise<void> {
	const db = getDb();
	const from = inv.mailedUntil && inv.mailedUntil > now ? inv.mailedUntil : now;
	const due = db
		.select({ id: meetings.id })
		.from(meetings)
		.where(
			and(
				eq(meetings.seriesId, inv.seriesId!),
				eq(meetings.status, 'scheduled'),
				gte(meetings.startsAt, from),
				lt(meetings.startsAt, horizon)
			)
		)
		.orderBy(asc(meetings.startsAt))
		.all();
	const jobs: (() => Promise<MailOutcome | null>)[] = [];
	for (const { id } of due) {
		const meeting = loadCalendarMeeting(id);
		if (!meeting) continue;
		// A meeting-level row (a reply, a direct invitation) speaks for this person there.
		const invitee = listMeetingInvitees(meeting.row).find(
			(i) => i.userId === inv.userId && i.scope !== 'case'
		);
		if (invitee) jobs.push(() => mailInvitee(invitee, meeting, 'invitation'));
	}
	await sendAll(jobs, tally);
	markSent([inv.id], inv.sentAt ?? now, { mailedUntil: horizon });
}

export interface GuestInput {
	name: string;
	rpps: string | null;
	email: string;
	caseId: string | null;
}

export type GuestInviteResult =
	| { ok: true; invitationId: string; already: boolean; mails: MailTally }
	| { ok: false; field?: string; message: string };

/**
 * Invites an outside doctor (often the patient's GP) to one meeting, or to one case of it.
 * The link's token is random and only its hash is kept: it exists in the mail alone.
 */
export async function inviteGuest(
	meetingId: string,
	input: GuestInput,
	audit: AuditContext,
	now: Date = new Date()
): Promise<GuestInviteResult> {
	const id = crypto.randomUUID();
	const issued = issueGuestToken(id);
	const token = issued.token;
	const outcome = getDb().transaction(
		(tx) => {
			const meeting = tx.select().from(meetings).where(eq(meetings.id, meetingId)).get();
			if (!meeting) return { ok: false as const, message: 'Cette séance n’existe pas.' };
			if (!isLive(meeting, now)) {
				return {
					ok: false as const,
					message: 'Cette séance est annulée ou passée : on ne peut plus y inviter.'
				};
			}
			let patientId: string | null = null;
			if (input.caseId) {
				const c = tx
					.select({ meetingId: cases.meetingId, patientId: cases.patientId })
					.from(cases)
					.where(eq(cases.id, input.caseId))
					.get();
				if (!c || c.meetingId !== meetingId) {
					return {
						ok: false as const,
						field: 'caseId',
						message: 'Ce dossier n’est pas inscrit à l’ordre du jour de cette séance.'
					};
				}
				patientId = c.patientId;
			}
			const existing = tx
				.select()
				.from(invitations)
				.where(
					and(
						eq(invitations.meetingId, meetingId),
						eq(invitations.guestEmail, input.email),
						input.caseId ? eq(invitations.caseId, input.caseId) : isNull(invitations.caseId),
						isNull(invitations.revokedAt)
					)
				)
				.get();
			if (existing) return { ok: true as const, invitationId: existing.id, already: true };
			tx.insert(invitations)
				.values({
					id,
					meetingId,
					guestName: input.name,
					guestRpps: input.rpps,
					guestEmail: input.email,
					caseId: input.caseId,
					tokenHash: issued.tokenHash,
					tokenNonce: issued.tokenNonce,
					expiresAt: computeGuestLinkExpiry(meeting.endsAt),
					createdBy: audit.actorId
				})
				.run();
			recordAudit(
				audit,
				{
					action: 'invitation.create',
					objectType: 'invitation',
					objectId: id,
					patientId,
					detail: { meetingId, guest: input.email, caseId: input.caseId }
				},
				tx
			);
			return { ok: true as const, invitationId: id, already: false };
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	if (outcome.already) return { ...outcome, mails: emptyTally() };
	const mails = await mailNewMeetingInvitations(
		meetingId,
		[outcome.invitationId],
		now,
		new Map([[outcome.invitationId, token]])
	);
	return { ...outcome, mails };
}

/** A new link for a guest who lost theirs; the previous one stops working at once. */
export async function renewGuestLink(
	invitationId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<{ ok: true; mails: MailTally } | { ok: false; message: string }> {
	const issued = issueGuestToken(invitationId);
	const token = issued.token;
	const outcome = getDb().transaction(
		(tx) => {
			const inv = tx.select().from(invitations).where(eq(invitations.id, invitationId)).get();
			if (!inv || inv.userId !== null || !inv.meetingId) {
				return { ok: false as const, message: 'Cette invitation n’a pas de lien personnel.' };
			}
			if (inv.revokedAt) return { ok: false as const, message: 'Cette invitation a été retirée.' };
			const meeting = tx.select().from(meetings).where(eq(meetings.id, inv.meetingId)).get();
			if (!meeting || !isLive(meeting, now)) {
				return { ok: false as const, message: 'Cette séance est annulée ou passée.' };
			}
			tx.update(invitations)
				.set({
					tokenHash: issued.tokenHash,
					tokenNonce: issued.tokenNonce,
					expiresAt: computeGuestLinkExpiry(meeting.endsAt)
				})
				.where(eq(invitations.id, invitationId))
				.run();
			recordAudit(
				audit,
				{ action: 'invitation.renew_link', objectType: 'invitation', objectId: invitationId },
				tx
			);
			return { ok: true as const, meetingId: meeting.id };
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	const tally = emptyTally();
	const meeting = loadCalendarMeeting(outcome.meetingId);
	const invitee = meeting
		? listMeetingInvitees(meeting.row).find((i) => i.invitationId === invitationId)
		: undefined;
	if (meeting && invitee) {
		count(tally, await mailInvitee(invitee, meeting, 'guest_link', { guestToken: token }));
	}
	return { ok: true, mails: tally };
}

/**
 * Withdraws an invitation: a guest link stops working at once, and the invitee's calendar gets
 * a CANCEL for the meetings they had been sent. Withdrawing a series invitation also withdraws
 * that person's replies to the series' coming meetings.
 */
export async function revokeInvitation(
	invitationId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<{ ok: true; mails: MailTally } | { ok: false; message: string }> {
	const outcome = getDb().transaction(
		(tx) => {
			const inv = tx.select().from(invitations).where(eq(invitations.id, invitationId)).get();
			if (!inv) return { ok: false as const, message: 'Cette invitation n’existe pas.' };
			if (inv.revokedAt) return { ok: true as const, inv, affected: [] as string[], already: true };
			const affected: string[] = [];
			if (inv.meetingId) affected.push(inv.meetingId);
			const ids = [inv.id];
			if (inv.seriesId && !inv.meetingId && inv.userId) {
				const coming = tx
					.select({ id: meetings.id, startsAt: meetings.startsAt })
					.from(meetings)
					.where(and(eq(meetings.seriesId, inv.seriesId), gt(meetings.endsAt, now)))
					.all();
				const comingIds = coming.map((m) => m.id);
				for (const m of coming) {
					// A recurring invite is withdrawn whole, below; older ones meeting by meeting.
					if (inv.mailedUntil && m.startsAt < inv.mailedUntil && !isSeriesMailed(inv)) {
						affected.push(m.id);
					}
				}
				if (comingIds.length) {
					const replies = tx
						.select({ id: invitations.id })
						.from(invitations)
						.where(
							and(
								inArray(invitations.meetingId, comingIds),
								eq(invitations.userId, inv.userId),
								isNull(invitations.caseId),
								isNull(invitations.revokedAt)
							)
						)
						.all();
					ids.push(...replies.map((r) => r.id));
				}
			}
			// The link can no longer be derived; its hash stays to say « retiré » to its holder.
			tx.update(invitations)
				.set({ revokedAt: now, tokenNonce: null })
				.where(inArray(invitations.id, ids))
				.run();
			recordAudit(
				audit,
				{
					action: 'invitation.revoke',
					objectType: 'invitation',
					objectId: inv.id,
					detail: { rows: ids.length }
				},
				tx
			);
			return { ok: true as const, inv, affected, already: false };
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	const tally = emptyTally();
	if (outcome.already) return { ok: true, mails: tally };
	const user = outcome.inv.userId
		? (getDb().select().from(users).where(eq(users.id, outcome.inv.userId)).get() ?? null)
		: null;
	const invitee = toInvitee(outcome.inv, user);
	const jobs: (() => Promise<MailOutcome | null>)[] = [];
	const series =
		isSeriesMailed(outcome.inv) && outcome.inv.seriesId
			? loadCalendarSeries(outcome.inv.seriesId, now)
			: null;
	if (series?.next) jobs.push(() => mailSeriesInvite(invitee, series, 'invitation_revoked', now));
	for (const meetingId of outcome.affected) {
		const meeting = loadCalendarMeeting(meetingId);
		if (meeting && isLive(meeting.row, now)) {
			jobs.push(() => mailInvitee(invitee, meeting, 'invitation_revoked'));
		}
	}
	return { ok: true, mails: await sendAll(jobs, tally) };
}

// ---------- replies ----------

export type ReplyResult =
	| {
			ok: true;
			reply: InvitationReply;
			invitationId: string;
			/** A new decline: the coordinators' notice being sent (await it to know it left). */
			notice?: Promise<MailOutcome[]>;
	  }
	| { ok: false; message: string };

/** Sends the coordinators' notice of a new decline, never throwing into the reply. */
export function startDeclineNotice(event: DeclineEvent): Promise<MailOutcome[]> {
	return notifyCoordinatorsOfDecline(event).catch((e: unknown) => {
		console.error('[decline notice]', e);
		return [];
	});
}

function coversMeeting(inv: InvitationRow, meeting: MeetingRow): boolean {
	return (
		inv.meetingId === meeting.id ||
		(inv.meetingId === null && inv.seriesId !== null && inv.seriesId === meeting.seriesId)
	);
}

function replyRefusal(
	inv: InvitationRow | undefined,
	meeting: MeetingRow | undefined,
	now: Date
): string | null {
	if (!inv || !meeting || !coversMeeting(inv, meeting)) return 'Cette invitation n’existe pas.';
	if (inv.revokedAt) return 'Cette invitation a été retirée par le secrétariat de la RCP.';
	if (meeting.status === 'cancelled') return 'Cette séance a été annulée.';
	if (meeting.status === 'closed' || meeting.endsAt <= now) return 'Cette séance est terminée.';
	return null;
}

/**
 * Records an answer for one meeting. For a series invitation the answer goes on a
 * meeting-level row of the same person, so each meeting has its own answer.
 */
export function recordReply(
	invitationId: string,
	meetingId: string,
	reply: 'accepted' | 'declined',
	audit: AuditContext,
	now: Date = new Date(),
	channel: 'app' | 'signed_link' = 'app'
): ReplyResult {
	const outcome = getDb().transaction(
		(tx) => {
			const inv = tx.select().from(invitations).where(eq(invitations.id, invitationId)).get();
			const meeting = tx.select().from(meetings).where(eq(meetings.id, meetingId)).get();
			const refusal = replyRefusal(inv, meeting, now);
			if (refusal || !inv || !meeting) return { ok: false as const, message: refusal ?? '' };
			let target = inv.id;
			// The answer this person had for this meeting until now (the series' one by default).
			let previous = inv.reply;
			if (inv.meetingId !== meeting.id) {
				const own = tx
					.select({ id: invitations.id, reply: invitations.reply })
					.from(invitations)
					.where(
						and(
							eq(invitations.meetingId, meeting.id),
							eq(invitations.userId, inv.userId ?? ''),
							isNull(invitations.caseId),
							isNull(invitations.revokedAt)
						)
					)
					.get();
				if (own) {
					target = own.id;
					previous = own.reply;
				} else {
					target = crypto.randomUUID();
					tx.insert(invitations)
						.values({
							id: target,
							meetingId: meeting.id,
							userId: inv.userId,
							sentAt: inv.sentAt,
							createdBy: inv.createdBy
						})
						.run();
				}
			}
			tx.update(invitations).set({ reply, repliedAt: now }).where(eq(invitations.id, target)).run();
			recordAudit(
				audit,
				{
					action: 'invitation.reply',
					objectType: 'invitation',
					objectId: target,
					detail: { meetingId, reply, channel }
				},
				tx
			);
			const event: DeclineEvent | null =
				reply === 'declined' && previous !== 'declined'
					? {
							invitationId: target,
							repliedAt: now,
							userId: inv.userId,
							guestName: inv.guestName,
							meetingId: meeting.id,
							seriesId: null
						}
					: null;
			return { ok: true as const, reply, invitationId: target, event };
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	const { event, ...result } = outcome;
	return event ? { ...result, notice: startDeclineNotice(event) } : result;
}

/** The logged-in doctor answers from the meeting page. */
export function replyAsUser(
	meeting: Pick<MeetingRow, 'id' | 'seriesId'>,
	userId: string,
	reply: 'accepted' | 'declined',
	audit: AuditContext,
	now: Date = new Date()
): ReplyResult {
	const own = findUserInvitation(meeting, userId);
	if (!own) return { ok: false, message: 'Vous n’êtes pas invité(e) à cette séance.' };
	return recordReply(own.invitationId, meeting.id, reply, audit, now, 'app');
}

export type ReplyLinkCheck =
	| {
			ok: true;
			invitation: InvitationRow;
			meeting: CalendarMeeting & { row: MeetingRow };
			invitee: MeetingInvitee;
	  }
	| { ok: false; message: string };

/** Checks a signed reply link (tampered, withdrawn, past or cancelled links are refused). */
export function checkReplyLink(
	invitationId: string,
	meetingId: string,
	signature: string | null,
	now: Date = new Date()
): ReplyLinkCheck {
	if (!signature || !verifyPayload(`reply:${invitationId}:${meetingId}`, signature)) {
		return {
			ok: false,
			message:
				'Ce lien de réponse n’est pas valide. Vérifiez qu’il a été copié en entier depuis le message reçu.'
		};
	}
	const db = getDb();
	const inv = db.select().from(invitations).where(eq(invitations.id, invitationId)).get();
	const meeting = loadCalendarMeeting(meetingId);
	const refusal = replyRefusal(inv, meeting?.row, now);
	if (refusal || !inv || !meeting) return { ok: false, message: refusal ?? '' };
	const user = inv.userId
		? (db.select().from(users).where(eq(users.id, inv.userId)).get() ?? null)
		: null;
	// The reply shown is this person's current one for this meeting.
	const current =
		(inv.userId
			? listMeetingInvitees(meeting.row).find((i) => i.userId === inv.userId && i.scope !== 'case')
			: undefined) ?? toInvitee(inv, user);
	return { ok: true, invitation: inv, meeting, invitee: current };
}

/** Answers through the signed link, no login: the link was sent to the invitee alone. */
export function replyWithLink(
	invitationId: string,
	meetingId: string,
	signature: string | null,
	reply: 'accepted' | 'declined',
	ip: string | null,
	now: Date = new Date()
): ReplyResult {
	const check = checkReplyLink(invitationId, meetingId, signature, now);
	if (!check.ok) return check;
	const audit: AuditContext = check.invitation.userId
		? { actorType: 'user', actorId: check.invitation.userId, ip }
		: { actorType: 'guest', actorId: check.invitation.id, ip };
	return recordReply(invitationId, meetingId, reply, audit, now, 'signed_link');
}

// ---------- guest links ----------

export type GuestTokenResolution =
	| { ok: true; invitation: InvitationRow; meeting: MeetingRow; caseId: string | null }
	| { ok: false; reason: GuestRefusal; message: string };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * The invitation behind a guest link, if it may be used now: from 30 minutes before the meeting
 * until its end (`afterEnd` lets a page read the outcome afterwards, up to the link's expiry).
 * Every use is audited, refusals included.
 */
export function resolveGuestToken(
	token: string,
	now: Date = new Date(),
	options: { ip?: string | null; afterEnd?: boolean } = {}
): GuestTokenResolution {
	const ip = options.ip ?? null;
	const db = getDb();
	const inv = TOKEN_SHAPE.test(token)
		? db
				.select()
				.from(invitations)
				.where(eq(invitations.tokenHash, hashToken(token)))
				.get()
		: undefined;
	const meeting = inv?.meetingId
		? db.select().from(meetings).where(eq(meetings.id, inv.meetingId)).get()
		: undefined;
	if (!inv || !meeting) {
		recordAudit(
			{ actorType: 'anonymous', actorId: null, ip },
			{ action: 'guest.refused', objectType: 'invitation', detail: { reason: 'unknown' } }
		);
		return { ok: false, reason: 'unknown', message: describeGuestRefusal('unknown') };
	}
	const check = checkGuestWindow(inv, meeting, now, { afterEnd: options.afterEnd });
	const patientId =
		check.ok && inv.caseId
			? (db.select({ p: cases.patientId }).from(cases).where(eq(cases.id, inv.caseId)).get()?.p ??
				null)
			: null;
	recordAudit(
		{ actorType: 'guest', actorId: inv.id, ip },
		{
			action: check.ok ? 'guest.access' : 'guest.refused',
			objectType: 'meeting',
			objectId: meeting.id,
			patientId,
			detail: check.ok ? { caseId: inv.caseId } : { reason: check.reason }
		}
	);
	if (!check.ok) return check;
	return { ok: true, invitation: inv, meeting, caseId: inv.caseId };
}

/**
 * The guest's own calendar entry for her slot, from her link: usable from the invitation mail on,
 * so a link that is only early still gets it; unknown, revoked, cancelled or past gives null.
 */
export function buildGuestCalendarForToken(
	token: string,
	now: Date = new Date(),
	options: { ip?: string | null } = {}
): string | null {
	const resolved = resolveGuestToken(token, now, { ip: options.ip ?? null });
	if (!resolved.ok && resolved.reason !== 'not_yet') return null;
	const meetingId = resolved.ok
		? resolved.meeting.id
		: getDb()
				.select({ meetingId: invitations.meetingId })
				.from(invitations)
				.where(eq(invitations.tokenHash, hashToken(token)))
				.get()?.meetingId;
	const meeting = meetingId ? loadCalendarMeeting(meetingId) : null;
	return meeting ? buildGuestCalendar(meeting, buildGuestLink(token), now) : null;
}

export function toGuestActor(invitation: InvitationRow): GuestActor {
	return {
		kind: 'guest',
		invitationId: invitation.id,
		meetingId: invitation.meetingId ?? '',
		caseId: invitation.caseId
	};
}

export interface GuestCaseSlot {
	position: number;
	casesBefore: number;
	/** When the case should come up, from the estimated minutes of the cases before it. */
	expectedAt: Date;
	patientLabel: string;
	status: string;
}

/**
 * What the guest page says about the guest's case: its place on the agenda, no more. The
 * patient is named by initials and birth year, which the GP recognises; the access was
 * audited by resolveGuestToken with the patient id.
 */
export function describeGuestCaseSlot(
	invitation: InvitationRow,
	meeting: MeetingRow,
	tx: DbOrTx = getDb()
): GuestCaseSlot | null {
	if (!invitation.caseId) return null;
	const agenda = tx
		.select({
			id: cases.id,
			position: cases.agendaPosition,
			minutes: cases.estimatedMinutes,
			status: cases.status,
			birthName: patients.birthName,
			firstNames: patients.firstNames,
			sex: patients.sex,
			birthDate: patients.birthDate,
			defaultMinutes: pathways.defaultCaseMinutes
		})
		.from(cases)
		.innerJoin(patients, eq(patients.id, cases.patientId))
		.innerJoin(pathways, eq(pathways.id, cases.pathwayId))
		.where(and(eq(cases.meetingId, meeting.id), ne(cases.status, 'withdrawn')))
		.all()
		.sort((a, b) => (a.position ?? 1e9) - (b.position ?? 1e9));
	const index = agenda.findIndex((c) => c.id === invitation.caseId);
	const own = agenda[index];
	if (!own) return null;
	const before = agenda.slice(0, index);
	const minutes = before.reduce((sum, c) => sum + (c.minutes ?? c.defaultMinutes), 0);
	const initials = formatPatientInitials(own);
	return {
		position: index + 1,
		casesBefore: before.length,
		expectedAt: new Date(meeting.startsAt.getTime() + minutes * 60_000),
		patientLabel: `${initials}, ${formatBornWord(own.sex)} en ${own.birthDate.slice(0, 4)}`,
		status: own.status
	};
}

/** Cases of the meeting a guest may be invited for (the coordinator's choice list). */
export function listInvitableCases(
	meetingId: string,
	audit: AuditContext
): { id: string; label: string }[] {
	const rows = getDb()
		.select({
			id: cases.id,
			position: cases.agendaPosition,
			patientId: patients.id,
			birthName: patients.birthName,
			firstNames: patients.firstNames,
			birthDate: patients.birthDate,
			gpName: cases.gpName
		})
		.from(cases)
		.innerJoin(patients, eq(patients.id, cases.patientId))
		.where(and(eq(cases.meetingId, meetingId), ne(cases.status, 'withdrawn')))
		.all()
		.sort((a, b) => (a.position ?? 1e9) - (b.position ?? 1e9));
	if (rows.length) {
		getDb().transaction(
			(tx) => {
				for (const r of rows) {
					recordAudit(
						audit,
						{
							action: 'case.list',
							objectType: 'rcp_case',
							objectId: r.id,
							patientId: r.patientId,
							detail: { page: 'meeting.invite' }
						},
						tx
					);
				}
			},
			{ behavior: 'immediate' }
		);
	}
	return rows.map((r, i) => ({
		id: r.id,
		label: `${r.position ?? i + 1}. ${r.birthName} ${r.firstNames[0] ?? ''} (${r.birthDate.slice(0, 4)})${r.gpName ? ` — médecin traitant : ${r.gpName}` : ''}`
	}));
}

/** Keeps guest links' hard expiry in step with a moved meeting. */
export function alignGuestExpiry(meeting: Pick<MeetingRow, 'id' | 'endsAt'>, tx: DbOrTx): void {
	tx.update(invitations)
		.set({ expiresAt: computeGuestLinkExpiry(meeting.endsAt) })
		.where(and(eq(invitations.meetingId, meeting.id), isNull(invitations.userId)))
		.run();
}
