import { eq, lt } from 'drizzle-orm';
import { WebhookReceiver, type WebhookEvent } from 'livekit-server-sdk';
import { recordAudit, systemAudit } from '../audit';
import { closeVideoAttendance, recordVideoJoin, recordVideoLeave } from '../attendance';
import { getLivekitConfig } from '../config';
import { getDb, affectedRows, queryOne, transaction } from '../db';
import { meetings, webhookEvents } from '../db/schema';
import { publishMeetingEvent } from '../live/bus';

export interface WebhookOutcome {
	status: number;
	message: string;
	/** The meeting whose attendance changed, when one did. */
	meetingId?: string;
}

/** Replays are refused by event id; ids older than this are forgotten (their signature has long expired). */
const REPLAY_MEMORY_MS = 24 * 3_600_000;

/** LiveKit sends the bare JWT; some proxies and tools add the usual `Bearer ` prefix. */
export function extractWebhookToken(authorization: string | null): string | null {
	if (!authorization) return null;
	const token = authorization.replace(/^Bearer\s+/i, '').trim();
	return token || null;
}

function eventTime(event: WebhookEvent, now: Date): Date {
	const seconds = Number(event.createdAt ?? 0n);
	// A clock far off on either side is not trusted: attendance times stay plausible.
	if (!seconds || Math.abs(seconds * 1000 - now.getTime()) > 10 * 60_000) return now;
	return new Date(seconds * 1000);
}

/**
 * Receives one LiveKit webhook: signature and body checksum verified on the raw body, replays
 * refused, then the attendance updated in the same transaction as the event id is remembered.
 */
export async function receiveLivekitWebhook(
	rawBody: string,
	authorization: string | null,
	now: Date = new Date()
): Promise<WebhookOutcome> {
	const config = getLivekitConfig();
	if (!config) return { status: 503, message: 'La visioconférence n’est pas configurée.' };
	const token = extractWebhookToken(authorization);
	if (!token) return { status: 401, message: 'Signature du webhook absente.' };
	let event: WebhookEvent;
	try {
		event = await new WebhookReceiver(config.apiKey, config.apiSecret).receive(rawBody, token);
	} catch {
		return { status: 401, message: 'Signature du webhook invalide ou expirée : événement refusé.' };
	}
	if (!event.id) return { status: 400, message: 'Événement sans identifiant : refusé.' };
	const at = eventTime(event, now);

	const outcome = await transaction(getDb(), async (tx) => {
		const fresh = affectedRows(
			await tx.insert(webhookEvents).values({ id: event.id, receivedAt: now }).onConflictDoNothing()
		);
		if (!fresh) return { status: 409, message: 'Événement déjà reçu : ignoré.' };
		await tx
			.delete(webhookEvents)
			.where(lt(webhookEvents.receivedAt, new Date(now.getTime() - REPLAY_MEMORY_MS)));
		const roomName = event.room?.name;
		const meeting = roomName
			? await queryOne(tx.select().from(meetings).where(eq(meetings.roomName, roomName)))
			: undefined;
		if (!meeting) return { status: 200, message: 'Événement reçu (aucune séance concernée).' };
		const identity = event.participant?.identity ?? '';
		let changed = 0;
		switch (event.event) {
			case 'participant_joined':
				if (identity)
					changed = Number(
						await recordVideoJoin(tx, meeting.id, identity, event.participant?.name ?? '', at)
					);
				break;
			case 'participant_left':
			case 'participant_connection_aborted':
				if (identity) changed = await recordVideoLeave(tx, meeting.id, identity, at);
				break;
			case 'room_finished':
				changed = await closeVideoAttendance(tx, meeting.id, at);
				break;
		}
		if (changed) {
			await recordAudit(
				systemAudit,
				{
					action: `attendance.${event.event}`,
					objectType: 'meeting',
					objectId: meeting.id,
					detail: identity ? { identity } : null
				},
				tx
			);
		}
		return {
			status: 200,
			message: 'Événement reçu.',
			meetingId: changed ? meeting.id : undefined
		};
	});
	if (outcome.meetingId) publishMeetingEvent(outcome.meetingId, { type: 'attendance' });
	return outcome;
}
