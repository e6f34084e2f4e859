import { and, asc, desc, eq, gt, gte, inArray, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { MeetingRef } from './auth/access';
import {
	checkMeetingSlot,
	checkSeriesRule,
	computeDeadline,
	describeRecurrence,
	planOccurrences,
	type FieldErrors,
	type PlannedOccurrence
} from '$lib/domain/meeting-plan';
import {
	addDaysLocal,
	isValidLocalDate,
	listOccurrenceDates,
	parisLocalToUtc,
	toParisParts
} from '$lib/domain/schedule';
import { recordAudit, type AuditContext } from './audit';
import { getDb, type DbOrTx } from './db';
import {
	cases,
	decisions,
	invitations,
	mailMessages,
	meetings,
	meetingSeries,
	memberships,
	pathways,
	users
} from './db/schema';
import {
	addMeetingInvitations,
	addSeriesInvitations,
	alignGuestExpiry,
	emptyTally,
	findUserInvitation,
	listInvitableMembers,
	listMeetingInvitees,
	mailNewMeetingInvitations,
	mailSeriesInvitations,
	notifyMeetingChange,
	notifySeriesChange,
	toCalendarMeeting,
	type InvitationReply,
	type MailTally
} from './invitations';
import { buildCalendarFeed, meetingUid, type CalendarMeeting } from './calendar';
import { findPublicHoliday } from '$lib/domain/holidays';
import { SERIES_INVITE_MAILED } from './series-invitations';
import { sendInvitationReminders } from './invitation-reminders';
import { sendDueCaseReminders } from './case-reminders';
import { getPublicOrigin } from './config';
import { signPayload, verifyPayload } from './signing';
import { formatPersonName } from './users';

type SeriesInsert = typeof meetingSeries.$inferInsert;
export type SeriesInput = Omit<SeriesInsert, 'id' | 'createdAt' | 'createdBy' | 'endedAt'>;
export type MeetingRow = typeof meetings.$inferSelect;

/** How far ahead series occurrences are materialized as meeting rows. */
export const MATERIALIZE_DAYS = 180;

export function createSeries(
	input: SeriesInput,
	audit: AuditContext,
	tx: DbOrTx = getDb(),
	now: Date = new Date(),
	id: string = crypto.randomUUID()
): string {
	tx.insert(meetingSeries)
		.values({ ...input, id, createdBy: audit.actorId })
		.run();
	materializeSeries(id, tx, now);
	recordAudit(audit, { action: 'series.create', objectType: 'meeting_series', objectId: id }, tx);
	return id;
}

/**
 * Creates the meeting rows of a series up to the horizon. Existing occurrences (even moved or
 * cancelled ones) are left alone thanks to the (series, occurrence date) unique key; occurrences
 * already past are marked closed, as a series started in the past only records history.
 */
export function materializeSeries(
	seriesId: string,
	tx: DbOrTx = getDb(),
	now: Date = new Date()
): number {
	const s = tx.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId)).get();
	if (!s || s.endedAt) return 0;
	const pathway = tx.select().from(pathways).where(eq(pathways.id, s.pathwayId)).get();
	if (!pathway) return 0;
	const to = addDaysLocal(toParisParts(now).date, MATERIALIZE_DAYS);
	const dates = listOccurrenceDates(s, { to });
	let created = 0;
	for (const date of dates) {
		const start = parisLocalToUtc(date, s.localStartTime);
		if (!start.ok) continue; // a time erased by the spring-forward change: skipped that day
		if (s.skipHolidays && findPublicHoliday(date)) continue; // not held: EXDATE in calendars
		const startsAt = start.instant;
		const endsAt = new Date(startsAt.getTime() + s.durationMinutes * 60_000);
		const result = tx
			.insert(meetings)
			.values({
				pathwayId: s.pathwayId,
				seriesId: s.id,
				occurrenceDate: date,
				startsAt,
				endsAt,
				status: endsAt < now ? 'closed' : 'scheduled',
				closedAt: endsAt < now ? endsAt : null,
				chairId: s.chairId,
				deadlineAt: new Date(startsAt.getTime() - pathway.submissionDeadlineHours * 3_600_000),
				place: s.place,
				videoOffered: s.videoOffered
			})
			.onConflictDoNothing()
			.run();
		created += result.changes;
	}
	return created;
}

export function getMeeting(id: string): MeetingRow | undefined {
	return getDb().select().from(meetings).where(eq(meetings.id, id)).get();
}

export interface AgendaMeeting {
	id: string;
	startsAt: Date;
	endsAt: Date;
	status: MeetingRow['status'];
	place: string;
	videoOffered: boolean;
	pathwayId: string;
	pathwayName: string;
	chairName: string | null;
	/** The user's answer when invited, null when they are not. */
	reply: InvitationReply | null;
}

/** Meetings the user takes part in: their pathways', and those they are invited to. */
function userMeetingScope(userId: string, pathwayIds: readonly string[], db: DbOrTx) {
	const rows = db
		.select({ meetingId: invitations.meetingId, seriesId: invitations.seriesId })
		.from(invitations)
		.where(
			and(eq(invitations.userId, userId), isNull(invitations.revokedAt), isNull(invitations.caseId))
		)
		.all();
	const meetingIds = rows.map((r) => r.meetingId).filter((id): id is string => id !== null);
	const seriesIds = rows
		.filter((r) => r.meetingId === null)
		.map((r) => r.seriesId)
		.filter((id): id is string => id !== null);
	const scope = [
		...(pathwayIds.length ? [inArray(meetings.pathwayId, [...pathwayIds])] : []),
		...(meetingIds.length ? [inArray(meetings.id, meetingIds)] : []),
		...(seriesIds.length ? [inArray(meetings.seriesId, seriesIds)] : [])
	];
	return scope.length ? or(...scope) : null;
}

function selectAgenda(db: DbOrTx) {
	return db
		.select({
			id: meetings.id,
			seriesId: meetings.seriesId,
			startsAt: meetings.startsAt,
			endsAt: meetings.endsAt,
			status: meetings.status,
			place: meetings.place,
			videoOffered: meetings.videoOffered,
			pathwayId: meetings.pathwayId,
			pathwayName: pathways.name,
			chairFirst: users.firstName,
			chairLast: users.lastName,
			chairTitle: users.title
		})
		.from(meetings)
		.innerJoin(pathways, eq(pathways.id, meetings.pathwayId))
		.leftJoin(users, eq(users.id, meetings.chairId));
}

type AgendaSelectRow = Awaited<ReturnType<ReturnType<typeof selectAgenda>['all']>>[number];

function toAgendaMeeting(row: AgendaSelectRow, userId: string, db: DbOrTx): AgendaMeeting {
	const { chairFirst, chairLast, chairTitle, seriesId, ...m } = row;
	return {
		...m,
		chairName: chairLast ? [chairTitle, chairFirst, chairLast].filter(Boolean).join(' ') : null,
		reply: findUserInvitation({ id: m.id, seriesId }, userId, db)?.reply ?? null
	};
}

/** Upcoming meetings of the user's pathways, plus meetings they are personally invited to. */
export function listUpcomingMeetings(
	userId: string,
	pathwayIds: string[],
	now: Date = new Date(),
	limit = 20
): AgendaMeeting[] {
	const db = getDb();
	const scope = userMeetingScope(userId, pathwayIds, db);
	if (!scope) return [];
	return selectAgenda(db)
		.where(and(gte(meetings.endsAt, now), scope))
		.orderBy(asc(meetings.startsAt))
		.limit(limit)
		.all()
		.map((row) => toAgendaMeeting(row, userId, db));
}

/** The user's meetings starting in [from, to), cancelled ones included (the month view). */
export function listUserMeetingsBetween(
	userId: string,
	pathwayIds: readonly string[],
	from: Date,
	to: Date
): AgendaMeeting[] {
	const db = getDb();
	const scope = userMeetingScope(userId, pathwayIds, db);
	if (!scope) return [];
	return selectAgenda(db)
		.where(and(gte(meetings.startsAt, from), lt(meetings.startsAt, to), scope))
		.orderBy(asc(meetings.startsAt))
		.all()
		.map((row) => toAgendaMeeting(row, userId, db));
}

/** The user's meetings as calendar entries, for the personal feed. */
export function listUserCalendar(
	userId: string,
	pathwayIds: readonly string[],
	from: Date,
	to: Date
): CalendarMeeting[] {
	const db = getDb();
	const scope = userMeetingScope(userId, pathwayIds, db);
	if (!scope) return [];
	return db
		.select({ row: meetings, pathwayName: pathways.name, chair: users })
		.from(meetings)
		.innerJoin(pathways, eq(pathways.id, meetings.pathwayId))
		.leftJoin(users, eq(users.id, meetings.chairId))
		.where(and(gte(meetings.startsAt, from), lt(meetings.startsAt, to), scope))
		.orderBy(asc(meetings.startsAt))
		.all()
		.map(({ row, pathwayName, chair }) => toCalendarMeeting(row, pathwayName, chair));
}

/** Users holding a live invitation to the meeting itself or to its series (not case-scoped). */
export function listInvitedUserIds(
	meeting: Pick<MeetingRow, 'id' | 'seriesId'>,
	tx: DbOrTx = getDb()
): string[] {
	const scope = meeting.seriesId
		? or(eq(invitations.meetingId, meeting.id), eq(invitations.seriesId, meeting.seriesId))
		: eq(invitations.meetingId, meeting.id);
	return tx
		.select({ userId: invitations.userId })
		.from(invitations)
		.where(and(scope, isNull(invitations.revokedAt), isNull(invitations.caseId)))
		.all()
		.map((r) => r.userId)
		.filter((id): id is string => id !== null);
}

/** The facts the access policy needs about a meeting. */
export function toMeetingRef(meeting: MeetingRow, tx: DbOrTx = getDb()): MeetingRef {
	return {
		id: meeting.id,
		pathwayId: meeting.pathwayId,
		chairId: meeting.chairId,
		status: meeting.status,
		invitedUserIds: listInvitedUserIds(meeting, tx)
	};
}

export function getMeetingRef(meetingId: string): { meeting: MeetingRow; ref: MeetingRef } | null {
	const meeting = getMeeting(meetingId);
	return meeting ? { meeting, ref: toMeetingRef(meeting) } : null;
}

// ---------- planning (coordinators) ----------

export interface ChairCandidate {
	userId: string;
	name: string;
	specialty: string | null;
}

/** Who may chair: the pathway's doctors. */
export function listChairCandidates(pathwayId: string, tx: DbOrTx = getDb()): ChairCandidate[] {
	return listInvitableMembers(pathwayId, tx).map(({ userId, name, specialty }) => ({
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

function chairError(pathwayId: string, chairId: string, tx: DbOrTx): FieldErrors | null {
	return listChairCandidates(pathwayId, tx).some((c) => c.userId === chairId)
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
	const outcome = getDb().transaction(
		(tx) => {
			const pathway = tx.select().from(pathways).where(eq(pathways.id, pathwayId)).get();
			if (!pathway) return { ok: false as const, errors: { form: 'Cette filière n’existe pas.' } };
			const chair = chairError(pathwayId, input.chairId, tx);
			if (chair) return { ok: false as const, errors: chair };
			if (input.requestId) {
				const done = tx
					.select({ id: meetingSeries.id, pathwayId: meetingSeries.pathwayId })
					.from(meetingSeries)
					.where(eq(meetingSeries.id, input.requestId))
					.get();
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
			const seriesId = createSeries(
				{ ...rule, pathwayId },
				audit,
				tx,
				now,
				requestId ?? crypto.randomUUID()
			);
			let created: string[] = [];
			if (inviteMembers) {
				const series = tx.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId)).get()!;
				const members = listInvitableMembers(pathwayId, tx).map((m) => m.userId);
				const rows = addSeriesInvitations(tx, series, members, audit);
				if (rows.ok) created = rows.created;
			}
			return { ok: true as const, seriesId, created, repeat: false };
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	const count = getDb()
		.select({ id: meetings.id })
		.from(meetings)
		.where(eq(meetings.seriesId, outcome.seriesId))
		.all().length;
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
	const outcome = getDb().transaction(
		(tx) => {
			const pathway = tx.select().from(pathways).where(eq(pathways.id, pathwayId)).get();
			if (!pathway) return { ok: false as const, errors: { form: 'Cette filière n’existe pas.' } };
			const chair = chairError(pathwayId, input.chairId, tx);
			if (chair) return { ok: false as const, errors: chair };
			const id = input.requestId ?? crypto.randomUUID();
			const done = tx.select().from(meetings).where(eq(meetings.id, id)).get();
			if (done) {
				return done.pathwayId === pathwayId
					? { ok: true as const, meetingId: id, created: [] as string[] }
					: { ok: false as const, errors: { form: 'Formulaire invalide : rechargez la page.' } };
			}
			tx.insert(meetings)
				.values({
					id,
					pathwayId,
					startsAt: slot.startsAt,
					endsAt: slot.endsAt,
					chairId: input.chairId,
					deadlineAt: computeDeadline(slot.startsAt, pathway.submissionDeadlineHours),
					place: input.place,
					videoOffered: input.videoOffered
				})
				.run();
			recordAudit(audit, { action: 'meeting.create', objectType: 'meeting', objectId: id }, tx);
			let created: string[] = [];
			if (input.inviteMembers) {
				const meeting = tx.select().from(meetings).where(eq(meetings.id, id)).get()!;
				const members = listInvitableMembers(pathwayId, tx).map((m) => m.userId);
				const rows = addMeetingInvitations(tx, meeting, members, audit, now);
				if (rows.ok) created = rows.created;
			}
			return { ok: true as const, meetingId: id, created };
		},
		{ behavior: 'immediate' }
	);
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
	const outcome = getDb().transaction(
		(tx) => {
			const meeting = tx.select().from(meetings).where(eq(meetings.id, meetingId)).get();
			if (!meeting) return { ok: false as const, errors: { form: 'Cette séance n’existe pas.' } };
			if (meeting.status !== 'scheduled' || meeting.startsAt <= now) {
				return {
					ok: false as const,
					errors: {
						form: 'Seule une séance programmée et pas encore commencée peut être modifiée.'
					}
				};
			}
			const chair = chairError(meeting.pathwayId, input.chairId, tx);
			if (chair) return { ok: false as const, errors: chair };
			const changed: string[] = [];
			const set: Partial<MeetingRow> = {};
			if (!sameSlot(meeting, input)) {
				const slot = checkMeetingSlot(input, now);
				if (!slot.ok) return slot;
				const pathway = tx.select().from(pathways).where(eq(pathways.id, meeting.pathwayId)).get()!;
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
			tx.update(meetings)
				.set({ ...set, icsSequence: meeting.icsSequence + 1, updatedAt: now })
				.where(eq(meetings.id, meetingId))
				.run();
			if (set.endsAt) alignGuestExpiry({ id: meetingId, endsAt: set.endsAt }, tx);
			recordAudit(
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
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	const mails = outcome.changed.length
		? await notifyMeetingChange(meetingId, 'update', outcome.previous)
		: emptyTally();
	return { ok: true, changed: outcome.changed, mails };
}

export type CancelMeetingResult =
	| { ok: true; already: boolean; casesToMove: number; mails: MailTally }
	| { ok: false; message: string };

function countCases(meetingId: string, tx: DbOrTx): number {
	return tx.select({ id: cases.id }).from(cases).where(eq(cases.meetingId, meetingId)).all().length;
}

/** How many cases are registered for the meeting (a count only: no patient data is read). */
export function countMeetingCases(meetingId: string): number {
	return countCases(meetingId, getDb());
}

/** Cancels one meeting (a series keeps its other occurrences); every invitee gets a CANCEL. */
export async function cancelMeeting(
	meetingId: string,
	reason: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<CancelMeetingResult> {
	const outcome = getDb().transaction(
		(tx) => {
			const meeting = tx.select().from(meetings).where(eq(meetings.id, meetingId)).get();
			if (!meeting) return { ok: false as const, message: 'Cette séance n’existe pas.' };
			if (meeting.status === 'cancelled') {
				return { ok: true as const, already: true, casesToMove: countCases(meetingId, tx) };
			}
			if (meeting.status !== 'scheduled' || meeting.startsAt <= now) {
				return {
					ok: false as const,
					message: 'Une séance commencée, en cours ou clôturée ne peut plus être annulée.'
				};
			}
			tx.update(meetings)
				.set({
					status: 'cancelled',
					cancelReason: reason,
					icsSequence: meeting.icsSequence + 1,
					updatedAt: now
				})
				.where(eq(meetings.id, meetingId))
				.run();
			recordAudit(
				audit,
				{
					action: 'meeting.cancel',
					objectType: 'meeting',
					objectId: meetingId,
					detail: { reason }
				},
				tx
			);
			return { ok: true as const, already: false, casesToMove: countCases(meetingId, tx) };
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	const mails = outcome.already ? emptyTally() : await notifyMeetingChange(meetingId, 'cancel');
	return { ...outcome, mails };
}

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
	const outcome = getDb().transaction(
		(tx) => {
			const series = tx.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId)).get();
			if (!series) return { ok: false as const, errors: { form: 'Cette série n’existe pas.' } };
			if (series.endedAt)
				return { ok: false as const, errors: { form: 'Cette série est terminée.' } };
			const chair = chairError(series.pathwayId, input.chairId, tx);
			if (chair) return { ok: false as const, errors: chair };
			const changed: string[] = [];
			if (input.chairId !== series.chairId) changed.push('président');
			if (input.place !== series.place) changed.push('lieu');
			if (input.videoOffered !== series.videoOffered) changed.push('visioconférence');
			if (!changed.length) return { ok: true as const, changed, updated: [] as string[] };
			tx.update(meetingSeries).set(input).where(eq(meetingSeries.id, seriesId)).run();
			const coming = tx
				.select()
				.from(meetings)
				.where(
					and(
						eq(meetings.seriesId, seriesId),
						eq(meetings.status, 'scheduled'),
						gt(meetings.startsAt, now)
					)
				)
				.all();
			const updated: string[] = [];
			for (const m of coming) {
				const set: Partial<MeetingRow> = {};
				if (m.chairId === series.chairId && input.chairId !== m.chairId)
					set.chairId = input.chairId;
				if (m.place === series.place && input.place !== m.place) set.place = input.place;
				if (m.videoOffered === series.videoOffered && input.videoOffered !== m.videoOffered) {
					set.videoOffered = input.videoOffered;
				}
				if (!Object.keys(set).length) continue;
				tx.update(meetings)
					.set({ ...set, icsSequence: m.icsSequence + 1, updatedAt: now })
					.where(eq(meetings.id, m.id))
					.run();
				updated.push(m.id);
			}
			recordAudit(
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
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	const mails = emptyTally();
	// The recurring event is resent whole; invitees of single meetings get their update.
	for (const id of outcome.updated) {
		addTally(mails, await notifyMeetingChange(id, 'update', undefined, { seriesInvitees: false }));
	}
	if (outcome.changed.length) addTally(mails, await notifySeriesChange(seriesId, now));
	return { ok: true, changed: outcome.changed, meetings: outcome.updated.length, mails };
}

function addTally(total: MailTally, more: MailTally): void {
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
	const outcome = getDb().transaction(
		(tx) => {
			const series = tx.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId)).get();
			if (!series) return { ok: false as const, errors: { form: 'Cette série n’existe pas.' } };
			if (series.endedAt) {
				return { ok: false as const, errors: { form: 'Cette série est déjà terminée.' } };
			}
			const later = tx
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
				)
				.all();
			const cancelled: string[] = [];
			const removed: string[] = [];
			for (const m of later) {
				// Announced: an invite went out (its mail, or a series invitation mailed past it),
				// or work hangs on it.
				const announced =
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
						.get() !== undefined ||
					tx
						.select({ id: mailMessages.id })
						.from(mailMessages)
						.where(eq(mailMessages.icsUid, meetingUid(m.id)))
						.limit(1)
						.get() !== undefined ||
					countCases(m.id, tx) > 0 ||
					tx
						.select({ id: decisions.id })
						.from(decisions)
						.where(eq(decisions.meetingId, m.id))
						.get() !== undefined ||
					tx
						.select({ id: invitations.id })
						.from(invitations)
						.where(eq(invitations.meetingId, m.id))
						.get() !== undefined;
				if (announced) {
					tx.update(meetings)
						.set({
							status: 'cancelled',
							cancelReason: 'Fin de la série de séances',
							icsSequence: m.icsSequence + 1,
							updatedAt: now
						})
						.where(eq(meetings.id, m.id))
						.run();
					cancelled.push(m.id);
				} else {
					tx.delete(meetings).where(eq(meetings.id, m.id)).run();
					removed.push(m.id);
				}
			}
			const untilDate =
				series.untilDate && series.untilDate < lastDate ? series.untilDate : lastDate;
			tx.update(meetingSeries)
				.set({ untilDate, endedAt: now })
				.where(eq(meetingSeries.id, seriesId))
				.run();
			recordAudit(
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
		},
		{ behavior: 'immediate' }
	);
	if (!outcome.ok) return outcome;
	const mails = emptyTally();
	for (const id of outcome.cancelled) {
		addTally(mails, await notifyMeetingChange(id, 'cancel', undefined, { seriesInvitees: false }));
	}
	addTally(mails, await notifySeriesChange(seriesId, now)); // the recurring event gets its end
	return { ok: true, cancelled: outcome.cancelled.length, removed: outcome.removed, mails };
}

// ---------- reading ----------

export type SeriesRow = typeof meetingSeries.$inferSelect;

export interface SeriesSummary extends SeriesRow {
	description: string;
	chairName: string | null;
}

function chairNameOf(id: string | null, tx: DbOrTx): string | null {
	if (!id) return null;
	const u = tx.select().from(users).where(eq(users.id, id)).get();
	return u ? formatPersonName(u) : null;
}

export function getSeries(seriesId: string): SeriesSummary | null {
	const db = getDb();
	const s = db.select().from(meetingSeries).where(eq(meetingSeries.id, seriesId)).get();
	return s
		? { ...s, description: describeRecurrence(s), chairName: chairNameOf(s.chairId, db) }
		: null;
}

export function listPathwaySeries(pathwayId: string): SeriesSummary[] {
	const db = getDb();
	return db
		.select()
		.from(meetingSeries)
		.where(eq(meetingSeries.pathwayId, pathwayId))
		.orderBy(asc(meetingSeries.createdAt))
		.all()
		.map((s) => ({
			...s,
			description: describeRecurrence(s),
			chairName: chairNameOf(s.chairId, db)
		}));
}

export interface SeriesOccurrence extends PlannedOccurrence {
	meetingId: string | null;
}

/** The series from today to the planning horizon, with cancellations and moves shown. */
export function listSeriesOccurrences(
	series: SeriesRow,
	now: Date = new Date()
): SeriesOccurrence[] {
	const today = toParisParts(now).date;
	const stored = getDb()
		.select()
		.from(meetings)
		.where(and(eq(meetings.seriesId, series.id), isNotNull(meetings.occurrenceDate)))
		.all();
	const byDate = new Map(stored.map((m) => [m.occurrenceDate!, m]));
	const plan = planOccurrences(
		series,
		{ from: today, to: addDaysLocal(today, MATERIALIZE_DAYS) },
		stored.map((m) => ({
			occurrenceDate: m.occurrenceDate!,
			startsAt: m.startsAt,
			endsAt: m.endsAt,
			status: m.status
		}))
	);
	return plan.occurrences
		.filter((o) => o.stored)
		.map((o) => ({ ...o, meetingId: byDate.get(o.occurrenceDate)?.id ?? null }));
}

export interface PathwayMeetingLine {
	id: string;
	startsAt: Date;
	endsAt: Date;
	status: MeetingRow['status'];
	place: string;
	videoOffered: boolean;
	seriesId: string | null;
	chairName: string | null;
	cancelReason: string | null;
	invited: number;
	accepted: number;
}

/** The pathway's meetings in a period, cancelled ones included, with their answers so far. */
export function listPathwayMeetings(pathwayId: string, from: Date, to: Date): PathwayMeetingLine[] {
	return getDb()
		.select({ m: meetings, chair: users })
		.from(meetings)
		.leftJoin(users, eq(users.id, meetings.chairId))
		.where(
			and(eq(meetings.pathwayId, pathwayId), gte(meetings.endsAt, from), lt(meetings.startsAt, to))
		)
		.orderBy(asc(meetings.startsAt))
		.all()
		.map(({ m, chair }) => ({
			id: m.id,
			startsAt: m.startsAt,
			endsAt: m.endsAt,
			status: m.status,
			place: m.place,
			videoOffered: m.videoOffered,
			seriesId: m.seriesId,
			chairName: chair ? formatPersonName(chair) : null,
			cancelReason: m.cancelReason,
			...countReplies(m)
		}));
}

function countReplies(m: MeetingRow): { invited: number; accepted: number } {
	const invitees = listMeetingInvitees(m);
	return {
		invited: invitees.length,
		accepted: invitees.filter((i) => i.reply === 'accepted').length
	};
}

export interface MeetingOverview {
	meeting: MeetingRow;
	pathwayName: string;
	chairName: string | null;
	series: { id: string; description: string } | null;
}

export function getMeetingOverview(meeting: MeetingRow): MeetingOverview {
	const db = getDb();
	const pathway = db.select().from(pathways).where(eq(pathways.id, meeting.pathwayId)).get()!;
	const series = meeting.seriesId
		? db.select().from(meetingSeries).where(eq(meetingSeries.id, meeting.seriesId)).get()
		: undefined;
	return {
		meeting,
		pathwayName: pathway.name,
		chairName: chairNameOf(meeting.chairId, db),
		series: series ? { id: series.id, description: describeRecurrence(series) } : null
	};
}

/** The pathway's next meeting, for the list of pathways. */
export function findNextMeeting(pathwayId: string, now: Date = new Date()): MeetingRow | null {
	return (
		getDb()
			.select()
			.from(meetings)
			.where(
				and(
					eq(meetings.pathwayId, pathwayId),
					gt(meetings.endsAt, now),
					or(eq(meetings.status, 'scheduled'), eq(meetings.status, 'open'))
				)
			)
			.orderBy(asc(meetings.startsAt))
			.limit(1)
			.get() ?? null
	);
}

// ---------- upkeep ----------

/**
 * Keeps the calendar going: each active series gets its meetings up to the horizon, and
 * series invitations their invites for the meetings entering the next three months. Runs at
 * start-up and every few hours; running it twice changes nothing.
 */
export async function runCalendarMaintenance(now: Date = new Date()): Promise<{
	meetings: number;
	mails: MailTally;
}> {
	const db = getDb();
	const active = db
		.select({ id: meetingSeries.id })
		.from(meetingSeries)
		.where(isNull(meetingSeries.endedAt))
		.orderBy(desc(meetingSeries.createdAt))
		.all();
	let created = 0;
	for (const { id } of active) {
		created += db.transaction((tx) => materializeSeries(id, tx, now), { behavior: 'immediate' });
	}
	const mails = await mailSeriesInvitations('all', now);
	addTally(mails, await sendInvitationReminders(now)); // invitees who have not answered
	await sendDueCaseReminders(now); // requesters of incomplete cases, before the deadline
	return { meetings: created, mails };
}

// ---------- personal calendar feed ----------

/** The secret part of the feed address; resetting bumps the version and kills old addresses. */
function feedSignature(userId: string, version: number): string {
	return signPayload(`feed:${userId}:${version}`);
}

export function buildCalendarFeedUrl(user: { id: string; calendarFeedVersion: number }): string {
	return `${getPublicOrigin()}/api/calendar/${user.id}.${feedSignature(user.id, user.calendarFeedVersion)}.ics`;
}

export function getCalendarFeedUrl(userId: string): string | null {
	const user = getDb().select().from(users).where(eq(users.id, userId)).get();
	return user ? buildCalendarFeedUrl(user) : null;
}

/** A new secret address; subscriptions to the old one stop at their next refresh. */
export function resetCalendarFeed(userId: string, audit: AuditContext): string {
	return getDb().transaction(
		(tx) => {
			const user = tx.select().from(users).where(eq(users.id, userId)).get()!;
			const version = user.calendarFeedVersion + 1;
			tx.update(users).set({ calendarFeedVersion: version }).where(eq(users.id, userId)).run();
			recordAudit(
				audit,
				{ action: 'calendar.feed_reset', objectType: 'user', objectId: userId },
				tx
			);
			return buildCalendarFeedUrl({ id: userId, calendarFeedVersion: version });
		},
		{ behavior: 'immediate' }
	);
}

/** How far back and ahead the feed reaches. */
const FEED_PAST_DAYS = 92;
const FEED_AHEAD_DAYS = MATERIALIZE_DAYS;

/**
 * The iCalendar text of a feed address (`<userId>.<signature>.ics`), or null when the address
 * is unknown, reset or its account disabled. It lists meetings only, never patient data.
 */
export function renderCalendarFeed(address: string, now: Date = new Date()): string | null {
	const match = /^([0-9a-f-]{36})\.([A-Za-z0-9_-]{20,100})\.ics$/i.exec(address);
	if (!match) return null;
	const [, userId, signature] = match as unknown as [string, string, string];
	const user = getDb().select().from(users).where(eq(users.id, userId)).get();
	if (!user || user.disabledAt) return null;
	if (!verifyPayload(`feed:${user.id}:${user.calendarFeedVersion}`, signature)) return null;
	const pathwayIds = [
		...new Set(
			getDb()
				.select({ pathwayId: memberships.pathwayId })
				.from(memberships)
				.where(eq(memberships.userId, user.id))
				.all()
				.map((m) => m.pathwayId)
		)
	];
	const meetingsOfUser = listUserCalendar(
		user.id,
		pathwayIds,
		new Date(now.getTime() - FEED_PAST_DAYS * 86_400_000),
		new Date(now.getTime() + FEED_AHEAD_DAYS * 86_400_000)
	);
	return buildCalendarFeed('Pluri — mes séances de RCP', meetingsOfUser, now);
}

const UPKEEP_INTERVAL_MS = 6 * 3_600_000;
let upkeep: ReturnType<typeof setInterval> | undefined;

/** Runs the calendar upkeep at start-up and every six hours in the background (PLURI_CALENDAR_UPKEEP=0 turns it off). */
export function startCalendarUpkeep(): void {
	if (upkeep || process.env.PLURI_CALENDAR_UPKEEP === '0') return;
	const run = (): void => {
		runCalendarMaintenance().catch((e: unknown) => console.error('[calendar upkeep]', e));
	};
	run();
	upkeep = setInterval(run, UPKEEP_INTERVAL_MS);
	upkeep.unref();
}
