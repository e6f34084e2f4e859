// Planning by coordinators: series, single meetings, moves and cancellations.
import {
	checkMeetingSlot,
	checkSeriesRule,
	computeDeadline,
	type FieldErrors
} from '$lib/domain/meeting-plan';
import { toParisParts } from '$lib/domain/schedule';
import { eq } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import { getDb, type DbOrTx, queryOne, transaction } from './db';
import { cases, meetings, meetingSeries, pathways } from './db/schema';
import { listInvitableMembers } from './invitations';
import { createSeries, MATERIALIZE_DAYS, type MeetingRow } from './meetings';
import { alignGuestExpiry } from './guest-links';
import {
	addMeetingInvitations,
	addSeriesInvitations,
	mailNewMeetingInvitations,
	mailSeriesInvitations
} from './member-invitations';
import { emptyTally, notifyMeetingChange, type MailTally } from './invitation-mails';

export interface ChairCandidate {
	userId: string;
	name: string;
	specialty: string | null;
}

/** Who may chair: the pathway's doctors. */
export async function listChairCandidates(
	pathwayId: string,
	tx: DbOrTx = getDb()
): Promise<ChairCandidate[]> {
	return (await listInvitableMembers(pathwayId, tx)).map(({ userId, name, specialty }) => ({
		userId,
		name,
		specialty
	}));
}

export interface SeriesPlanInput {
	frequency: 'weekly' | 'biweekly' | 'monthly';
	weekday: number;
	nthWeek: number | null;
	startDate: string;
	untilDate: string | null;
	count: number | null;
	localStartTime: string;
	durationMinutes: number;
	place: string;
	videoOffered: boolean;
	chairId: string;
	inviteMembers: boolean;
	/** Occurrences on a French public holiday are not scheduled. */
	skipHolidays?: boolean;
	/** Set by the form: a second submission of the same form finds the first series. */
	requestId: string | null;
}

export type PlanSeriesResult =
	| { ok: true; seriesId: string; meetings: number; invited: number; mails: MailTally }
	| { ok: false; errors: FieldErrors };

export async function chairError(
	pathwayId: string,
	chairId: string,
	tx: DbOrTx
): Promise<FieldErrors | null> {
	return (await listChairCandidates(pathwayId, tx)).some((c) => c.userId === chairId)
		? null
		: { chairId: 'Choisissez le président parmi les médecins de la filière.' };
}

/**
 * Creates a recurring series and its meetings for the planning horizon, optionally inviting
 * every doctor of the pathway to it; the invites go out once the series is saved.
 */
export async function planSeries(
	pathwayId: string,
	input: SeriesPlanInput,
	audit: AuditContext,
	now: Date = new Date()
): Promise<PlanSeriesResult> {
	const check = checkSeriesRule(input, now, MATERIALIZE_DAYS);
	if (!check.ok) return check;
	const outcome = await transaction(getDb(), async (tx) => {
		const pathway = await queryOne(tx.select().from(pathways).where(eq(pathways.id, pathwayId)));
		if (!pathway) return { ok: false as const, errors: { form: 'Cette filière n’existe pas.' } };
		const chair = await chairError(pathwayId, input.chairId, tx);
		if (chair) return { ok: false as const, errors: chair };
		if (input.requestId) {
			const done = await queryOne(
				tx
					.select({ id: meetingSeries.id, pathwayId: meetingSeries.pathwayId })
					.from(meetingSeries)
					.where(eq(meetingSeries.id, input.requestId))
			);
			if (done) {
				if (done.pathwayId !== pathwayId)
					return {
						ok: false as const,
						errors: { form: 'Formulaire invalide : rechargez la page.' }
					};
				return { ok: true as const, seriesId: done.id, created: [] as string[], repeat: true };
			}
		}
		const { requestId, inviteMembers, ...rule } = input;
		const seriesId = await createSeries(
			{ ...rule, pathwayId },
			audit,
			tx,
			now,
			requestId ?? crypto.randomUUID()
		);
		let created: string[] = [];
		if (inviteMembers) {
			const series = (await queryOne(
				tx.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId))
			))!;
			const members = (await listInvitableMembers(pathwayId, tx)).map((m) => m.userId);
			const rows = await addSeriesInvitations(tx, series, members, audit);
			if (rows.ok) created = rows.created;
		}
		return { ok: true as const, seriesId, created, repeat: false };
	});
	if (!outcome.ok) return outcome;
	const count = (
		await getDb()
			.select({ id: meetings.id })
			.from(meetings)
			.where(eq(meetings.seriesId, outcome.seriesId))
	).length;
	const mails = await mailSeriesInvitations(outcome.created, now);
	return {
		ok: true,
		seriesId: outcome.seriesId,
		meetings: count,
		invited: outcome.created.length,
		mails
	};
}

export interface MeetingSlotInput {
	date: string;
	time: string;
	durationMinutes: number;
	place: string;
	videoOffered: boolean;
	chairId: string;
}

export type AddMeetingResult =
	| { ok: true; meetingId: string; invited: number; mails: MailTally }
	| { ok: false; errors: FieldErrors };

/** A one-off meeting (an extra session, a replacement), outside any series. */
export async function addMeeting(
	pathwayId: string,
	input: MeetingSlotInput & { inviteMembers: boolean; requestId: string | null },
	audit: AuditContext,
	now: Date = new Date()
): Promise<AddMeetingResult> {
	const slot = checkMeetingSlot(input, now);
	if (!slot.ok) return slot;
	const outcome = await transaction(getDb(), async (tx) => {
		const pathway = await queryOne(tx.select().from(pathways).where(eq(pathways.id, pathwayId)));
		if (!pathway) return { ok: false as const, errors: { form: 'Cette filière n’existe pas.' } };
		const chair = await chairError(pathwayId, input.chairId, tx);
		if (chair) return { ok: false as const, errors: chair };
		const id = input.requestId ?? crypto.randomUUID();
		const done = await queryOne(tx.select().from(meetings).where(eq(meetings.id, id)));
		if (done) {
			return done.pathwayId === pathwayId
				? { ok: true as const, meetingId: id, created: [] as string[] }
				: { ok: false as const, errors: { form: 'Formulaire invalide : rechargez la page.' } };
		}
		await tx.insert(meetings).values({
			id,
			pathwayId,
			startsAt: slot.startsAt,
			endsAt: slot.endsAt,
			chairId: input.chairId,
			deadlineAt: computeDeadline(slot.startsAt, pathway.submissionDeadlineHours),
			place: input.place,
			videoOffered: input.videoOffered
		});
		await recordAudit(audit, { action: 'meeting.create', objectType: 'meeting', objectId: id }, tx);
		let created: string[] = [];
		if (input.inviteMembers) {
			const meeting = (await queryOne(tx.select().from(meetings).where(eq(meetings.id, id))))!;
			const members = (await listInvitableMembers(pathwayId, tx)).map((m) => m.userId);
			const rows = await addMeetingInvitations(tx, meeting, members, audit, now);
			if (rows.ok) created = rows.created;
		}
		return { ok: true as const, meetingId: id, created };
	});
	if (!outcome.ok) return outcome;
	const mails = await mailNewMeetingInvitations(outcome.meetingId, outcome.created, now);
	return { ok: true, meetingId: outcome.meetingId, invited: outcome.created.length, mails };
}

export type UpdateMeetingResult =
	{ ok: true; changed: string[]; mails: MailTally } | { ok: false; errors: FieldErrors };

function sameSlot(meeting: MeetingRow, input: MeetingSlotInput): boolean {
	const { date, time } = toParisParts(meeting.startsAt);
	const minutes = Math.round((meeting.endsAt.getTime() - meeting.startsAt.getTime()) / 60_000);
	return date === input.date && time === input.time && minutes === input.durationMinutes;
}

/**
 * Moves a meeting or changes its place, video or chair. Any change raises the calendar
 * SEQUENCE and mails every invitee the updated invite; the submission deadline follows a move.
 */
export async function updateMeeting(
	meetingId: string,
	input: MeetingSlotInput,
	audit: AuditContext,
	now: Date = new Date()
): Promise<UpdateMeetingResult> {
	const outcome = await transaction(getDb(), async (tx) => {
		const meeting = await queryOne(tx.select().from(meetings).where(eq(meetings.id, meetingId)));
		if (!meeting) return { ok: false as const, errors: { form: 'Cette séance n’existe pas.' } };
		if (meeting.status !== 'scheduled' || meeting.startsAt <= now) {
			return {
				ok: false as const,
				errors: {
					form: 'Seule une séance programmée et pas encore commencée peut être modifiée.'
				}
			};
		}
		const chair = await chairError(meeting.pathwayId, input.chairId, tx);
		if (chair) return { ok: false as const, errors: chair };
		const changed: string[] = [];
		const set: Partial<MeetingRow> = {};
		if (!sameSlot(meeting, input)) {
			const slot = checkMeetingSlot(input, now);
			if (!slot.ok) return slot;
			const pathway = (await queryOne(
				tx.select().from(pathways).where(eq(pathways.id, meeting.pathwayId))
			))!;
			Object.assign(set, {
				startsAt: slot.startsAt,
				endsAt: slot.endsAt,
				deadlineAt: computeDeadline(slot.startsAt, pathway.submissionDeadlineHours)
			});
			changed.push('horaire');
		}
		if (input.place !== meeting.place) {
			set.place = input.place;
			changed.push('lieu');
		}
		if (input.videoOffered !== meeting.videoOffered) {
			set.videoOffered = input.videoOffered;
			changed.push('visioconférence');
		}
		if (input.chairId !== meeting.chairId) {
			set.chairId = input.chairId;
			changed.push('président');
		}
		if (!changed.length) return { ok: true as const, changed, previous: meeting.startsAt };
		await tx
			.update(meetings)
			.set({ ...set, icsSequence: meeting.icsSequence + 1, updatedAt: now })
			.where(eq(meetings.id, meetingId));
		if (set.endsAt) await alignGuestExpiry({ id: meetingId, endsAt: set.endsAt }, tx);
		await recordAudit(
			audit,
			{
				action: 'meeting.update',
				objectType: 'meeting',
				objectId: meetingId,
				detail: {
					changed,
					from: { startsAt: meeting.startsAt, place: meeting.place, chairId: meeting.chairId },
					to: set
				}
			},
			tx
		);
		return { ok: true as const, changed, previous: meeting.startsAt };
	});
	if (!outcome.ok) return outcome;
	const mails = outcome.changed.length
		? await notifyMeetingChange(meetingId, 'update', outcome.previous)
		: emptyTally();
	return { ok: true, changed: outcome.changed, mails };
}

export type CancelMeetingResult =
	| { ok: true; already: boolean; casesToMove: number; mails: MailTally }
	| { ok: false; message: string };

export async function countCases(meetingId: string, tx: DbOrTx): Promise<number> {
	return (await tx.select({ id: cases.id }).from(cases).where(eq(cases.meetingId, meetingId)))
		.length;
}

/** How many cases are registered for the meeting (a count only: no patient data is read). */
export function countMeetingCases(meetingId: string): Promise<number> {
	return countCases(meetingId, getDb());
}

/** Cancels one meeting (a series keeps its other occurrences); every invitee gets a CANCEL. */
export async function cancelMeeting(
	meetingId: string,
	reason: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<CancelMeetingResult> {
	const outcome = await transaction(getDb(), async (tx) => {
		const meeting = await queryOne(tx.select().from(meetings).where(eq(meetings.id, meetingId)));
		if (!meeting) return { ok: false as const, message: 'Cette séance n’existe pas.' };
		if (meeting.status === 'cancelled') {
			return { ok: true as const, already: true, casesToMove: await countCases(meetingId, tx) };
		}
		if (meeting.status !== 'scheduled' || meeting.startsAt <= now) {
			return {
				ok: false as const,
				message: 'Une séance commencée, en cours ou clôturée ne peut plus être annulée.'
			};
		}
		await tx
			.update(meetings)
			.set({
				status: 'cancelled',
				cancelReason: reason,
				icsSequence: meeting.icsSequence + 1,
				updatedAt: now
			})
			.where(eq(meetings.id, meetingId));
		await recordAudit(
			audit,
			{
				action: 'meeting.cancel',
				objectType: 'meeting',
				objectId: meetingId,
				detail: { reason }
			},
			tx
		);
		return { ok: true as const, already: false, casesToMove: await countCases(meetingId, tx) };
	});
	if (!outcome.ok) return outcome;
	const mails = outcome.already ? emptyTally() : await notifyMeetingChange(meetingId, 'cancel');
	return { ...outcome, mails };
}
