// Changes to a whole series: its defaults, and its end (remaining meetings cancelled, calendars updated).
import { type FieldErrors } from '$lib/domain/meeting-plan';
import { isValidLocalDate, toParisParts } from '$lib/domain/schedule';
import { and, eq, gt, isNotNull, isNull, lt } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { meetingUid } from './calendar';
import { getDb, queryOne, transaction } from './db';
import { decisions, invitations, mailMessages, meetings, meetingSeries } from './db/schema';
import { type MeetingRow } from './meetings';
import { SERIES_INVITE_MAILED } from './series-invitations';
import { chairError, countCases } from './meeting-planning';
import {
	emptyTally,
	notifyMeetingChange,
	notifySeriesChange,
	type MailTally
} from './invitation-mails';

export interface SeriesDefaultsInput {
	chairId: string;
	place: string;
	videoOffered: boolean;
}

export type UpdateSeriesResult =
	| { ok: true; changed: string[]; meetings: number; mails: MailTally }
	| { ok: false; errors: FieldErrors };

/**
 * Changes the chair, place or video of a series from now on. Coming meetings that still follow
 * the series get the change (and their invitees an update); those changed one by one keep
 * their own values.
 */
export async function updateSeriesDefaults(
	seriesId: string,
	input: SeriesDefaultsInput,
	audit: AuditContext,
	now: Date = new Date()
): Promise<UpdateSeriesResult> {
	const outcome = await transaction(getDb(), async (tx) => {
		const series = await queryOne(
			tx.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId))
		);
		if (!series) return { ok: false as const, errors: { form: 'Cette série n’existe pas.' } };
		if (series.endedAt)
			return { ok: false as const, errors: { form: 'Cette série est terminée.' } };
		const chair = await chairError(series.pathwayId, input.chairId, tx);
		if (chair) return { ok: false as const, errors: chair };
		const changed: string[] = [];
		if (input.chairId !== series.chairId) changed.push('président');
		if (input.place !== series.place) changed.push('lieu');
		if (input.videoOffered !== series.videoOffered) changed.push('visioconférence');
		if (!changed.length) return { ok: true as const, changed, updated: [] as string[] };
		await tx.update(meetingSeries).set(input).where(eq(meetingSeries.id, seriesId));
		const coming = await tx
			.select()
			.from(meetings)
			.where(
				and(
					eq(meetings.seriesId, seriesId),
					eq(meetings.status, 'scheduled'),
					gt(meetings.startsAt, now)
				)
			);
		const updated: string[] = [];
		for (const m of coming) {
			const set: Partial<MeetingRow> = {};
			if (m.chairId === series.chairId && input.chairId !== m.chairId) set.chairId = input.chairId;
			if (m.place === series.place && input.place !== m.place) set.place = input.place;
			if (m.videoOffered === series.videoOffered && input.videoOffered !== m.videoOffered) {
				set.videoOffered = input.videoOffered;
			}
			if (!Object.keys(set).length) continue;
			await tx
				.update(meetings)
				.set({ ...set, icsSequence: m.icsSequence + 1, updatedAt: now })
				.where(eq(meetings.id, m.id));
			updated.push(m.id);
		}
		await recordAudit(
			audit,
			{
				action: 'series.update',
				objectType: 'meeting_series',
				objectId: seriesId,
				detail: { changed, meetings: updated.length }
			},
			tx
		);
		return { ok: true as const, changed, updated };
	});
	if (!outcome.ok) return outcome;
	const mails = emptyTally();
	// The recurring event is resent whole; invitees of single meetings get their update.
	for (const id of outcome.updated) {
		addTally(mails, await notifyMeetingChange(id, 'update', undefined, { seriesInvitees: false }));
	}
	if (outcome.changed.length) addTally(mails, await notifySeriesChange(seriesId, now));
	return { ok: true, changed: outcome.changed, meetings: outcome.updated.length, mails };
}

export function addTally(total: MailTally, more: MailTally): void {
	total.sent += more.sent;
	total.stored += more.stored;
	total.failed += more.failed;
	total.undelivered += more.undelivered;
}

export type EndSeriesResult =
	| { ok: true; cancelled: number; removed: number; mails: MailTally }
	| { ok: false; errors: FieldErrors };

/**
 * Ends a series after a given date. Its later meetings that someone already knows about (a
 * calendar invite went out, cases or invitations hang on them) are cancelled, so calendars get
 * a CANCEL and nothing attached is lost; the others, never announced, are removed so they do
 * not clutter the calendar as cancellations of meetings nobody expected.
 */
export async function endSeries(
	seriesId: string,
	lastDate: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<EndSeriesResult> {
	if (!isValidLocalDate(lastDate)) {
		return { ok: false, errors: { lastDate: 'La date n’est pas une date valide.' } };
	}
	if (lastDate < toParisParts(now).date) {
		return {
			ok: false,
			errors: {
				lastDate:
					'La date de fin ne peut pas être dans le passé : les séances passées restent dans l’historique.'
			}
		};
	}
	const outcome = await transaction(getDb(), async (tx) => {
		const series = await queryOne(
			tx.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId))
		);
		if (!series) return { ok: false as const, errors: { form: 'Cette série n’existe pas.' } };
		if (series.endedAt) {
			return { ok: false as const, errors: { form: 'Cette série est déjà terminée.' } };
		}
		const later = await tx
			.select()
			.from(meetings)
			.where(
				and(
					eq(meetings.seriesId, seriesId),
					eq(meetings.status, 'scheduled'),
					gt(meetings.startsAt, now),
					isNotNull(meetings.occurrenceDate),
					gt(meetings.occurrenceDate, lastDate)
				)
			);
		const cancelled: string[] = [];
		const removed: string[] = [];
		for (const m of later) {
			// Announced: an invite went out (its mail, or a series invitation mailed past it),
			// or work hangs on it.
			const announced =
				(await queryOne(
					tx
						.select({ id: invitations.id })
						.from(invitations)
						.where(
							and(
								eq(invitations.seriesId, seriesId),
								isNull(invitations.revokedAt),
								gt(invitations.mailedUntil, m.startsAt),
								// a recurring invite gets its end instead (notifySeriesChange)
								lt(invitations.mailedUntil, SERIES_INVITE_MAILED)
							)
						)
				)) !== undefined ||
				(await queryOne(
					tx
						.select({ id: mailMessages.id })
						.from(mailMessages)
						.where(eq(mailMessages.icsUid, meetingUid(m.id)))
						.limit(1)
				)) !== undefined ||
				(await countCases(m.id, tx)) > 0 ||
				(await queryOne(
					tx.select({ id: decisions.id }).from(decisions).where(eq(decisions.meetingId, m.id))
				)) !== undefined ||
				(await queryOne(
					tx.select({ id: invitations.id }).from(invitations).where(eq(invitations.meetingId, m.id))
				)) !== undefined;
			if (announced) {
				await tx
					.update(meetings)
					.set({
						status: 'cancelled',
						cancelReason: 'Fin de la série de séances',
						icsSequence: m.icsSequence + 1,
						updatedAt: now
					})
					.where(eq(meetings.id, m.id));
				cancelled.push(m.id);
			} else {
				await tx.delete(meetings).where(eq(meetings.id, m.id));
				removed.push(m.id);
			}
		}
		const untilDate = series.untilDate && series.untilDate < lastDate ? series.untilDate : lastDate;
		await tx
			.update(meetingSeries)
			.set({ untilDate, endedAt: now })
			.where(eq(meetingSeries.id, seriesId));
		await recordAudit(
			audit,
			{
				action: 'series.end',
				objectType: 'meeting_series',
				objectId: seriesId,
				detail: { lastDate, cancelled: cancelled.length, removed: removed.length }
			},
			tx
		);
		return { ok: true as const, cancelled, removed: removed.length };
	});
	if (!outcome.ok) return outcome;
	const mails = emptyTally();
	for (const id of outcome.cancelled) {
		addTally(mails, await notifyMeetingChange(id, 'cancel', undefined, { seriesInvitees: false }));
	}
	addTally(mails, await notifySeriesChange(seriesId, now)); // the recurring event gets its end
	return { ok: true, cancelled: outcome.cancelled.length, removed: outcome.removed, mails };
}
