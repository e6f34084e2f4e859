import { describe, expect, it } from 'vitest';
import { extendConnectSrc, livekitOrigins } from './csp';

describe('LiveKit origins in the CSP', () => {
	it('derives the WebSocket and HTTP origins of the configured URL', () => {
		expect(livekitOrigins('wss://video.chu.example.fr')).toEqual([
			'wss://video.chu.example.fr',
			'https://video.chu.example.fr'
		]);
		expect(livekitOrigins('ws://127.0.0.1:7890/')).toEqual([
			'ws://127.0.0.1:7890',
			'http://127.0.0.1:7890'
		]);
		expect(livekitOrigins('https://x.livekit.cloud')).toEqual([
			'wss://x.livekit.cloud',
			'https://x.livekit.cloud'
		]);
		expect(livekitOrigins(undefined)).toEqual([]);
		expect(livekitOrigins('not a url')).toEqual([]);
		expect(livekitOrigins('javascript:alert(1)')).toEqual([]);
	});

	it('appends to connect-src only, once', () => {
		const policy = "default-src 'self'; connect-src 'self' ws://127.0.0.1:7880; object-src 'none'";
		const extended = extendConnectSrc(policy, ['ws://127.0.0.1:7890', 'http://127.0.0.1:7890']);
		expect(extended).toBe(
			"default-src 'self'; connect-src 'self' ws://127.0.0.1:7880 ws://127.0.0.1:7890 http://127.0.0.1:7890; object-src 'none'"
		);
		expect(extendConnectSrc(extended, ['ws://127.0.0.1:7890'])).toBe(extended);
		// A file's own strict policy (no connect-src) is not widened.
		expect(extendConnectSrc("default-src 'none'; sandbox", ['wss://a.example'])).toBe(
			"default-src 'none'; sandbox"
		);
		expect(extendConnectSrc(policy, [])).toBe(policy);
	});
});
