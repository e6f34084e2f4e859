import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LivekitConfig } from '$lib/server/config';
import {
	createVideoRoom,
	deleteVideoRoom,
	listVideoParticipants,
	muteVideoMicrophone,
	removeVideoParticipant
} from '$lib/server/livekit/rooms';
import {
	describeMissingLivekit,
	findLivekitBinary,
	startLivekit
} from '../../scripts/livekit-server.js';
import { LivekitFake } from '../support/livekit-fake';

/**
 * The same RoomService calls against the contract fake and against LiveKit's own server (when
 * built here): the fake must answer as the real one does, or the failure tests prove nothing.
 */
const KEY = 'contract-key';
const SECRET = 'contract-secret-0123456789-abcdefgh';
const binary = findLivekitBinary();
if (!binary) console.log(`Contrat LiveKit réel ignoré : ${describeMissingLivekit()}`);

const backends: {
	name: string;
	start: () => Promise<{ url: string; stop: () => Promise<void> }>;
}[] = [
	{
		name: 'le faux serveur Twirp',
		start: async () => {
			const fake = await LivekitFake.start(KEY, SECRET);
			return { url: fake.url, stop: () => fake.close() };
		}
	},
	{
		name: 'le serveur LiveKit réel',
		start: async () => {
			const lk = await startLivekit({
				binary: binary!,
				portFrom: 8390,
				apiKey: KEY,
				apiSecret: SECRET,
				quiet: true
			});
			return { url: lk.url, stop: () => lk.stop() };
		}
	}
];

for (const backend of backends) {
	const real = backend.name.includes('réel');
	describe.skipIf(real && !binary)(`RoomService contre ${backend.name}`, () => {
		let config: LivekitConfig;
		let stop: () => Promise<void>;
		const room = `pluri-contract-${crypto.randomUUID()}`;
		beforeAll(async () => {
			const started = await backend.start();
			stop = started.stop;
			config = { url: started.url, apiKey: KEY, apiSecret: SECRET };
		}, 30_000);
		afterAll(() => stop());

		it('creates a room, lists its (no) participants, deletes it, twice without error', async () => {
			const created = await createVideoRoom(config, room, {
				emptyTimeout: 60,
				maxParticipants: 10,
				metadata: { meetingId: 'm' }
			});
			expect(created.ok && created.value.sid).toMatch(/^RM_/);
			expect(await listVideoParticipants(config, room)).toEqual({ ok: true, value: [] });
			expect(await deleteVideoRoom(config, room)).toEqual({ ok: true, value: true });
			expect(await deleteVideoRoom(config, room)).toEqual({ ok: true, value: true });
		});

		it('answers not_found for a participant who is not there', async () => {
			await createVideoRoom(config, room, { emptyTimeout: 60, maxParticipants: 10, metadata: {} });
			expect(await muteVideoMicrophone(config, room, 'user:nobody')).toMatchObject({
				ok: false,
				code: 'not_found'
			});
			expect(await removeVideoParticipant(config, room, 'user:nobody')).toMatchObject({
				ok: false,
				code: 'not_found'
			});
			await deleteVideoRoom(config, room);
		});

		it('refuses calls signed with another secret: unauthenticated', async () => {
			const forged = { ...config, apiSecret: 'forged-secret-0123456789-abcdefghi' };
			expect(
				await createVideoRoom(forged, room, { emptyTimeout: 60, maxParticipants: 1, metadata: {} })
			).toMatchObject({ ok: false, code: 'unauthenticated' });
		});
	});
}
