import {
	createLocalTracks,
	Room,
	RoomEvent,
	Track,
	VideoPresets,
	type LocalTrack,
	type Participant,
	type RemoteTrack
} from 'livekit-client';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import { describeConnectError, describeDeviceFailure, describeDisconnect } from './video-messages';
import { toQuality, type Quality } from './video-layout';

export { describeConnectError, describeDeviceFailure, describeDisconnect };

/**
 * The browser side of the video room (livekit-client), kept out of the Svelte component so the
 * page can load it only when video is used. It reports a plain state object after every change;
 * every failure becomes a French sentence that says what to do next.
 */

export const NO_DEVICE = 'none';

export interface DeviceOption {
	id: string;
	label: string;
}

export interface Tile {
	key: string;
	identity: string;
	name: string;
	detail: string;
	isLocal: boolean;
	kind: 'camera' | 'screen';
	track: Track | null;
	micMuted: boolean;
	speaking: boolean;
	/** The participant's connection to LiveKit, as the server measures it (the viewer's own too). */
	quality: Quality;
}

export type VideoPhase = 'starting' | 'preview' | 'joining' | 'joined' | 'left';

export interface VideoState {
	phase: VideoPhase;
	cameras: DeviceOption[];
	microphones: DeviceOption[];
	cameraId: string;
	microphoneId: string;
	previewTrack: Track | null;
	/** The microphone being tested before joining (level meter). */
	previewAudioTrack: Track | null;
	deviceError: string | null;
	error: string | null;
	notice: string | null;
	tiles: Tile[];
	micOn: boolean;
	cameraOn: boolean;
	screenOn: boolean;
	/** The connection dropped and livekit-client is getting it back (« Reconnexion en cours… »). */
	reconnecting: boolean;
	/** A forced end (removed by the chair, meeting over): joining again is not offered. */
	final: boolean;
}

export interface SessionOptions {
	tokenUrl: string;
	audioContainer: HTMLElement;
	onUpdate: (state: VideoState) => void;
}

function describeParticipant(p: Participant): { name: string; detail: string } {
	let meta: { role?: string; specialty?: string | null } = {};
	try {
		meta = p.metadata ? JSON.parse(p.metadata) : {};
	} catch {
		meta = {};
	}
	const name = (p.name || p.identity).split(' — ')[0]!;
	const detail =
		meta.role === 'guest'
			? 'Médecin invité(e)'
			: [
					meta.specialty ? getSpecialtyLabel(meta.specialty) : null,
					meta.role === 'chair' ? 'président(e) de séance' : null
				]
					.filter(Boolean)
					.join(' · ');
	return { name, detail };
}

async function listDevices(kind: MediaDeviceKind): Promise<DeviceOption[]> {
	try {
		const devices = await Room.getLocalDevices(kind, false);
		return devices
			.filter((d) => d.deviceId)
			.map((d, i) => ({
				id: d.deviceId,
				label: d.label || (kind === 'videoinput' ? `Caméra ${i + 1}` : `Micro ${i + 1}`)
			}));
	} catch {
		return [];
	}
}

export class VideoSession {
	private room: Room | null = null;
	private previewTracks: LocalTrack[] = [];
	private selfMuting = false;
	private url = '';
	state: VideoState = {
		phase: 'starting',
		cameras: [],
		microphones: [],
		cameraId: '',
		microphoneId: '',
		previewTrack: null,
		previewAudioTrack: null,
		deviceError: null,
		error: null,
		notice: null,
		tiles: [],
		micOn: false,
		cameraOn: false,
		screenOn: false,
		reconnecting: false,
		final: false
	};

	constructor(private options: SessionOptions) {}

	private update(patch: Partial<VideoState>): void {
		this.state = { ...this.state, ...patch };
		this.options.onUpdate(this.state);
	}

	private stopPreview(): void {
		for (const t of this.previewTracks) t.stop();
		this.previewTracks = [];
	}

	/** Starts the camera and microphone for the preview; each may fail on its own. */
	async preview(
		cameraId = this.state.cameraId,
		microphoneId = this.state.microphoneId
	): Promise<void> {
		this.stopPreview();
		const wantVideo = cameraId !== NO_DEVICE;
		const wantAudio = microphoneId !== NO_DEVICE;
		const video = wantVideo
			? { deviceId: cameraId || undefined, resolution: VideoPresets.h540.resolution }
			: false;
		const audio = wantAudio ? { deviceId: microphoneId || undefined } : false;
		let deviceError: string | null = null;
		let tracks: LocalTrack[] = [];
		if (video || audio) {
			try {
				tracks = await createLocalTracks({ video, audio });
			} catch (error) {
				deviceError = describeDeviceFailure(error);
				// One device refused must not cost the other one.
				for (const one of [{ video }, { audio }]) {
					if (!Object.values(one)[0]) continue;
					try {
						tracks.push(...(await createLocalTracks({ video: false, audio: false, ...one })));
					} catch {
						// reported above
					}
				}
			}
		}
		this.previewTracks = tracks;
		const videoTrack = tracks.find((t) => t.kind === Track.Kind.Video) ?? null;
		const audioTrack = tracks.find((t) => t.kind === Track.Kind.Audio) ?? null;
		const [cameras, microphones] = await Promise.all([
			listDevices('videoinput'),
			listDevices('audioinput')
		]);
		this.update({
			phase: 'preview',
			cameras,
			microphones,
			cameraId: wantVideo
				? (videoTrack?.mediaStreamTrack.getSettings().deviceId ?? cameraId)
				: NO_DEVICE,
			microphoneId: wantAudio
				? (audioTrack?.mediaStreamTrack.getSettings().deviceId ?? microphoneId)
				: NO_DEVICE,
			previewTrack: videoTrack,
			previewAudioTrack: audioTrack,
			deviceError
		});
	}

	/** Asks Pluri for a token (the access check happens there), then connects and publishes. */
	async join(): Promise<void> {
		if (this.state.phase === 'joining' || this.state.phase === 'joined') return;
		this.update({ phase: 'joining', error: null, notice: null, final: false });
		let grant: { url: string; token: string };
		try {
			const response = await fetch(this.options.tokenUrl, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{}'
			});
			const body = (await response.json().catch(() => ({}))) as {
				message?: string;
				url?: string;
				token?: string;
			};
			if (!response.ok || !body.url || !body.token) {
				this.update({
					phase: 'preview',
					error:
						body.message ??
						'Pluri n’a pas pu vous donner accès à la visioconférence. Rechargez la page puis réessayez.'
				});
				return;
			}
			grant = { url: body.url, token: body.token };
		} catch {
			this.update({
				phase: 'preview',
				error: 'Pluri ne répond pas. Vérifiez votre connexion, puis réessayez.'
			});
			return;
		}
		this.url = grant.url;
		const room = new Room({
			adaptiveStream: true,
			dynacast: true,
			publishDefaults: { simulcast: true },
			videoCaptureDefaults: { resolution: VideoPresets.h540.resolution },
			disconnectOnPageLeave: true
		});
		this.wire(room);
		try {
			await room.connect(grant.url, grant.token);
		} catch (error) {
			room.removeAllListeners();
			this.update({ phase: 'preview', error: describeConnectError(error, grant.url) });
			return;
		}
		this.room = room;
		const tracks = this.previewTracks;
		this.previewTracks = [];
		for (const track of tracks) {
			try {
				await room.localParticipant.publishTrack(track);
			} catch {
				track.stop();
				this.update({ notice: 'Votre caméra ou votre micro n’a pas pu être partagé.' });
			}
		}
		await room.startAudio().catch(() => undefined);
		this.update({ phase: 'joined', previewTrack: null, previewAudioTrack: null });
		this.refresh();
	}

	private wire(room: Room): void {
		const refresh = () => this.refresh();
		for (const event of [
			RoomEvent.ParticipantConnected,
			RoomEvent.ParticipantDisconnected,
			RoomEvent.TrackPublished,
			RoomEvent.TrackUnpublished,
			RoomEvent.TrackSubscribed,
			RoomEvent.TrackUnsubscribed,
			RoomEvent.TrackUnmuted,
			RoomEvent.LocalTrackPublished,
			RoomEvent.LocalTrackUnpublished,
			RoomEvent.ActiveSpeakersChanged,
			RoomEvent.ParticipantMetadataChanged,
			RoomEvent.ConnectionQualityChanged
		]) {
			room.on(event, refresh);
		}
		room.on(RoomEvent.TrackMuted, (publication, participant) => {
			if (
				participant.isLocal &&
				publication.source === Track.Source.Microphone &&
				!this.selfMuting
			) {
				this.update({
					notice: 'Le président de séance a coupé votre micro. Vous pouvez le réactiver.'
				});
			}
			this.refresh();
		});
		room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _pub, participant) => {
			if (track.kind !== Track.Kind.Audio) return;
			const element = track.attach();
			element.dataset.identity = participant.identity;
			this.options.audioContainer.append(element);
		});
		room.on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => {
			if (track.kind === Track.Kind.Audio) for (const el of track.detach()) el.remove();
		});
		const reconnecting = () =>
			this.update({
				reconnecting: true,
				notice: 'Connexion à la visioconférence perdue : reconnexion en cours…'
			});
		room.on(RoomEvent.Reconnecting, reconnecting);
		room.on(RoomEvent.SignalReconnecting, reconnecting);
		room.on(RoomEvent.Reconnected, () => {
			this.update({ reconnecting: false, notice: 'Connexion rétablie.' });
			this.refresh();
		});
		room.on(RoomEvent.MediaDevicesError, (error) =>
			this.update({ deviceError: describeDeviceFailure(error) })
		);
		room.on(RoomEvent.Disconnected, (reason) => {
			const { text, final } = describeDisconnect(reason);
			this.room = null;
			room.removeAllListeners();
			this.options.audioContainer.replaceChildren();
			if (this.state.final) return; // a forced end has already said why
			this.update({ phase: 'left', notice: text, final, tiles: [], reconnecting: false });
		});
	}

	private refresh(): void {
		const room = this.room;
		if (!room) return;
		const speaking = new Set(room.activeSpeakers.map((p) => p.identity));
		const tiles: Tile[] = [];
		const participants: Participant[] = [
			room.localParticipant,
			...room.remoteParticipants.values()
		];
		for (const p of participants) {
			const { name, detail } = describeParticipant(p);
			const camera = p.getTrackPublication(Track.Source.Camera);
			const mic = p.getTrackPublication(Track.Source.Microphone);
			const screen = p.getTrackPublication(Track.Source.ScreenShare);
			const common = {
				identity: p.identity,
				name,
				detail,
				isLocal: p.isLocal,
				micMuted: !mic || mic.isMuted,
				speaking: speaking.has(p.identity),
				quality: toQuality(p.connectionQuality)
			};
			if (screen?.track) {
				tiles.unshift({
					...common,
					key: `${p.identity}:screen`,
					kind: 'screen',
					track: screen.track
				});
			}
			tiles.push({
				...common,
				key: `${p.identity}:camera`,
				kind: 'camera',
				track: camera?.track && !camera.isMuted ? camera.track : null
			});
		}
		const local = room.localParticipant;
		this.update({
			tiles,
			micOn: local.isMicrophoneEnabled,
			cameraOn: local.isCameraEnabled,
			screenOn: local.isScreenShareEnabled
		});
	}

	async toggleMicrophone(): Promise<void> {
		const local = this.room?.localParticipant;
		if (!local) return;
		const on = !local.isMicrophoneEnabled;
		this.selfMuting = !on;
		try {
			const id = this.state.microphoneId;
			await local.setMicrophoneEnabled(on, id && id !== NO_DEVICE ? { deviceId: id } : undefined);
			if (on) this.update({ notice: null });
		} catch (error) {
			this.update({ deviceError: describeDeviceFailure(error) });
		} finally {
			this.selfMuting = false;
			this.refresh();
		}
	}

	async toggleCamera(): Promise<void> {
		const local = this.room?.localParticipant;
		if (!local) return;
		try {
			const id = this.state.cameraId;
			await local.setCameraEnabled(
				!local.isCameraEnabled,
				id && id !== NO_DEVICE ? { deviceId: id } : undefined
			);
		} catch (error) {
			this.update({ deviceError: describeDeviceFailure(error) });
		}
		this.refresh();
	}

	async toggleScreenShare(): Promise<void> {
		const local = this.room?.localParticipant;
		if (!local) return;
		try {
			await local.setScreenShareEnabled(!local.isScreenShareEnabled, { audio: false });
		} catch {
			this.update({
				notice:
					'Le partage d’écran n’a pas démarré (refusé ou annulé). Cliquez de nouveau sur « Partager mon écran » pour réessayer.'
			});
		}
		this.refresh();
	}

	/** Leaves the room; a forced leave (guest's case over, meeting ended) says why and stays out. */
	async leave(forced?: string): Promise<void> {
		if (forced) {
			this.update({ final: true, phase: 'left', notice: forced, tiles: [], reconnecting: false });
		}
		const room = this.room;
		if (room) await room.disconnect();
		this.stopPreview();
		if (forced) this.update({ previewTrack: null, previewAudioTrack: null });
	}

	destroy(): void {
		void this.leave();
	}
}
