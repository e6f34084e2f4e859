import { and, eq, isNull } from 'drizzle-orm';
import { checkOpeningTime, OPEN_EARLY_MINUTES, stepIndex } from '$lib/domain/live-agenda';
import { formatParisDateTime } from '$lib/domain/schedule';
import { recordAudit, type AuditContext } from '../audit';
import { endVideoStayWithoutGrace, finalizeAttendance } from '../attendance';
import { closeMeeting } from '../carry-over';
import { changeCaseStatus, listMeetingCases } from '../cases';
import { getLivekitConfig, isDemoMode } from '../config';
import { getDb, queryOne, transaction } from '../db';
import { invitations, meetings, pathways } from '../db/schema';
import {
	createVideoRoom,
	deleteVideoRoom,
	muteVideoMicrophone,
	removeVideoParticipant,
	roomNameFor
} from '../livekit/rooms';
import { guestIdentity, parseIdentity } from '../livekit/tokens';
import { publishMeetingEvent } from './bus';
import { clearRaisedHands, lowerHandsOutsideCase } from './hands';

/**
 * The chair's controls of the live meeting. Each state change commits first, then goes to
 * every participant on the meeting bus; LiveKit is asked after (or before) but never inside a
 * transaction, and its failures become warnings: the meeting goes on without video.
 */
export type LiveActionResult =
	{ ok: true; message: string; warning?: string } | { ok: false; message: string };

/** Seconds LiveKit keeps a room nobody has joined yet. */
const ROOM_EMPTY_TIMEOUT = 30 * 60;
const ROOM_MAX_PARTICIPANTS = 60;

function notOpen(status: string): string {
	if (status === 'scheduled') return 'La séance n’est pas encore ouverte.';
	if (status === 'cancelled') return 'Cette séance a été annulée.';
	return 'Cette séance est terminée.';
}

async function prepareRoom(
	meeting: { id: string; pathwayId: string; startsAt: Date },
	pathwayName: string
): Promise<string | undefined> {
	const config = getLivekitConfig();
	if (!config) return undefined;
	const created = await createVideoRoom(config, roomNameFor(meeting.id), {
		emptyTimeout: ROOM_EMPTY_TIMEOUT,
		maxParticipants: ROOM_MAX_PARTICIPANTS,
		metadata: { meetingId: meeting.id, pathway: pathwayName, startsAt: meeting.startsAt }
	});
	return created.ok
		? undefined
		: `La visioconférence n’a pas pu être préparée : ${created.message}`;
}

/** Opens the meeting: its video room, then its state (first case current). */
export async function openLiveMeeting(
	meetingId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<LiveActionResult> {
	const db = getDb();
	const before = await queryOne(db.select().from(meetings).where(eq(meetings.id, meetingId)));
	if (!before) return { ok: false, message: 'Cette séance n’existe pas.' };
	if (before.status !== 'scheduled') {
		return {
			ok: false,
			message: before.status === 'open' ? 'La séance est déjà ouverte.' : notOpen(before.status)
		};
	}
	// The demo network lets a chair try the room on any of its meetings, whatever the hour.
	const timing = isDemoMode()
		? { ok: true as const }
		: checkOpeningTime(before.startsAt, before.endsAt, now);
	if (!timing.ok) {
		return {
			ok: false,
			message:
				timing.reason === 'too_early'
					? `La séance s’ouvre au plus tôt ${OPEN_EARLY_MINUTES} minutes avant son début (${formatParisDateTime(before.startsAt)}).`
					: 'L’horaire de cette séance est passé : elle ne peut plus être ouverte.'
		};
	}
	const pathway = await queryOne(
		db.select().from(pathways).where(eq(pathways.id, before.pathwayId))
	);
	const warning = await prepareRoom(before, pathway?.name ?? '');
	const outcome = await transaction(db, async (tx) => {
		const m = await queryOne(tx.select().from(meetings).where(eq(meetings.id, meetingId)));
		if (!m || m.status !== 'scheduled') {
			return {
				ok: false as const,
				message: 'La séance a changé entre-temps : rechargez la page.'
			};
		}
		const first = (await listMeetingCases(meetingId, tx))[0];
		await tx
			.update(meetings)
			.set({
				status: 'open',
				openedAt: now,
				roomName: roomNameFor(meetingId),
				currentCaseId: first?.id ?? null,
				currentCaseStartedAt: first ? now : null,
				updatedAt: now
			})
			.where(eq(meetings.id, meetingId));
		if (first?.status === 'scheduled') {
			await changeCaseStatus(
				tx,
				first,
				'presented',
				{ actorId: audit.actorId, kind: 'presented', meetingId },
				{},
				now
			);
		}
		await recordAudit(
			audit,
			{
				action: 'meeting.open',
				objectType: 'meeting',
				objectId: meetingId,
				detail: { video: getLivekitConfig() !== null, roomReady: !warning }
			},
			tx
		);
		return { ok: true as const };
	});
	if (!outcome.ok) return outcome;
	publishMeetingEvent(meetingId, { type: 'meeting', status: 'open' });
	return { ok: true, message: 'La séance est ouverte.', warning };
}

/** Asks LiveKit for the room again, after a failure at opening. */
export async function retryVideoRoom(meetingId: string): Promise<LiveActionResult> {
	const db = getDb();
	const m = await queryOne(db.select().from(meetings).where(eq(meetings.id, meetingId)));
	if (!m || m.status !== 'open') return { ok: false, message: notOpen(m?.status ?? 'closed') };
	if (!getLivekitConfig())
		return { ok: false, message: 'La visioconférence n’est pas configurée.' };
	const pathway = await queryOne(db.select().from(pathways).where(eq(pathways.id, m.pathwayId)));
	const warning = await prepareRoom(m, pathway?.name ?? '');
	return warning
		? { ok: false, message: warning }
		: { ok: true, message: 'La visioconférence est prête.' };
}

export type CaseTarget = 'next' | 'previous' | { caseId: string };

/**
 * Makes another case current. Guests invited for the case left behind are taken out of the
 * video room: they are there for their patient only.
 */
export async function moveToCase(
	meetingId: string,
	target: CaseTarget,
	audit: AuditContext,
	now: Date = new Date()
): Promise<LiveActionResult> {
	const outcome = await transaction(getDb(), async (tx) => {
		const m = await queryOne(tx.select().from(meetings).where(eq(meetings.id, meetingId)));
		if (!m) return { ok: false as const, message: 'Cette séance n’existe pas.' };
		if (m.status !== 'open') return { ok: false as const, message: notOpen(m.status) };
		const agenda = await listMeetingCases(meetingId, tx);
		const index = agenda.findIndex((c) => c.id === m.currentCaseId);
		const nextIndex =
			typeof target === 'string'
				? stepIndex(index, target, agenda.length)
				: agenda.findIndex((c) => c.id === target.caseId);
		const next = nextIndex === null ? undefined : agenda[nextIndex];
		if (!next) {
			return {
				ok: false as const,
				message:
					target === 'next'
						? 'C’était le dernier dossier de l’ordre du jour.'
						: target === 'previous'
							? 'C’est le premier dossier de l’ordre du jour.'
							: 'Ce dossier n’est pas à l’ordre du jour de cette séance.'
			};
		}
		if (next.id === m.currentCaseId) {
			return {
				ok: true as const,
				left: null,
				current: next.id,
				position: agenda.indexOf(next) + 1,
				changed: false
			};
		}
		await tx
			.update(meetings)
			.set({ currentCaseId: next.id, currentCaseStartedAt: now, updatedAt: now })
			.where(and(eq(meetings.id, meetingId), eq(meetings.status, 'open')));
		if (next.status === 'scheduled') {
			await changeCaseStatus(
				tx,
				next,
				'presented',
				{ actorId: audit.actorId, kind: 'presented', meetingId },
				{},
				now
			);
		}
		await recordAudit(
			audit,
			{
				action: 'meeting.current_case',
				objectType: 'meeting',
				objectId: meetingId,
				patientId: next.patientId,
				detail: { caseId: next.id, from: m.currentCaseId }
			},
			tx
		);
		return {
			ok: true as const,
			left: m.currentCaseId,
			current: next.id,
			position: agenda.indexOf(next) + 1,
			changed: true
		};
	});
	if (!outcome.ok) return outcome;
	const message = `Dossier ${outcome.position} à l’écran.`;
	if (!outcome.changed) return { ok: true, message };
	// Before the event: the snapshot it carries already shows the guest's hand lowered.
	await lowerHandsOutsideCase(meetingId, outcome.current);
	publishMeetingEvent(meetingId, { type: 'case' });
	const warning = outcome.left ? await dismissGuestsOf(meetingId, outcome.left) : undefined;
	return { ok: true, message, warning };
}

/** Removes from the video room the guests whose case is no longer being discussed. */
async function dismissGuestsOf(meetingId: string, caseId: string): Promise<string | undefined> {
	const config = getLivekitConfig();
	if (!config) return undefined;
	const guestsOfCase = new Set(
		(
			await getDb()
				.select({ id: invitations.id })
				.from(invitations)
				.where(
					and(
						eq(invitations.meetingId, meetingId),
						eq(invitations.caseId, caseId),
						isNull(invitations.userId)
					)
				)
		).map((i) => i.id)
	);
	// Asked for each guest of the case, in the room or not: a guest not there is simply not found.
	for (const invitationId of guestsOfCase) {
		const removed = await removeVideoParticipant(
			config,
			roomNameFor(meetingId),
			guestIdentity(invitationId)
		);
		if (!removed.ok && removed.code === 'not_found') continue;
		if (!removed.ok)
			return `L’invité n’a pas pu être retiré de la visioconférence : ${removed.message}`;
	}
	return undefined;
}

/** Ends the meeting for everyone: the room goes, the meeting closes, undecided cases carry over. */
export async function closeLiveMeeting(
	meetingId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<LiveActionResult> {
	const db = getDb();
	const m = await queryOne(db.select().from(meetings).where(eq(meetings.id, meetingId)));
	if (!m) return { ok: false, message: 'Cette séance n’existe pas.' };
	if (m.status !== 'open') return { ok: false, message: notOpen(m.status) };
	const config = getLivekitConfig();
	let warning: string | undefined;
	if (config && m.roomName) {
		const deleted = await deleteVideoRoom(config, m.roomName);
		if (!deleted.ok)
			warning = `La salle de visioconférence n’a pas pu être fermée : ${deleted.message}`;
	}
	const closed = await closeMeeting(meetingId, audit, now);
	if (!closed.ok) return closed;
	await transaction(db, async (tx) => finalizeAttendance(tx, meetingId, now));
	await clearRaisedHands(meetingId);
	publishMeetingEvent(meetingId, { type: 'meeting', status: 'closed' });
	const carried = closed.carriedOver
		? ` ${closed.carriedOver} dossier(s) sans proposition reporté(s) à la séance suivante.`
		: '';
	return { ok: true, message: `La séance est terminée.${carried}`, warning };
}

function checkIdentity(identity: string): string | null {
	return parseIdentity(identity) ? null : 'Participant inconnu.';
}

export async function muteParticipant(
	meetingId: string,
	identity: string,
	audit: AuditContext
): Promise<LiveActionResult> {
	const invalid = checkIdentity(identity);
	if (invalid) return { ok: false, message: invalid };
	const config = getLivekitConfig();
	if (!config) return { ok: false, message: 'La visioconférence n’est pas configurée.' };
	const result = await muteVideoMicrophone(config, roomNameFor(meetingId), identity);
	if (!result.ok) return { ok: false, message: result.message };
	if (result.value === 'no_microphone') {
		return { ok: false, message: 'Ce participant ne partage pas son micro.' };
	}
	await recordAudit(audit, {
		action: 'live.mute',
		objectType: 'meeting',
		objectId: meetingId,
		detail: { identity }
	});
	publishMeetingEvent(meetingId, { type: 'mute', identity });
	return {
		ok: true,
		message:
			result.value === 'already_muted' ? 'Son micro était déjà coupé.' : 'Son micro est coupé.'
	};
}

export async function removeParticipant(
	meetingId: string,
	identity: string,
	audit: AuditContext
): Promise<LiveActionResult> {
	const invalid = checkIdentity(identity);
	if (invalid) return { ok: false, message: invalid };
	const config = getLivekitConfig();
	if (!config) return { ok: false, message: 'La visioconférence n’est pas configurée.' };
	const result = await removeVideoParticipant(config, roomNameFor(meetingId), identity);
	if (!result.ok) return { ok: false, message: result.message };
	// Removed on purpose: no grace period, they stop counting for the quorum now.
	if (await endVideoStayWithoutGrace(meetingId, identity)) {
		publishMeetingEvent(meetingId, { type: 'attendance' });
	}
	await recordAudit(audit, {
		action: 'live.remove',
		objectType: 'meeting',
		objectId: meetingId,
		detail: { identity }
	});
	return { ok: true, message: 'Le participant est retiré de la visioconférence.' };
}
