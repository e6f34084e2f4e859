/**
 * Answering a series invitation for all its meetings at once (the « Je participerai / Je ne
 * participerai pas » links of the series mail). The answer goes on the series invitation and on
 * this person's answers to the coming meetings; answering one meeting afterwards still wins there.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import { describeRecurrence } from '$lib/domain/meeting-plan';
import { recordAudit, type AuditContext } from './audit';
import { getDb, queryOne, transaction } from './db';
import { invitations, meetingSeries, pathways, users } from './db/schema';
import type { DeclineEvent } from './invitation-declines';
import { listComingSeriesMeetingIds, verifySeriesReplySignature } from './series-invitations';
import { formatPersonName } from './users';
import { startDeclineNotice, type ReplyResult } from './invitation-replies';

type InvitationRow = typeof invitations.$inferSelect;

export type SeriesReplyCheck =
	| {
			ok: true;
			invitation: InvitationRow;
			name: string;
			pathwayName: string;
			recurrence: string;
			place: string;
	  }
	| { ok: false; message: string };

const INVALID =
	'Ce lien de réponse n’est pas valide. Vérifiez qu’il a été copié en entier depuis le message reçu.';

/** Checks a signed series reply link (tampered, withdrawn or ended series are refused). */
export async function checkSeriesReplyLink(
	invitationId: string,
	signature: string | null
): Promise<SeriesReplyCheck> {
	if (!(await verifySeriesReplySignature(invitationId, signature)))
		return { ok: false, message: INVALID };
	const db = getDb();
	const inv = await queryOne(db.select().from(invitations).where(eq(invitations.id, invitationId)));
	if (!inv || !inv.seriesId || inv.meetingId) return { ok: false, message: INVALID };
	if (inv.revokedAt) {
		return { ok: false, message: 'Cette invitation a été retirée par le secrétariat de la RCP.' };
	}
	const found = await queryOne(
		db
			.select({ s: meetingSeries, pathwayName: pathways.name })
			.from(meetingSeries)
			.innerJoin(pathways, eq(pathways.id, meetingSeries.pathwayId))
			.where(eq(meetingSeries.id, inv.seriesId))
	);
	if (!found) return { ok: false, message: INVALID };
	if (found.s.endedAt) return { ok: false, message: 'Cette série de séances est terminée.' };
	const user = inv.userId
		? await queryOne(db.select().from(users).where(eq(users.id, inv.userId)))
		: null;
	return {
		ok: true,
		invitation: inv,
		name: user ? formatPersonName(user) : (inv.guestName ?? 'Invité(e)'),
		pathwayName: found.pathwayName,
		recurrence: describeRecurrence(found.s),
		place: found.s.place
	};
}

/** Records the answer for the whole series: on the series row and the coming meetings. */
export async function replyToSeries(
	invitationId: string,
	reply: 'accepted' | 'declined',
	audit: AuditContext,
	now: Date = new Date(),
	channel: 'app' | 'signed_link' = 'app'
): Promise<ReplyResult> {
	const outcome = await transaction(getDb(), async (tx) => {
		const inv = await queryOne(
			tx.select().from(invitations).where(eq(invitations.id, invitationId))
		);
		if (!inv || !inv.seriesId || inv.meetingId || inv.revokedAt) {
			return { ok: false as const, message: 'Cette invitation n’existe pas.' };
		}
		const coming = await listComingSeriesMeetingIds(inv.seriesId, now, tx);
		const own =
			coming.length && inv.userId
				? (
						await tx
							.select({ id: invitations.id })
							.from(invitations)
							.where(
								and(
									inArray(invitations.meetingId, coming),
									eq(invitations.userId, inv.userId),
									isNull(invitations.caseId),
									isNull(invitations.revokedAt)
								)
							)
					).map((r) => r.id)
				: [];
		await tx
			.update(invitations)
			.set({ reply, repliedAt: now })
			.where(inArray(invitations.id, [inv.id, ...own]));
		await recordAudit(
			audit,
			{
				action: 'invitation.reply',
				objectType: 'invitation',
				objectId: inv.id,
				detail: { seriesId: inv.seriesId, reply, channel, meetings: own.length }
			},
			tx
		);
		const event: DeclineEvent | null =
			reply === 'declined' && inv.reply !== 'declined'
				? {
						invitationId: inv.id,
						repliedAt: now,
						userId: inv.userId,
						guestName: inv.guestName,
						meetingId: null,
						seriesId: inv.seriesId
					}
				: null;
		return { ok: true as const, reply, invitationId: inv.id, event };
	});
	if (!outcome.ok) return outcome;
	const { event, ...result } = outcome;
	return event ? { ...result, notice: startDeclineNotice(event) } : result;
}

/** Answers through the signed series link, no login: the link was sent to the invitee alone. */
export async function replyToSeriesWithLink(
	invitationId: string,
	signature: string | null,
	reply: 'accepted' | 'declined',
	ip: string | null,
	now: Date = new Date()
): Promise<ReplyResult> {
	const check = await checkSeriesReplyLink(invitationId, signature);
	if (!check.ok) return check;
	const audit: AuditContext = check.invitation.userId
		? { actorType: 'user', actorId: check.invitation.userId, ip }
		: { actorType: 'guest', actorId: check.invitation.id, ip };
	return replyToSeries(invitationId, reply, audit, now, 'signed_link');
}
