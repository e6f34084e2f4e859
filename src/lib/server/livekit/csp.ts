/**
 * The browser talks to LiveKit directly (WebSocket for signalling, HTTPS for region and
 * validation requests). svelte.config.js bakes a default into the CSP at build time; this adds
 * the origins of the LIVEKIT_URL the server runs with, so one build serves any deployment.
 */
export function livekitOrigins(url: string | undefined): string[] {
	if (!url) return [];
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return [];
	}
	const secure = parsed.protocol === 'wss:' || parsed.protocol === 'https:';
	if (!['ws:', 'wss:', 'http:', 'https:'].includes(parsed.protocol)) return [];
	return [
		`${secure ? 'wss' : 'ws'}://${parsed.host}`,
		`${secure ? 'https' : 'http'}://${parsed.host}`
	];
}

/**
 * Appends sources to the policy's connect-src, leaving the rest of the header untouched. A
 * policy without connect-src (a file served with `default-src 'none'`) is left as it is: adding
 * the directive there would only widen it.
 */
export function extendConnectSrc(policy: string, sources: readonly string[]): string {
	if (!sources.length) return policy;
	const directives = policy.split(';').map((d) => d.trim());
	const index = directives.findIndex((d) => d.split(/\s+/)[0] === 'connect-src');
	if (index === -1) return policy;
	const present = new Set(directives[index]!.split(/\s+/).slice(1));
	const missing = sources.filter((s) => !present.has(s));
	if (!missing.length) return policy;
	directives[index] = `${directives[index]} ${missing.join(' ')}`;
	return directives.filter(Boolean).join('; ');
}
