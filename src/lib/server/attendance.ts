import { and, eq, gt, isNotNull, isNull, or } from 'drizzle-orm';
import {
	computeGraceUntil,
	selectCountedStays,
	type QuorumAttendee,
	type QuorumOpinion
} from '$lib/domain/quorum';
import { recordAudit, type AuditContext } from './audit';
import { getDb, type DbOrTx, queryOne, affectedRows, transaction } from './db';
import {
	attendance,
	invitations,
	meetings,
	memberships,
	pathways,
	users,
	writtenOpinions
} from './db/schema';
import { listMeetingInvitees } from './invitations';
import { publishMeetingEvent } from './live/bus';
import type { MeetingRow } from './meetings';
import { formatPersonName } from './users';

export type AttendanceRow = typeof attendance.$inferSelect;

/**
 * People in the meeting right now: joined by video or checked in, and not left — or left the
 * video less than the pathway's grace period ago (a reload, a network blip). One row per person
 * and source; `graceUntil` is set on the rows counted only through their grace period.
 */
export async function listPresentAttendance(
	meetingId: string,
	tx: DbOrTx = getDb(),
	now: Date = new Date()
): Promise<(AttendanceRow & { sector: string | null })[]> {
	const rows = (
		await tx
			.select({ row: attendance, sector: users.sector })
			.from(attendance)
			.leftJoin(users, eq(users.id, attendance.userId))
			.where(
				and(
					eq(attendance.meetingId, meetingId),
					or(isNull(attendance.leftAt), gt(attendance.graceUntil, now))
				)
			)
			.orderBy(attendance.joinedAt)
	).map(({ row, sector }) => ({
		...row,
		sector,
		personKey: `${row.userId ?? row.invitationId ?? row.identity}|${row.source}`
	}));
	return selectCountedStays(rows, now).map(({ personKey: _key, ...row }) => ({
		...row,
		graceUntil: row.leftAt === null ? null : row.graceUntil
	}));
}

/** Present people as the quorum rule sees them: one person per user (or guest), GPs flagged. */
export async function listQuorumAttendees(
	meetingId: string,
	tx: DbOrTx = getDb(),
	now: Date = new Date()
): Promise<QuorumAttendee[]> {
	return (await listPresentAttendance(meetingId, tx, now)).map((a) => ({
		personId: a.userId ?? a.identity,
		specialty: a.specialty,
		isGp: a.sector === 'gp' || a.invitationId !== null || a.specialty === 'general_practice'
	}));
}

export async function listQuorumOpinions(
	caseId: string,
	tx: DbOrTx = getDb()
): Promise<QuorumOpinion[]> {
	return await tx
		.select({ authorId: writtenOpinions.authorId, specialty: writtenOpinions.specialty })
		.from(writtenOpinions)
		.where(eq(writtenOpinions.caseId, caseId));
}

// ---------- recording presence: video (LiveKit webhooks) and check-in ----------

export interface PresenceLine {
	id: string;
	identity: string;
	userId: string | null;
	invitationId: string | null;
	name: string;
	specialty: string | null;
	source: AttendanceRow['source'];
	joinedAt: Date;
	isGuest: boolean;
	/** Disconnected from the video, still counted until then. */
	graceUntil: Date | null;
}

/** Who is present now, one line per attendance row, by name. */
export async function listPresence(
	meetingId: string,
	tx: DbOrTx = getDb(),
	now: Date = new Date()
): Promise<PresenceLine[]> {
	return (await listPresentAttendance(meetingId, tx, now))
		.map((a) => ({
			id: a.id,
			identity: a.identity,
			userId: a.userId,
			invitationId: a.invitationId,
			name: a.displayName,
			specialty: a.specialty,
			source: a.source,
			joinedAt: a.joinedAt,
			isGuest: a.invitationId !== null && a.userId === null,
			graceUntil: a.graceUntil
		}))
		.sort((x, y) => x.name.localeCompare(y.name, 'fr'));
}

interface PersonFacts {
	userId: string | null;
	invitationId: string | null;
	name: string;
	specialty: string | null;
}

/** The person behind a video identity, read from the database rather than from the token's name. */
async function resolvePerson(
	meetingId: string,
	identity: string,
	fallbackName: string,
	tx: DbOrTx
): Promise<PersonFacts> {
	const [kind, id] = identity.split(':', 2);
	if (kind === 'user' && id) {
		const u = await queryOne(tx.select().from(users).where(eq(users.id, id)));
		if (u)
			return {
				userId: u.id,
				invitationId: null,
				name: formatPersonName(u),
				specialty: u.specialty
			};
	}
	if (kind === 'guest' && id) {
		const inv = await queryOne(
			tx
				.select()
				.from(invitations)
				.where(and(eq(invitations.id, id), eq(invitations.meetingId, meetingId)))
		);
		if (inv) {
			return {
				userId: inv.userId,
				invitationId: inv.id,
				name: inv.guestName ?? fallbackName,
				specialty: null
			};
		}
	}
	return { userId: null, invitationId: null, name: fallbackName || identity, specialty: null };
}

/** A participant joined the video room; a second notice for the same stay changes nothing. */
export async function recordVideoJoin(
	tx: DbOrTx,
	meetingId: string,
	identity: string,
	displayName: string,
	at: Date
): Promise<boolean> {
	const open = await queryOne(
		tx
			.select({ id: attendance.id })
			.from(attendance)
			.where(
				and(
					eq(attendance.meetingId, meetingId),
					eq(attendance.identity, identity),
					eq(attendance.source, 'webhook'),
					isNull(attendance.leftAt)
				)
			)
	);
	if (open) return false;
	const person = await resolvePerson(meetingId, identity, displayName, tx);
	await tx.insert(attendance).values({
		meetingId,
		identity,
		userId: person.userId,
		invitationId: person.invitationId,
		displayName: person.name,
		specialty: person.specialty,
		joinedAt: at,
		source: 'webhook'
	});
	return true;
}

async function readGraceSeconds(tx: DbOrTx, meetingId: string): Promise<number> {
	return (
		(
			await queryOne(
				tx
					.select({ seconds: pathways.presenceGraceSeconds })
					.from(meetings)
					.innerJoin(pathways, eq(pathways.id, meetings.pathwayId))
					.where(eq(meetings.id, meetingId))
			)
		)?.seconds ?? 0
	);
}

const graceTimers = new Map<string, ReturnType<typeof setTimeout>>();

/** Tells the room again when a grace period runs out, so every screen drops that person then. */
function scheduleGraceExpiry(meetingId: string, until: Date | null): void {
	if (!until) return;
	const key = `${meetingId}|${until.getTime()}`;
	if (graceTimers.has(key)) return;
	const delay = Math.max(0, until.getTime() - Date.now()) + 250;
	const timer = setTimeout(() => {
		graceTimers.delete(key);
		publishMeetingEvent(meetingId, { type: 'attendance' });
	}, delay);
	timer.unref?.();
	graceTimers.set(key, timer);
}

/** A participant left the video room: the stay ends, and keeps counting for the grace period. */
export async function recordVideoLeave(
	tx: DbOrTx,
	meetingId: string,
	identity: string,
	at: Date
): Promise<number> {
	const graceUntil = computeGraceUntil(at, await readGraceSeconds(tx, meetingId));
	const changes = affectedRows(
		await tx
			.update(attendance)
			.set({ leftAt: at, graceUntil })
			.where(
				and(
					eq(attendance.meetingId, meetingId),
					eq(attendance.identity, identity),
					eq(attendance.source, 'webhook'),
					isNull(attendance.leftAt)
				)
			)
	);
	if (changes) scheduleGraceExpiry(meetingId, graceUntil);
	return changes;
}

/**
 * The chair removed someone from the video: they stop counting at once, with no grace period
 * (whether LiveKit's notice of their departure arrived before this or arrives after).
 */
export async function endVideoStayWithoutGrace(
	meetingId: string,
	identity: string,
	now: Date = new Date(),
	tx: DbOrTx = getDb()
): Promise<number> {
	const where = and(
		eq(attendance.meetingId, meetingId),
		eq(attendance.identity, identity),
		eq(attendance.source, 'webhook')
	);
	const open = affectedRows(
		await tx
			.update(attendance)
			.set({ leftAt: now, graceUntil: null })
			.where(and(where, isNull(attendance.leftAt)))
	);
	const inGrace = affectedRows(
		await tx
			.update(attendance)
			.set({ graceUntil: null })
			.where(and(where, gt(attendance.graceUntil, now)))
	);
	return open + inGrace;
}

/** The room is gone (LiveKit ended it): nobody is on video, each stay keeps its grace period. */
export async function closeVideoAttendance(
	tx: DbOrTx,
	meetingId: string,
	at: Date
): Promise<number> {
	const graceUntil = computeGraceUntil(at, await readGraceSeconds(tx, meetingId));
	const changes = affectedRows(
		await tx
			.update(attendance)
			.set({ leftAt: at, graceUntil })
			.where(
				and(
					eq(attendance.meetingId, meetingId),
					eq(attendance.source, 'webhook'),
					isNull(attendance.leftAt)
				)
			)
	);
	if (changes) scheduleGraceExpiry(meetingId, graceUntil);
	return changes;
}

/** At the close of the meeting every stay ends, whatever its source. */
export async function finalizeAttendance(tx: DbOrTx, meetingId: string, at: Date): Promise<number> {
	await tx
		.update(attendance)
		.set({ graceUntil: null })
		.where(and(eq(attendance.meetingId, meetingId), gt(attendance.graceUntil, at)));
	return affectedRows(
		await tx
			.update(attendance)
			.set({ leftAt: at })
			.where(and(eq(attendance.meetingId, meetingId), isNull(attendance.leftAt)))
	);
}

export interface CheckInCandidate {
	/** `user:<id>` or `guest:<invitationId>`, the value the check-in form sends. */
	key: string;
	name: string;
	specialty: string | null;
	isGuest: boolean;
	/** The open attendance row when the person is already counted present, by any source. */
	presentBy: AttendanceRow['source'] | null;
}

/** Everyone who may be checked in: the chair, the pathway's doctors, the meeting's invitees. */
export async function listCheckInCandidates(
	meeting: Pick<MeetingRow, 'id' | 'seriesId' | 'pathwayId' | 'chairId'>,
	tx: DbOrTx = getDb()
): Promise<CheckInCandidate[]> {
	const present = await listPresentAttendance(meeting.id, tx);
	const presentBy = (userId: string | null, invitationId: string | null) =>
		present.find((a) => (userId ? a.userId === userId : a.invitationId === invitationId))?.source ??
		null;
	const byKey = new Map<string, CheckInCandidate>();
	const addUser = (u: typeof users.$inferSelect) =>
		byKey.set(`user:${u.id}`, {
			key: `user:${u.id}`,
			name: formatPersonName(u),
			specialty: u.specialty,
			isGuest: false,
			presentBy: presentBy(u.id, null)
		});
	if (meeting.chairId) {
		const chair = await queryOne(tx.select().from(users).where(eq(users.id, meeting.chairId)));
		if (chair) addUser(chair);
	}
	const doctors = await tx
		.select({ u: users })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.pathwayId, meeting.pathwayId), isNotNull(users.rpps)));
	for (const { u } of doctors) if (!u.disabledAt) addUser(u);
	for (const i of await listMeetingInvitees(meeting, {}, tx)) {
		if (i.userId) {
			const u = await queryOne(tx.select().from(users).where(eq(users.id, i.userId)));
			if (u) addUser(u);
		} else {
			byKey.set(`guest:${i.invitationId}`, {
				key: `guest:${i.invitationId}`,
				name: i.name,
				specialty: null,
				isGuest: true,
				presentBy: presentBy(null, i.invitationId)
			});
		}
	}
	return [...byKey.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

export type CheckInResult = { ok: true; name: string } | { ok: false; message: string };

/** The coordinator marks someone present in the room, without video. */
export async function checkInAttendee(
	meeting: Pick<MeetingRow, 'id' | 'seriesId' | 'pathwayId' | 'chairId'>,
	key: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<CheckInResult> {
	const result = await transaction(getDb(), async (tx) => {
		const current = await queryOne(tx.select().from(meetings).where(eq(meetings.id, meeting.id)));
		if (current?.status !== 'open') {
			return { ok: false as const, message: 'La séance n’est pas ouverte.' };
		}
		const candidate = (await listCheckInCandidates(meeting, tx)).find((c) => c.key === key);
		if (!candidate) {
			return { ok: false as const, message: 'Cette personne n’est pas invitée à la séance.' };
		}
		if (candidate.presentBy) {
			return { ok: false as const, message: `${candidate.name} est déjà compté(e) présent(e).` };
		}
		const [kind, id] = key.split(':', 2) as ['user' | 'guest', string];
		await tx.insert(attendance).values({
			meetingId: meeting.id,
			identity: `checkin:${key}`,
			userId: kind === 'user' ? id : null,
			invitationId: kind === 'guest' ? id : null,
			displayName: candidate.name,
			specialty: candidate.specialty,
			joinedAt: now,
			source: 'check_in'
		});
		await recordAudit(
			audit,
			{
				action: 'attendance.check_in',
				objectType: 'meeting',
				objectId: meeting.id,
				detail: { person: key }
			},
			tx
		);
		return { ok: true as const, name: candidate.name };
	});
	if (result.ok) publishMeetingEvent(meeting.id, { type: 'attendance' });
	return result;
}

/** Undoes a check-in (the person left the room, or was checked in by mistake). */
export async function checkOutAttendee(
	meetingId: string,
	attendanceId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<CheckInResult> {
	const result = await transaction(getDb(), async (tx) => {
		const row = await queryOne(
			tx
				.select()
				.from(attendance)
				.where(
					and(
						eq(attendance.id, attendanceId),
						eq(attendance.meetingId, meetingId),
						eq(attendance.source, 'check_in'),
						isNull(attendance.leftAt)
					)
				)
		);
		if (!row)
			return { ok: false as const, message: 'Cette présence n’existe pas ou est déjà close.' };
		await tx.update(attendance).set({ leftAt: now }).where(eq(attendance.id, row.id));
		await recordAudit(
			audit,
			{
				action: 'attendance.check_out',
				objectType: 'meeting',
				objectId: meetingId,
				detail: { person: row.identity }
			},
			tx
		);
		return { ok: true as const, name: row.displayName };
	});
	if (result.ok) publishMeetingEvent(meetingId, { type: 'attendance' });
	return result;
}
