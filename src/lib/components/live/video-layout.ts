/**
 * What the video tiles show, as plain data (no livekit-client here: the room page imports this
 * statically and loads LiveKit only when video is used).
 */

/** livekit-client's ConnectionQuality values, as the tiles read them. */
export type Quality = 'excellent' | 'good' | 'poor' | 'lost' | 'unknown';

const QUALITIES: readonly Quality[] = ['excellent', 'good', 'poor', 'lost', 'unknown'];

export function toQuality(value: string | null | undefined): Quality {
	return QUALITIES.find((q) => q === value) ?? 'unknown';
}

/** Said in words on every tile (an icon's colour alone tells nothing to some). */
export function describeQuality(quality: Quality): string {
	switch (quality) {
		case 'excellent':
			return 'Connexion excellente';
		case 'good':
			return 'Connexion bonne';
		case 'poor':
			return 'Connexion faible';
		case 'lost':
			return 'Connexion perdue';
		default:
			return 'Connexion en cours d’évaluation';
	}
}

/** How many of the icon's three bars are filled: the shape tells the level, not the colour. */
export function countQualityBars(quality: Quality): number {
	return { excellent: 3, good: 2, poor: 1, lost: 0, unknown: 0 }[quality];
}

/**
 * A shared screen takes the stage, everything else goes to the strip beside it; with no share
 * there is no stage and the tiles keep the chosen layout.
 */
export function arrangeTiles<T extends { kind: 'camera' | 'screen' }>(
	tiles: readonly T[]
): { stage: T | null; strip: T[] } {
	const stage = tiles.find((t) => t.kind === 'screen') ?? null;
	return { stage, strip: tiles.filter((t) => t !== stage) };
}
