import {
	RoomServiceClient,
	TrackSource,
	TrackType,
	TwirpError,
	type ParticipantInfo
} from 'livekit-server-sdk';
import type { LivekitConfig } from '../config';

/**
 * The video rooms, through LiveKit's RoomService (Twirp). Every call has a timeout and turns
 * into a result with a French message: video trouble must never break the meeting itself.
 */
export type RoomResult<T = true> =
	{ ok: true; value: T } | { ok: false; code: LivekitFailure; message: string };

export type LivekitFailure =
	| 'unreachable'
	| 'timeout'
	| 'unauthenticated'
	| 'permission_denied'
	| 'not_found'
	| 'invalid'
	| 'server_error';

/** A meeting's room name: stable, so a retry or a second node finds the same room. */
export function roomNameFor(meetingId: string): string {
	return `pluri-${meetingId}`;
}

/** Seconds; LIVEKIT_API_TIMEOUT lets tests and slow links change it. */
function requestTimeoutSeconds(): number {
	const value = Number(process.env.LIVEKIT_API_TIMEOUT);
	return Number.isFinite(value) && value > 0 ? value : 5;
}

function client(config: LivekitConfig): RoomServiceClient {
	return new RoomServiceClient(config.url, config.apiKey, config.apiSecret, {
		requestTimeout: requestTimeoutSeconds(),
		failover: false
	});
}

const messages: Record<LivekitFailure, string> = {
	unreachable:
		'Le serveur de visioconférence est injoignable. La séance continue sur cette page ; réessayez dans un instant.',
	timeout:
		'Le serveur de visioconférence ne répond pas (délai dépassé). La séance continue sur cette page ; réessayez dans un instant.',
	unauthenticated:
		'Le serveur de visioconférence refuse les identifiants de Pluri (clé ou secret d’API). L’administrateur doit vérifier LIVEKIT_API_KEY et LIVEKIT_API_SECRET.',
	permission_denied:
		'Le serveur de visioconférence refuse cette opération : les droits accordés à Pluri sont insuffisants.',
	not_found: 'La salle ou le participant est introuvable sur le serveur de visioconférence.',
	invalid: 'Le serveur de visioconférence a refusé la demande comme invalide.',
	server_error:
		'Le serveur de visioconférence a rencontré une erreur. La séance continue sur cette page ; réessayez dans un instant.'
};

/** Maps any failure of a RoomService call to one of a few kinds, each with its French message. */
export function describeLivekitError(error: unknown): { code: LivekitFailure; message: string } {
	const code = classify(error);
	return { code, message: messages[code] };
}

function classify(error: unknown): LivekitFailure {
	if (error instanceof TwirpError) {
		const twirp = error.code ?? '';
		if (twirp === 'unauthenticated' || error.status === 401) return 'unauthenticated';
		if (twirp === 'permission_denied' || error.status === 403) return 'permission_denied';
		if (twirp === 'not_found' || error.status === 404) return 'not_found';
		if (twirp === 'deadline_exceeded') return 'timeout';
		if (twirp === 'unavailable' || error.status === 503) return 'unreachable';
		if (error.status >= 400 && error.status < 500) return 'invalid';
		return 'server_error';
	}
	if (error instanceof Error || (typeof error === 'object' && error !== null)) {
		const name = (error as { name?: string }).name;
		if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
		return 'unreachable';
	}
	return 'server_error';
}

async function attempt<T>(call: () => Promise<T>): Promise<RoomResult<T>> {
	try {
		return { ok: true, value: await call() };
	} catch (error) {
		const { code, message } = describeLivekitError(error);
		if (code !== 'not_found') console.warn(`[livekit] ${code}:`, (error as Error)?.message);
		return { ok: false, code, message };
	}
}

export interface RoomOptions {
	/** Seconds the room waits for a first participant before LiveKit closes it. */
	emptyTimeout: number;
	maxParticipants: number;
	metadata: Record<string, unknown>;
}

export async function createVideoRoom(
	config: LivekitConfig,
	name: string,
	options: RoomOptions
): Promise<RoomResult<{ sid: string }>> {
	return attempt(async () => {
		const room = await client(config).createRoom({
			name,
			emptyTimeout: options.emptyTimeout,
			departureTimeout: 120,
			maxParticipants: options.maxParticipants,
			metadata: JSON.stringify(options.metadata)
		});
		return { sid: room.sid };
	});
}

/** Deleting a room that is already gone is a success: the result is the same. */
export async function deleteVideoRoom(config: LivekitConfig, name: string): Promise<RoomResult> {
	const result = await attempt(async () => {
		await client(config).deleteRoom(name);
		return true as const;
	});
	return !result.ok && result.code === 'not_found' ? { ok: true, value: true } : result;
}

export async function listVideoParticipants(
	config: LivekitConfig,
	room: string
): Promise<RoomResult<ParticipantInfo[]>> {
	return attempt(() => client(config).listParticipants(room));
}

export type MuteOutcome = 'muted' | 'already_muted' | 'no_microphone';

/** Mutes the participant's microphone; a participant without one is told apart, not an error. */
export async function muteVideoMicrophone(
	config: LivekitConfig,
	room: string,
	identity: string
): Promise<RoomResult<MuteOutcome>> {
	return attempt(async () => {
		const service = client(config);
		const participant = await service.getParticipant(room, identity);
		const mic = participant.tracks.find(
			(t) => t.source === TrackSource.MICROPHONE && t.type === TrackType.AUDIO
		);
		if (!mic) return 'no_microphone' as const;
		if (mic.muted) return 'already_muted' as const;
		await service.mutePublishedTrack(room, identity, mic.sid, true);
		return 'muted' as const;
	});
}

export async function removeVideoParticipant(
	config: LivekitConfig,
	room: string,
	identity: string
): Promise<RoomResult> {
	return attempt(async () => {
		await client(config).removeParticipant(room, identity);
		return true as const;
	});
}
