import {
	ConnectionError,
	ConnectionErrorReason,
	DisconnectReason,
	MediaDeviceFailure
} from 'livekit-client';

/** Every video failure as a French sentence that says what to do next. */

export function describeDeviceFailure(error: unknown): string {
	switch (MediaDeviceFailure.getFailure(error)) {
		case MediaDeviceFailure.PermissionDenied:
			return 'Votre navigateur refuse l’accès à la caméra et au micro. Autorisez-les pour ce site (icône de caméra dans la barre d’adresse), puis cliquez sur « Réessayer ». Vous pouvez aussi rejoindre sans caméra ni micro pour voir et entendre les autres.';
		case MediaDeviceFailure.NotFound:
			return 'Aucune caméra ni aucun micro n’a été trouvé sur cet appareil. Branchez-en un puis cliquez sur « Réessayer », ou rejoignez sans caméra ni micro.';
		case MediaDeviceFailure.DeviceInUse:
			return 'La caméra ou le micro est déjà utilisé par une autre application. Fermez-la puis cliquez sur « Réessayer ».';
		default:
			return 'La caméra ou le micro n’a pas pu démarrer. Cliquez sur « Réessayer », choisissez un autre appareil, ou rejoignez sans caméra ni micro.';
	}
}

export function describeConnectError(error: unknown, url: string): string {
	if (error instanceof ConnectionError) {
		if (error.reason === ConnectionErrorReason.NotAllowed) {
			return error.status === 401 || error.status === 403
				? 'Le serveur de visioconférence a refusé votre jeton d’accès (expiré ou invalide). Cliquez sur « Rejoindre la visioconférence » pour en obtenir un nouveau.'
				: 'Le serveur de visioconférence a refusé la connexion. Cliquez sur « Rejoindre la visioconférence » pour réessayer.';
		}
		if (error.reason === ConnectionErrorReason.Cancelled) return 'La connexion a été annulée.';
		if (error.reason === ConnectionErrorReason.LeaveRequest) {
			return 'Le serveur de visioconférence a mis fin à la connexion.';
		}
	}
	return `Le serveur de visioconférence (${url}) est injoignable. Vérifiez votre connexion, puis cliquez sur « Rejoindre la visioconférence » pour réessayer ; la séance continue sur cette page (dossier en cours, quorum).`;
}

export function describeDisconnect(reason: DisconnectReason | undefined): {
	text: string;
	final: boolean;
} {
	switch (reason) {
		case DisconnectReason.CLIENT_INITIATED:
			return { text: 'Vous avez quitté la visioconférence.', final: false };
		case DisconnectReason.PARTICIPANT_REMOVED:
			return {
				text: 'Le président de séance vous a retiré de la visioconférence. Vous pouvez continuer à suivre la séance sur cette page.',
				final: true
			};
		case DisconnectReason.ROOM_DELETED:
		case DisconnectReason.ROOM_CLOSED:
			return { text: 'La visioconférence est terminée.', final: true };
		case DisconnectReason.DUPLICATE_IDENTITY:
			return {
				text: 'Vous avez rejoint la visioconférence depuis une autre fenêtre ou un autre appareil : cette fenêtre en est sortie.',
				final: false
			};
		default:
			return {
				text: 'La connexion à la visioconférence a été perdue et n’a pas pu être rétablie. Cliquez sur « Rejoindre la visioconférence » pour réessayer.',
				final: false
			};
	}
}
