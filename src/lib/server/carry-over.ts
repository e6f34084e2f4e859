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
import { getDb, type DbOrTx } from './db';
import { cases, meetings } from './db/schema';
import type { MeetingRow } from './meetings';

export type CloseMeetingResult =
	{ ok: true; carriedOver: number; nextMeetingId: string | null } | { ok: false; message: string };

/** The pathway's next meeting still to be held after this one. */
function findNextScheduledMeeting(meeting: MeetingRow, now: Date, tx: DbOrTx): MeetingRow | null {
	const after = new Date(Math.max(now.getTime(), meeting.startsAt.getTime()));
	return (
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
			.get() ?? null
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
export function closeMeeting(
	meetingId: string,
	audit: AuditContext,
	now: Date = new Date()
): CloseMeetingResult {
	const outcome = getDb().transaction(
		(tx) => {
			const meeting = tx.select().from(meetings).where(eq(meetings.id, meetingId)).get();
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
			tx.update(meetings)
				.set({ status: 'closed', closedAt: now, currentCaseId: null, updatedAt: now })
				.where(eq(meetings.id, meetingId))
				.run();

			const next = findNextScheduledMeeting(meeting, now, tx);
			const from = formatParisDateTime(meeting.startsAt);
			const to = next ? formatParisDateTime(next.startsAt) : null;
			const carried: { caseId: string; patientId: string }[] = [];
			for (const c of listMeetingCases(meetingId, tx)) {
				if (!isCaseOpenForCarryOver(c.status)) continue;
				if (c.status !== 'deferred') {
					changeCaseStatus(
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
					changeCaseStatus(
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
							agendaPosition: nextAgendaPosition(next.id, tx),
							wantsNextMeeting: false
						},
						now
					);
				} else if (c.status === 'deferred') {
					tx.update(cases)
						.set({ wantsNextMeeting: true, updatedAt: now })
						.where(eq(cases.id, c.id))
						.run();
				}
				carried.push({ caseId: c.id, patientId: c.patientId });
				recordAudit(
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
			const waiting = tx
				.select()
				.from(cases)
				.where(and(eq(cases.meetingId, meetingId), eq(cases.status, 'submitted')))
				.all();
			for (const c of waiting) {
				tx.update(cases)
					.set({ meetingId: next?.id ?? null, wantsNextMeeting: next === null, updatedAt: now })
					.where(eq(cases.id, c.id))
					.run();
				recordCaseEvent(tx, {
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

			recordAudit(
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
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	// The mails are recorded before the first await inside sendMail; delivery goes on in the background.
	for (const { caseId } of outcome.carried) {
		notifyRequester({
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
		}).catch((error: unknown) => console.error('[carry-over] mail to the requester failed', error));
	}
	return { ok: true, carriedOver: outcome.carried.length, nextMeetingId: outcome.next?.id ?? null };
}
