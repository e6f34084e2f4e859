import { AccessToken, TrackSource, type VideoGrant } from 'livekit-server-sdk';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import type { LivekitConfig } from '../config';

/** The part a person plays in the video room; it decides the grants of their token. */
export type VideoRole = 'chair' | 'member' | 'guest';

/**
 * Tokens only open the door: LiveKit refreshes them on a live connection, so a short life is
 * enough and limits what a leaked token is worth.
 */
export const TOKEN_TTL_SECONDS = 10 * 60;

export interface VideoParticipant {
	identity: string;
	/** Display name without the specialty; the token's name adds it. */
	name: string;
	role: VideoRole;
	specialty: string | null;
}

export interface VideoToken {
	token: string;
	identity: string;
	expiresAt: Date;
}

export function userIdentity(userId: string): string {
	return `user:${userId}`;
}

export function guestIdentity(invitationId: string): string {
	return `guest:${invitationId}`;
}

export type ParsedIdentity =
	{ kind: 'user'; userId: string } | { kind: 'guest'; invitationId: string } | null;

export function parseIdentity(identity: string): ParsedIdentity {
	const m = /^(user|guest):([A-Za-z0-9-]{1,64})$/.exec(identity);
	if (!m) return null;
	return m[1] === 'user' ? { kind: 'user', userId: m[2]! } : { kind: 'guest', invitationId: m[2]! };
}

/** « Dr Hélène Rousseau — Oncologie médicale »: what the other participants read under the video. */
export function formatVideoName(name: string, specialty: string | null): string {
	return specialty ? `${name} — ${getSpecialtyLabel(specialty)}` : name;
}

/** The grants of each role (DESIGN §6): the chair administers the room, guests never share a screen. */
export function buildVideoGrant(role: VideoRole, room: string): VideoGrant {
	switch (role) {
		case 'chair':
			return {
				room,
				roomJoin: true,
				roomAdmin: true,
				canPublish: true,
				canSubscribe: true,
				canPublishData: true
			};
		case 'member':
			return {
				room,
				roomJoin: true,
				canPublish: true,
				canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE, TrackSource.SCREEN_SHARE],
				canSubscribe: true,
				canPublishData: false
			};
		case 'guest':
			return {
				room,
				roomJoin: true,
				canPublish: true,
				canPublishSources: [TrackSource.CAMERA, TrackSource.MICROPHONE],
				canSubscribe: true,
				canPublishData: false
			};
	}
}

/** Mints a room token; callers have already asked the access policy. */
export async function mintVideoToken(
	config: LivekitConfig,
	room: string,
	participant: VideoParticipant,
	now: Date = new Date(),
	ttlSeconds: number = TOKEN_TTL_SECONDS
): Promise<VideoToken> {
	const at = new AccessToken(config.apiKey, config.apiSecret, {
		identity: participant.identity,
		name: formatVideoName(participant.name, participant.specialty),
		metadata: JSON.stringify({ role: participant.role, specialty: participant.specialty }),
		ttl: ttlSeconds
	});
	at.addGrant(buildVideoGrant(participant.role, room));
	return {
		token: await at.toJwt(),
		identity: participant.identity,
		expiresAt: new Date(now.getTime() + ttlSeconds * 1000)
	};
}
