import { and, asc, eq, gt } from 'drizzle-orm';
import { isCaseOpenForCarryOver } from '$lib/domain/case-status';
import { formatParisDateTime } from '$lib/domain/schedule';
import { recordAudit, type AuditContext } from './audit';
import {
	changeCaseStatus,
	listMeetingCases,
	nextAgendaPosition,
	notifyRequester,
	recordCaseEvent
} from './cases';
import { getDb, type DbOrTx, queryOne, transaction } from './db';
import { cases, meetings } from './db/schema';
import type { MeetingRow } from './meetings';

export type CloseMeetingResult =
	{ ok: true; carriedOver: number; nextMeetingId: string | null } | { ok: false; message: string };

/** The pathway's next meeting still to be held after this one. */
async function findNextScheduledMeeting(
	meeting: MeetingRow,
	now: Date,
	tx: DbOrTx
): Promise<MeetingRow | null> {
	const after = new Date(Math.max(now.getTime(), meeting.startsAt.getTime()));
	return (
		(await queryOne(
			tx
				.select()
				.from(meetings)
				.where(
					and(
						eq(meetings.pathwayId, meeting.pathwayId),
						eq(meetings.status, 'scheduled'),
						gt(meetings.startsAt, after)
					)
				)
				.orderBy(asc(meetings.startsAt))
				.limit(1)
		)) ?? null
	);
}

/**
 * Closes a meeting (issue §6). In one transaction: the meeting becomes 'closed'; every case
 * not decided — not reached, presented without a decision, or deferred — moves to the
 * pathway's next scheduled meeting, at the end of its agenda, as 'scheduled', through
 * 'deferred' so its history tells what happened; requests still waiting for this meeting
 * follow. Without a next meeting the cases stay 'deferred' for the coordinator to place.
 * Requesters are mailed once the change is committed.
 */
export async function closeMeeting(
	meetingId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<CloseMeetingResult> {
	const outcome = await transaction(getDb(), async (tx) => {
		const meeting = await queryOne(tx.select().from(meetings).where(eq(meetings.id, meetingId)));
		if (!meeting) return { ok: false as const, message: 'Cette séance n’existe pas.' };
		if (meeting.status === 'closed') {
			return { ok: false as const, message: 'Cette séance est déjà clôturée.' };
		}
		if (meeting.status === 'cancelled') {
			return { ok: false as const, message: 'Une séance annulée ne peut pas être clôturée.' };
		}
		if (meeting.status === 'scheduled' && meeting.startsAt > now) {
			return {
				ok: false as const,
				message: 'Cette séance n’a pas encore commencé : elle ne peut pas être clôturée.'
			};
		}
		await tx
			.update(meetings)
			.set({ status: 'closed', closedAt: now, currentCaseId: null, updatedAt: now })
			.where(eq(meetings.id, meetingId));

		const next = await findNextScheduledMeeting(meeting, now, tx);
		const from = formatParisDateTime(meeting.startsAt);
		const to = next ? formatParisDateTime(next.startsAt) : null;
		const carried: { caseId: string; patientId: string }[] = [];
		for (const c of await listMeetingCases(meetingId, tx)) {
			if (!isCaseOpenForCarryOver(c.status)) continue;
			if (c.status !== 'deferred') {
				await changeCaseStatus(
					tx,
					c,
					'deferred',
					{
						actorId: audit.actorId,
						kind: 'deferred',
						meetingId,
						note:
							c.status === 'presented'
								? `Présenté sans décision à la séance du ${from}.`
								: `Non discuté à la séance du ${from}.`
					},
					next ? {} : { wantsNextMeeting: true },
					now
				);
			}
			if (next) {
				await changeCaseStatus(
					tx,
					{ id: c.id, status: 'deferred' },
					'scheduled',
					{
						actorId: audit.actorId,
						kind: 'carried_over',
						meetingId: next.id,
						note: `Reporté de la séance du ${from} à celle du ${to}.`
					},
					{
						meetingId: next.id,
						agendaPosition: await nextAgendaPosition(next.id, tx),
						wantsNextMeeting: false
					},
					now
				);
			} else if (c.status === 'deferred') {
				await tx
					.update(cases)
					.set({ wantsNextMeeting: true, updatedAt: now })
					.where(eq(cases.id, c.id));
			}
			carried.push({ caseId: c.id, patientId: c.patientId });
			await recordAudit(
				audit,
				{
					action: 'case.carry_over',
					objectType: 'rcp_case',
					objectId: c.id,
					patientId: c.patientId,
					detail: { from: meetingId, to: next?.id ?? null }
				},
				tx
			);
		}

		// Requests that named this meeting and were never placed now wait for the next one.
		const waiting = await tx
			.select()
			.from(cases)
			.where(and(eq(cases.meetingId, meetingId), eq(cases.status, 'submitted')));
		for (const c of waiting) {
			await tx
				.update(cases)
				.set({ meetingId: next?.id ?? null, wantsNextMeeting: next === null, updatedAt: now })
				.where(eq(cases.id, c.id));
			await recordCaseEvent(tx, {
				caseId: c.id,
				actorId: audit.actorId,
				kind: 'retargeted',
				fromStatus: c.status,
				toStatus: c.status,
				meetingId: next?.id ?? null,
				note: `Demande reportée : la séance du ${from} est clôturée.`,
				at: now
			});
		}

		await recordAudit(
			audit,
			{
				action: 'meeting.close',
				objectType: 'meeting',
				objectId: meetingId,
				detail: { carriedOver: carried.length, nextMeetingId: next?.id ?? null }
			},
			tx
		);
		return { ok: true as const, carried, next, from, to };
	});
	if (!outcome.ok) return outcome;
	// Each mail is recorded before closing returns; its delivery goes on in the background.
	await Promise.all(
		outcome.carried.map(({ caseId }) =>
			notifyRequester(
				{
					caseId,
					kind: 'carry_over',
					subject: outcome.to
						? `Dossier reporté à la RCP du ${outcome.to}`
						: 'Dossier reporté à une prochaine RCP',
					lines: (patient) => [
						`Le dossier du patient ${patient} n’a pas reçu de proposition thérapeutique à la RCP du ${outcome.from}.`,
						outcome.to
							? `Il est reporté à la séance du ${outcome.to}, avec son historique.`
							: 'Il est reporté à la prochaine séance de la filière, qui n’est pas encore programmée : la coordination vous préviendra.'
					]
				},
				{ background: true }
			).catch((error: unknown) => console.error('[carry-over] mail to the requester failed', error))
		)
	);
	return { ok: true, carriedOver: outcome.carried.length, nextMeetingId: outcome.next?.id ?? null };
}
