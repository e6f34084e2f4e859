/**
 * Declines flagged to the coordination: when an invitee declines a meeting or a whole series —
 * above all its chair — each coordinator of the pathway gets one notice (mail, and the copy in
 * their Pluri mailbox). The caller decides, inside its transaction, that this answer is a new
 * decline; the Message-ID is fixed by that answer, so a repeated call never sends twice.
 */
import { and, eq, isNull } from 'drizzle-orm';
import { composeDeclineNotice, describeDecline } from '$lib/domain/decline-notice';
import { describeRecurrence } from '$lib/domain/meeting-plan';
import { formatParisDateTime } from '$lib/domain/schedule';
import { meetingUrl } from './calendar';
import { getMailFrom, getPublicOrigin } from './config';
import { getDb, queryOne } from './db';
import { meetings, meetingSeries, memberships, pathways, users } from './db/schema';
import { sendMail, type MailOutcome } from './mail';
import { formatPersonName } from './users';

export interface DeclineEvent {
	/** The row that holds the answer (meeting-level, or the series invitation itself). */
	invitationId: string;
	repliedAt: Date;
	userId: string | null;
	guestName: string | null;
	meetingId: string | null;
	seriesId: string | null;
}

function mailDomain(): string {
	return /@([^>\s]+)/.exec(getMailFrom())?.[1] ?? 'pluri.localhost';
}

/** The pathway's coordinators with an active account. */
async function listCoordinators(pathwayId: string): Promise<(typeof users.$inferSelect)[]> {
	return (
		await getDb()
			.select({ user: users })
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.where(
				and(
					eq(memberships.pathwayId, pathwayId),
					eq(memberships.role, 'coordinator'),
					isNull(users.disabledAt)
				)
			)
	)
		.map((r) => r.user)
		.filter((u, i, all) => all.findIndex((v) => v.id === u.id) === i);
}

/** Mails the coordinators of the pathway about one new decline. */
export async function notifyCoordinatorsOfDecline(e: DeclineEvent): Promise<MailOutcome[]> {
	const db = getDb();
	const meeting = e.meetingId
		? await queryOne(db.select().from(meetings).where(eq(meetings.id, e.meetingId)))
		: undefined;
	const series =
		!meeting && e.seriesId
			? await queryOne(db.select().from(meetingSeries).where(eq(meetingSeries.id, e.seriesId)))
			: undefined;
	const pathwayId = meeting?.pathwayId ?? series?.pathwayId;
	if (!pathwayId) return [];
	const pathway = await queryOne(db.select().from(pathways).where(eq(pathways.id, pathwayId)));
	if (!pathway) return [];
	const user = e.userId
		? await queryOne(db.select().from(users).where(eq(users.id, e.userId)))
		: undefined;
	const who = user ? formatPersonName(user) : (e.guestName ?? 'Un invité');
	const chairId = meeting ? meeting.chairId : (series?.chairId ?? null);
	const facts = {
		who,
		isChair: e.userId !== null && e.userId === chairId,
		pathwayName: pathway.name,
		scope: meeting ? ('meeting' as const) : ('series' as const),
		when: meeting ? formatParisDateTime(meeting.startsAt) : describeRecurrence(series!),
		link: meeting
			? meetingUrl(meeting.id)
			: `${getPublicOrigin()}/pathways/${pathway.id}/series/${series!.id}`
	};
	const { subject, text } = composeDeclineNotice(facts);
	const outcomes: MailOutcome[] = [];
	for (const coordinator of await listCoordinators(pathwayId)) {
		if (coordinator.id === e.userId) continue;
		outcomes.push(
			await sendMail({
				to: coordinator.mssanteAddress ?? coordinator.email,
				subject,
				text,
				kind: 'invitation_declined',
				messageId: `<decline.${e.invitationId}.${e.repliedAt.getTime()}.${coordinator.id}@${mailDomain()}>`
			})
		);
	}
	return outcomes;
}

export interface MeetingDecline {
	invitationId: string;
	isChair: boolean;
	/** « Le président a décliné : … » or « Dr X a décliné cette séance. » */
	text: string;
	repliedAt: Date;
}

/** The declines of a meeting's invitees, the chair's first, for the meeting page. */
export function listMeetingDeclines(
	meeting: { chairId: string | null },
	invitees: readonly {
		invitationId: string;
		userId: string | null;
		name: string;
		scope: 'series' | 'meeting' | 'case';
		reply: 'pending' | 'accepted' | 'declined';
		repliedAt: Date | null;
		revokedAt: Date | null;
	}[]
): MeetingDecline[] {
	return invitees
		.filter((i) => !i.revokedAt && i.reply === 'declined' && i.repliedAt)
		.map((i) => {
			const isChair = i.userId !== null && i.userId === meeting.chairId;
			return {
				invitationId: i.invitationId,
				isChair,
				text: describeDecline({
					who: i.name,
					isChair,
					scope: i.scope === 'series' ? 'series' : 'meeting'
				}),
				repliedAt: i.repliedAt!
			};
		})
		.sort((a, b) => Number(b.isChair) - Number(a.isChair));
}
