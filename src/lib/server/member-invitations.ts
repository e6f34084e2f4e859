// Inviting members to meetings and series, mailing their invitations, withdrawing them.
import { and, asc, eq, gt, gte, inArray, isNull, lt } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { getDb, type DbOrTx, queryOne, transaction, affectedRows } from './db';
import { invitations, meetings, meetingSeries, users } from './db/schema';
import {
	DAY_MS,
	INVITATION_HORIZON_DAYS,
	listInvitableMembers,
	listMeetingInvitees,
	loadCalendarMeeting,
	toInvitee,
	type InvitationRow,
	type MeetingRow
} from './invitations';
import { type MailOutcome } from './mail';
import {
	isSeriesMailed,
	loadCalendarSeries,
	mailSeriesInvite,
	SERIES_INVITE_MAILED,
	type LoadedSeries
} from './series-invitations';
import { emptyTally, mailInvitee, markSent, sendAll, type MailTally } from './invitation-mails';

export type InviteResult =
	| { ok: true; created: number; already: string[]; mails: MailTally }
	| { ok: false; message: string };

type InviteRows =
	{ ok: true; created: string[]; already: string[] } | { ok: false; message: string };

export function isLive(m: Pick<MeetingRow, 'status' | 'endsAt'>, now: Date): boolean {
	return (m.status === 'scheduled' || m.status === 'open') && m.endsAt > now;
}

/**
 * Writes the invitations of pathway doctors to one meeting, inside the caller's transaction.
 * Those already invited (to the meeting or its series) are left as they are.
 */
export async function addMeetingInvitations(
	tx: DbOrTx,
	meeting: MeetingRow,
	userIds: readonly string[],
	audit: AuditContext,
	now: Date
): Promise<InviteRows> {
	if (!isLive(meeting, now)) {
		return {
			ok: false,
			message: 'Cette séance est annulée ou passée : on ne peut plus y inviter.'
		};
	}
	const allowed = new Map(
		(await listInvitableMembers(meeting.pathwayId, tx)).map((m) => [m.userId, m])
	);
	if (userIds.some((id) => !allowed.has(id))) {
		return {
			ok: false,
			message: 'Seuls les médecins de la filière peuvent être invités depuis cette liste.'
		};
	}
	const invited = new Set((await listMeetingInvitees(meeting, {}, tx)).map((i) => i.userId));
	const already: string[] = [];
	const created: string[] = [];
	for (const userId of new Set(userIds)) {
		if (invited.has(userId)) {
			already.push(allowed.get(userId)!.name);
			continue;
		}
		const id = crypto.randomUUID();
		await tx
			.insert(invitations)
			.values({ id, meetingId: meeting.id, userId, createdBy: audit.actorId });
		await recordAudit(
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
export async function addSeriesInvitations(
	tx: DbOrTx,
	series: typeof meetingSeries.$inferSelect,
	userIds: readonly string[],
	audit: AuditContext
): Promise<InviteRows> {
	if (series.endedAt) return { ok: false, message: 'Cette série est terminée.' };
	const allowed = new Map(
		(await listInvitableMembers(series.pathwayId, tx)).map((m) => [m.userId, m])
	);
	if (userIds.some((id) => !allowed.has(id))) {
		return {
			ok: false,
			message: 'Seuls les médecins de la filière peuvent être invités à une série.'
		};
	}
	const invited = new Set(
		(
			await tx
				.select({ userId: invitations.userId })
				.from(invitations)
				.where(
					and(
						eq(invitations.seriesId, series.id),
						isNull(invitations.meetingId),
						isNull(invitations.revokedAt)
					)
				)
		).map((r) => r.userId)
	);
	const already: string[] = [];
	const created: string[] = [];
	for (const userId of new Set(userIds)) {
		if (invited.has(userId)) {
			already.push(allowed.get(userId)!.name);
			continue;
		}
		const id = crypto.randomUUID();
		await tx
			.insert(invitations)
			.values({ id, seriesId: series.id, userId, createdBy: audit.actorId });
		await recordAudit(
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
	const outcome = await transaction(getDb(), async (tx) => {
		const meeting = await queryOne(tx.select().from(meetings).where(eq(meetings.id, meetingId)));
		if (!meeting) return { ok: false as const, message: 'Cette séance n’existe pas.' };
		return addMeetingInvitations(tx, meeting, userIds, audit, now);
	});
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
	const meeting = await loadCalendarMeeting(meetingId);
	if (!meeting || !invitationIds.length) return emptyTally();
	const wanted = new Set(invitationIds);
	const invitees = (await listMeetingInvitees(meeting.row)).filter((i) =>
		wanted.has(i.invitationId)
	);
	const tally = await sendAll(
		invitees.map((invitee) => {
			const token = guestTokens.get(invitee.invitationId);
			return () => mailInvitee(invitee, meeting, 'invitation', token ? { guestToken: token } : {});
		})
	);
	await markSent(
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
	const outcome = await transaction(getDb(), async (tx) => {
		const series = await queryOne(
			tx.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId))
		);
		if (!series) return { ok: false as const, message: 'Cette série n’existe pas.' };
		return addSeriesInvitations(tx, series, userIds, audit);
	});
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
	const rows = (
		await db
			.select()
			.from(invitations)
			.where(
				and(
					isNull(invitations.meetingId),
					isNull(invitations.revokedAt),
					invitationIds === 'all' ? undefined : inArray(invitations.id, [...invitationIds])
				)
			)
	).filter(
		(inv) => inv.seriesId !== null && (inv.mailedUntil === null || inv.mailedUntil < horizon)
	);
	const loaded = new Map<string, LoadedSeries | null>();
	const recurring: (() => Promise<MailOutcome | null>)[] = [];
	for (const inv of rows) {
		if (inv.mailedUntil === null) {
			const claimed = await db
				.update(invitations)
				.set({ sentAt: inv.sentAt ?? now, mailedUntil: SERIES_INVITE_MAILED })
				.where(and(eq(invitations.id, inv.id), isNull(invitations.mailedUntil)));
			if (affectedRows(claimed) !== 1) continue;
			if (!loaded.has(inv.seriesId!)) {
				loaded.set(inv.seriesId!, await loadCalendarSeries(inv.seriesId!, now));
			}
			const series = loaded.get(inv.seriesId!);
			const user = inv.userId
				? ((await queryOne(db.select().from(users).where(eq(users.id, inv.userId)))) ?? null)
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
	const due = await db
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
		.orderBy(asc(meetings.startsAt));
	const jobs: (() => Promise<MailOutcome | null>)[] = [];
	for (const { id } of due) {
		const meeting = await loadCalendarMeeting(id);
		if (!meeting) continue;
		// A meeting-level row (a reply, a direct invitation) speaks for this person there.
		const invitee = (await listMeetingInvitees(meeting.row)).find(
			(i) => i.userId === inv.userId && i.scope !== 'case'
		);
		if (invitee) jobs.push(() => mailInvitee(invitee, meeting, 'invitation'));
	}
	await sendAll(jobs, tally);
	await markSent([inv.id], inv.sentAt ?? now, { mailedUntil: horizon });
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
	const outcome = await transaction(getDb(), async (tx) => {
		const inv = await queryOne(
			tx.select().from(invitations).where(eq(invitations.id, invitationId))
		);
		if (!inv) return { ok: false as const, message: 'Cette invitation n’existe pas.' };
		if (inv.revokedAt) return { ok: true as const, inv, affected: [] as string[], already: true };
		const affected: string[] = [];
		if (inv.meetingId) affected.push(inv.meetingId);
		const ids = [inv.id];
		if (inv.seriesId && !inv.meetingId && inv.userId) {
			const coming = await tx
				.select({ id: meetings.id, startsAt: meetings.startsAt })
				.from(meetings)
				.where(and(eq(meetings.seriesId, inv.seriesId), gt(meetings.endsAt, now)));
			const comingIds = coming.map((m) => m.id);
			for (const m of coming) {
				// A recurring invite is withdrawn whole, below; older ones meeting by meeting.
				if (inv.mailedUntil && m.startsAt < inv.mailedUntil && !isSeriesMailed(inv)) {
					affected.push(m.id);
				}
			}
			if (comingIds.length) {
				const replies = await tx
					.select({ id: invitations.id })
					.from(invitations)
					.where(
						and(
							inArray(invitations.meetingId, comingIds),
							eq(invitations.userId, inv.userId),
							isNull(invitations.caseId),
							isNull(invitations.revokedAt)
						)
					);
				ids.push(...replies.map((r) => r.id));
			}
		}
		// The link can no longer be derived; its hash stays to say « retiré » to its holder.
		await tx
			.update(invitations)
			.set({ revokedAt: now, tokenNonce: null })
			.where(inArray(invitations.id, ids));
		await recordAudit(
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
	});
	if (!outcome.ok) return outcome;
	const tally = emptyTally();
	if (outcome.already) return { ok: true, mails: tally };
	const user = outcome.inv.userId
		? ((await queryOne(getDb().select().from(users).where(eq(users.id, outcome.inv.userId)))) ??
			null)
		: null;
	const invitee = toInvitee(outcome.inv, user);
	const jobs: (() => Promise<MailOutcome | null>)[] = [];
	const series =
		isSeriesMailed(outcome.inv) && outcome.inv.seriesId
			? await loadCalendarSeries(outcome.inv.seriesId, now)
			: null;
	if (series?.next) jobs.push(() => mailSeriesInvite(invitee, series, 'invitation_revoked', now));
	for (const meetingId of outcome.affected) {
		const meeting = await loadCalendarMeeting(meetingId);
		if (meeting && isLive(meeting.row, now)) {
			jobs.push(() => mailInvitee(invitee, meeting, 'invitation_revoked'));
		}
	}
	return { ok: true, mails: await sendAll(jobs, tally) };
}
