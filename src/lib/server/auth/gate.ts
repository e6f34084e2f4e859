import { error, json, type Handle, type RequestEvent } from '@sveltejs/kit';
import { recordDenied } from '$lib/server/audit';
import { isAdmin } from './access';
import {
	findEntryPolicy,
	routePolicies,
	type EntryPolicy,
	type EntryRequest
} from './route-policy';

type Verdict =
	| { ok: true }
	| { ok: false; kind: 'login' }
	| { ok: false; kind: 'forbidden'; status: 403 | 404 | 405; message: string };

/** Which entry point of the route this request reaches: a load, a form action or a method. */
export function describeEntry(routeId: string, method: string, url: URL): EntryRequest {
	const route = routePolicies[routeId];
	const m = method === 'HEAD' ? 'GET' : method;
	if (route?.methods && m in route.methods) return { kind: 'method', method: m };
	if (method === 'GET' || method === 'HEAD') return { kind: 'load' };
	if (method === 'POST' && (route?.actions || !route?.methods)) {
		for (const [name] of url.searchParams)
			if (name.startsWith('/')) return { kind: 'action', name: name.slice(1) };
		return { kind: 'action', name: 'default' };
	}
	return { kind: 'method', method: m };
}

export function entryLabel(entry: EntryRequest): string {
	return entry.kind === 'load'
		? 'load'
		: entry.kind === 'action'
			? `action:${entry.name}`
			: entry.method;
}

/** The gate of one entry point for the current actor (the object check stays in the handler). */
export function judgeGate(policy: EntryPolicy | null, locals: App.Locals): Verdict {
	if (!policy)
		return { ok: false, kind: 'forbidden', status: 404, message: 'Cette page n’existe pas.' };
	switch (policy.gate) {
		case 'public':
		case 'link':
			return { ok: true };
		case 'user':
			return locals.user ? { ok: true } : { ok: false, kind: 'login' };
		case 'admin':
			if (!locals.user) return { ok: false, kind: 'login' };
			return isAdmin(locals.actor)
				? { ok: true }
				: {
						ok: false,
						kind: 'forbidden',
						status: 403,
						message: 'Cette page est réservée aux administrateurs de Pluri.'
					};
	}
}

/** The first route parameter names the object asked for (case, meeting, user…). */
export function objectOf(params: Record<string, string>): { type: string; id: string } | null {
	const entries = Object.entries(params);
	if (!entries.length) return null;
	// The innermost parameter is the object itself (`/meetings/[meetingId]/cases/[caseId]` → case).
	const [name, id] = entries[entries.length - 1]!;
	return { type: name.replace(/Id$/, ''), id };
}

function loginLocation(event: RequestEvent): string {
	const back = event.isDataRequest
		? event.url.pathname.replace(/\/__data\.json$/, '') || '/'
		: event.url.pathname + event.url.search;
	const expired = event.locals.sessionExpired ? '&expired=1' : '';
	return `/login?redirectTo=${encodeURIComponent(back)}${expired}`;
}

/** As SvelteKit decides for actions: JSON unless the client prefers HTML (a plain form post). */
function wantsJson(event: RequestEvent): boolean {
	const accept = event.request.headers.get('accept') ?? '*/*';
	const html = accept.indexOf('text/html');
	const jsonAt = accept.indexOf('application/json');
	return html === -1 || (jsonAt !== -1 && jsonAt < html);
}

function redirectToLogin(event: RequestEvent, entry: EntryRequest): Response {
	const location = loginLocation(event);
	if (entry.kind === 'method')
		return json({ message: 'Connectez-vous pour accéder à cette ressource.' }, { status: 401 });
	// Client-side navigation and enhanced forms expect SvelteKit's JSON shapes.
	if (event.isDataRequest) return json({ type: 'redirect', location });
	if (entry.kind === 'action' && wantsJson(event))
		return json({ type: 'redirect', status: 303, location });
	return new Response(null, { status: 303, headers: { location } });
}

/**
 * Deny by default, before any handler runs: every request that reaches a route must match a
 * declared entry point whose gate admits the actor. Requests that match no route (404s, static
 * files) pass through to SvelteKit.
 */
export const enforceRoutePolicy: Handle = async ({ event, resolve }) => {
	try {
		return await gate(event, resolve);
	} finally {
		// A body left unread (a refusal, an endpoint that answered early) would break the
		// client's kept-alive connection: read it to the end.
		if (event.request.body && !event.request.bodyUsed) await drainBody(event.request);
	}
};

async function gate(
	event: RequestEvent,
	resolve: Parameters<Handle>[0]['resolve']
): Promise<Response> {
	const routeId = event.route.id;
	if (!routeId) return resolve(event);
	const entry = describeEntry(routeId, event.request.method, event.url);
	const verdict = judgeGate(findEntryPolicy(routeId, entry), event.locals);
	if (verdict.ok) {
		if (entry.kind === 'action') {
			const refused = await readActionBody(event);
			if (refused) return refused;
		}
		const response = await resolve(event);
		// Endpoints that answer 403 themselves are audited here, once.
		if (response.status === 403 && !event.locals.refusalAudited)
			await recordRefusal(event, routeId, entry, 403);
		return response;
	}
	if (verdict.kind === 'login') {
		// An anonymous visit to a plain page is no attempt on an object; anything else is recorded.
		if (entry.kind !== 'load' || Object.keys(event.params).length)
			await recordRefusal(event, routeId, entry, 401);
		return redirectToLogin(event, entry);
	}
	await recordRefusal(event, routeId, entry, verdict.status);
	error(verdict.status, verdict.message);
}

async function recordRefusal(
	event: RequestEvent,
	routeId: string,
	entry: EntryRequest,
	status: number
): Promise<void> {
	event.locals.refusalAudited = true;
	const object = objectOf(event.params as Record<string, string>);
	await recordDenied(event.locals.audit, {
		route: routeId,
		entry: entryLabel(entry),
		objectType: object?.type ?? null,
		objectId: object?.id ?? null,
		status
	});
}

/** Reads what is left of a refused body, so the connection stays usable for the next request. */
export async function drainBody(request: Request): Promise<void> {
	try {
		await request.arrayBuffer();
	} catch {
		// already read, or the client went away
	}
}

const formTypes = new Set(['application/x-www-form-urlencoded', 'multipart/form-data']);

function badRequest(event: RequestEvent, status: 400 | 415, message: string): Response {
	// Enhanced forms read JSON; a plain form post gets the error page.
	if (wantsJson(event)) return json({ type: 'error', error: { message } }, { status });
	error(status, message);
}

/**
 * Form actions get a parsed body or a French 400/415, never a parser's 500: the body is read
 * once here and handed to the action through `request.formData()`.
 */
export async function readActionBody(event: RequestEvent): Promise<Response | null> {
	const type = event.request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
	if (!type || !formTypes.has(type)) {
		await drainBody(event.request);
		return badRequest(event, 415, 'Ce formulaire attend des données de formulaire.');
	}
	let form: FormData;
	try {
		form = await event.request.formData();
	} catch {
		return badRequest(event, 400, 'Le formulaire reçu est illisible ou incomplet. Renvoyez-le.');
	}
	Object.defineProperty(event.request, 'formData', { value: () => Promise.resolve(form) });
	return null;
}
