import { describe, expect, it } from 'vitest';
import { arrangeTiles, countQualityBars, describeQuality, toQuality } from './video-layout';

describe('video tiles', () => {
	it('says each connection quality in words, with a bar count that does not rely on colour', () => {
		expect(
			(['excellent', 'good', 'poor', 'lost'] as const).map((q) => [
				describeQuality(q),
				countQualityBars(q)
			])
		).toEqual([
			['Connexion excellente', 3],
			['Connexion bonne', 2],
			['Connexion faible', 1],
			['Connexion perdue', 0]
		]);
		expect(toQuality('poor')).toBe('poor');
		expect(toQuality(undefined)).toBe('unknown');
		expect(toQuality('bizarre')).toBe('unknown');
		expect(describeQuality('unknown')).toBe('Connexion en cours d’évaluation');
	});

	it('puts a shared screen on the stage and every other tile in the strip', () => {
		const cam = (key: string) => ({ key, kind: 'camera' as const });
		const screen = { key: 'b:screen', kind: 'screen' as const };
		const tiles = [screen, cam('a'), cam('b'), cam('c')];
		expect(arrangeTiles(tiles)).toEqual({ stage: screen, strip: [cam('a'), cam('b'), cam('c')] });
		// A second share waits in the strip; without a share there is no stage.
		const other = { key: 'c:screen', kind: 'screen' as const };
		expect(arrangeTiles([screen, other, cam('a')]).strip).toEqual([other, cam('a')]);
		expect(arrangeTiles([cam('a'), cam('b')])).toEqual({
			stage: null,
			strip: [cam('a'), cam('b')]
		});
	});
});
