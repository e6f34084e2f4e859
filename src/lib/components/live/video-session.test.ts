import { ConnectionError, DisconnectReason } from 'livekit-client';
import { describe, expect, it } from 'vitest';
import { describeConnectError, describeDeviceFailure, describeDisconnect } from './video-session';

const domError = (name: string) => Object.assign(new Error(name), { name });

describe('each video failure has its own French message and a way forward', () => {
	it('tells denied, missing and busy devices apart', () => {
		const denied = describeDeviceFailure(domError('NotAllowedError'));
		expect(denied).toMatch(/refuse l’accès à la caméra et au micro/);
		expect(denied).toMatch(/« Réessayer »/);
		expect(denied).toMatch(/rejoindre sans caméra ni micro/);
		expect(describeDeviceFailure(domError('NotFoundError'))).toMatch(
			/Aucune caméra ni aucun micro/
		);
		expect(describeDeviceFailure(domError('NotReadableError'))).toMatch(/déjà utilisé/);
		expect(describeDeviceFailure(new Error('?'))).toMatch(/n’a pas pu démarrer/);
	});

	it('tells a refused or expired token from an unreachable server', () => {
		expect(
			describeConnectError(ConnectionError.notAllowed('invalid token', 401), 'ws://lk')
		).toMatch(/refusé votre jeton d’accès \(expiré ou invalide\)/);
		const unreachable = describeConnectError(
			ConnectionError.serverUnreachable('down'),
			'wss://video.example.fr'
		);
		expect(unreachable).toMatch(/\(wss:\/\/video\.example\.fr\) est injoignable/);
		expect(unreachable).toMatch(/la séance continue sur cette page/);
		expect(describeConnectError(ConnectionError.timeout('slow'), 'ws://lk')).toMatch(/injoignable/);
		expect(describeConnectError(new TypeError('fetch failed'), 'ws://lk')).toMatch(/injoignable/);
	});

	it('explains why the connection ended, and whether rejoining makes sense', () => {
		expect(describeDisconnect(DisconnectReason.PARTICIPANT_REMOVED)).toEqual({
			text: 'Le président de séance vous a retiré de la visioconférence. Vous pouvez continuer à suivre la séance sur cette page.',
			final: true
		});
		expect(describeDisconnect(DisconnectReason.ROOM_DELETED)).toMatchObject({ final: true });
		expect(describeDisconnect(DisconnectReason.DUPLICATE_IDENTITY).text).toMatch(/autre fenêtre/);
		const lost = describeDisconnect(DisconnectReason.SIGNAL_CLOSE);
		expect(lost.final).toBe(false);
		expect(lost.text).toMatch(/perdue et n’a pas pu être rétablie/);
	});
});
