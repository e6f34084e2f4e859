// Requests as a browser sends them to the built server: session cookie, same-origin form posts
// (SvelteKit's CSRF check stays on), enhanced actions and `__data.json` reads.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { origin } from './server';

export type Outcome =
	| { kind: 'denied'; status: number; detail: string }
	| { kind: 'login'; status: number }
	| { kind: 'through'; status: number; detail: string }
	| { kind: 'error'; status: number; detail: string };

export async function logIn(email: string, password: string): Promise<string> {
	const res = await fetch(`${origin}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ email, password, redirectTo: '/' })
	});
	const cookie = res.headers
		.getSetCookie()
		.map((c) => c.split(';')[0]!)
		.find((c) => c.startsWith('pluri_session=') || c.includes('session'));
	if (res.status !== 303 || !cookie) throw new Error(`Login failed for ${email}: ${res.status}`);
	return cookie;
}

const isLogin = (location: string | null | undefined): boolean =>
	!!location && new URL(location, origin).pathname === '/login';

function classify(status: number, location: string | null, detail: string): Outcome {
	if (status >= 500) return { kind: 'error', status, detail };
	if (isLogin(location)) return { kind: 'login', status };
	if (status === 401) return { kind: 'login', status };
	if (status === 403 || status === 404) return { kind: 'denied', status, detail };
	return { kind: 'through', status, detail };
}

const cross = 'Cross-site';

/** A page as a browser loads it (full HTML render: layouts and leaf). */
export async function getPage(path: string, cookie: string | null): Promise<Outcome> {
	const res = await fetch(origin + path, {
		redirect: 'manual',
		headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) }
	});
	const body = await res.text();
	return classify(res.status, res.headers.get('location'), body.slice(0, 200));
}

/** Layout nodes above a route (SvelteKit numbers the loads of `__data.json` in this order). */
export function countLayouts(routeId: string, root = process.cwd()): number {
	const segments = routeId.split('/').filter(Boolean);
	let n = 0;
	for (let i = 0; i <= segments.length; i++) {
		const dir = join(root, 'src', 'routes', ...segments.slice(0, i));
		if (['+layout.svelte', '+layout.server.ts', '+layout.ts'].some((f) => existsSync(join(dir, f))))
			n++;
	}
	return n;
}

/**
 * The page's `__data.json`, leaf load only: what a client navigation asks for, and what an
 * attacker asks to skip the layouts' loads.
 */
export async function getData(
	path: string,
	routeId: string,
	cookie: string | null
): Promise<Outcome> {
	const leafOnly = '0'.repeat(countLayouts(routeId)) + '1';
	const base = path.split('?')[0]!.replace(/\/$/, '');
	const query = path.includes('?') ? `&${path.split('?')[1]}` : '';
	const url = `${origin}${base}/__data.json?x-sveltekit-invalidated=${leafOnly}${query}`;
	const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
	const text = await res.text();
	if (res.status >= 500) return { kind: 'error', status: res.status, detail: text.slice(0, 200) };
	if (res.status !== 200) return classify(res.status, res.headers.get('location'), text);
	// Streaming data responses put one JSON document per line; the first holds the nodes.
	const first = JSON.parse(text.split('\n')[0]!) as {
		type: string;
		location?: string;
		status?: number;
		nodes?: ({ type: string; status?: number; error?: { message?: string } } | null)[];
	};
	if (first.type === 'redirect') return classify(303, first.location ?? null, '');
	if (first.type === 'error') return classify(first.status ?? 500, null, JSON.stringify(first));
	const failed = first.nodes?.find((n) => n?.type === 'error');
	if (failed) return classify(failed.status ?? 500, null, failed.error?.message ?? '');
	return { kind: 'through', status: 200, detail: text.slice(0, 200) };
}

/** A form action posted as `use:enhance` posts it. */
export async function postAction(
	path: string,
	action: string,
	body: URLSearchParams,
	cookie: string | null
): Promise<Outcome> {
	const [base, query] = path.split('?');
	const search = new URLSearchParams(query ?? '');
	const actionQuery = action === 'default' ? '' : `/${action}`;
	const qs = [actionQuery, search.toString()].filter(Boolean).join('&');
	const res = await fetch(`${origin}${base}${qs ? `?${qs}` : ''}`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin,
			'content-type': 'application/x-www-form-urlencoded',
			'x-sveltekit-action': 'true',
			accept: 'application/json',
			...(cookie ? { cookie } : {})
		},
		body
	});
	const text = await res.text();
	if (text.includes(cross)) throw new Error(`CSRF refused the matrix request ${path}`);
	if (res.status >= 500) return { kind: 'error', status: res.status, detail: text.slice(0, 300) };
	if ([401, 403, 404].includes(res.status)) return classify(res.status, null, text.slice(0, 200));
	let parsed: { type?: string; status?: number; location?: string } = {};
	try {
		parsed = JSON.parse(text);
	} catch {
		return classify(res.status, res.headers.get('location'), text.slice(0, 200));
	}
	if (parsed.type === 'redirect') return classify(303, parsed.location ?? null, '');
	if (parsed.type === 'error') return classify(res.status, null, text.slice(0, 200));
	return { kind: 'through', status: parsed.status ?? res.status, detail: text.slice(0, 200) };
}

/** A machine endpoint: GET as is, other methods with a JSON body. */
export async function callEndpoint(
	method: string,
	path: string,
	cookie: string | null
): Promise<Outcome> {
	const res = await fetch(origin + path, {
		method,
		redirect: 'manual',
		headers: {
			origin,
			...(method === 'GET' ? {} : { 'content-type': 'application/json' }),
			...(cookie ? { cookie } : {})
		},
		body: method === 'GET' ? undefined : '{}',
		signal: AbortSignal.timeout(5000)
	});
	// Event streams stay open: the status, headers and first event are the answer (reading the
	// first event lets the server finish what it records for it before the next request).
	const stream = res.headers.get('content-type')?.startsWith('text/event-stream');
	let text = '';
	if (stream) {
		const reader = res.body!.getReader();
		const first = await Promise.race([
			reader.read(),
			new Promise<null>((r) => setTimeout(() => r(null), 2000))
		]);
		text = first && first.value ? new TextDecoder().decode(first.value) : '';
		await reader.cancel();
		// The stream's view audit is batched on the next tick: let it land before the next request.
		await new Promise((r) => setTimeout(r, 150));
	} else text = await res.text();
	return classify(res.status, res.headers.get('location'), text.slice(0, 200));
}
