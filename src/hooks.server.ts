import type { Handle, HandleServerError, ServerInit } from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import {
	deleteSessionCookie,
	SESSION_COOKIE,
	setSessionCookie,
	validateSessionToken
} from '$lib/server/auth/session';
import { drainBody, enforceRoutePolicy } from '$lib/server/auth/gate';
import { forcePasswordChange } from '$lib/server/auth/force-password-change';
import { isSecureOrigin } from '$lib/server/config';
import { extendConnectSrc, livekitOrigins } from '$lib/server/livekit/csp';
import { startServer } from '$lib/server/startup';
import { countStatements } from '$lib/server/db/statement-count';
import { toActor, toSessionUser } from '$lib/server/users';

export const init: ServerInit = async () => {
	await startServer();
};

const securityHeaders: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	const h = response.headers;
	h.set('X-Content-Type-Options', 'nosniff');
	h.set('Referrer-Policy', 'same-origin');
	// Documents shown inside the meeting room set SAMEORIGIN themselves; everything else is DENY.
	if (!h.has('X-Frame-Options')) h.set('X-Frame-Options', 'DENY');
	// The CSP is built with the LiveKit URL known at build time; follow the one configured now.
	const csp = h.get('Content-Security-Policy');
	if (csp)
		h.set(
			'Content-Security-Policy',
			extendConnectSrc(csp, livekitOrigins(process.env.LIVEKIT_URL))
		);
	h.set(
		'Permissions-Policy',
		'camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()'
	);
	// Every dynamic response may carry patient data (pages, __data.json, PDFs, documents, guest
	// pages, streams): nothing is kept by browsers or proxies. Static assets never come here.
	if (event.route.id) h.set('Cache-Control', 'no-store');
	if (isHttpsOrigin()) h.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
	return response;
};

const formTypes = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** Machine endpoints take JSON or raw bodies only, so a cross-site HTML form can never reach them. */
const refuseFormsOnApi: Handle = async ({ event, resolve }) => {
	if (
		event.url.pathname.startsWith('/api/') &&
		!['GET', 'HEAD', 'OPTIONS'].includes(event.request.method)
	) {
		const type =
			event.request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? '';
		if (formTypes.includes(type)) {
			await drainBody(event.request);
			return new Response(JSON.stringify({ message: 'Type de contenu refusé.' }), {
				status: 415,
				headers: { 'content-type': 'application/json' }
			});
		}
	}
	return resolve(event);
};

const authenticate: Handle = async ({ event, resolve }) => {
	const ip = safeClientAddress(event);
	event.locals.user = null;
	event.locals.session = null;
	event.locals.sessionExpired = false;
	event.locals.actor = { kind: 'anonymous' };
	event.locals.audit = { actorType: 'anonymous', actorId: null, ip };
	const token = event.cookies.get(SESSION_COOKIE);
	if (!token) return resolve(event);
	const secure = isSecureOrigin(event.url);
	const result = await validateSessionToken(token);
	if (!result) {
		event.locals.sessionExpired = true;
		deleteSessionCookie(event.cookies, secure);
		return resolve(event);
	}
	const user = await toSessionUser(result.user);
	event.locals.user = user;
	event.locals.session = result.session;
	event.locals.actor = toActor(user);
	event.locals.audit = { actorType: 'user', actorId: user.id, ip };
	setSessionCookie(event.cookies, token, result.session.expiresAt, secure);
	return resolve(event);
};

function safeClientAddress(event: Parameters<Handle>[0]['event']): string {
	try {
		return event.getClientAddress();
	} catch {
		return 'unknown';
	}
}

function isHttpsOrigin(): boolean {
	return process.env.ORIGIN?.startsWith('https://') ?? false;
}

/** PLURI_SQL_COUNT=1 (benchmarks): each response says how many SQL statements it took. */
const countSql: Handle = async ({ event, resolve }) => {
	if (process.env.PLURI_SQL_COUNT !== '1') return resolve(event);
	const [response, statements] = await countStatements(async () => resolve(event));
	response.headers.set('x-pluri-sql-statements', String(statements));
	return response;
};

export const handle = sequence(
	countSql,
	securityHeaders,
	refuseFormsOnApi,
	authenticate,
	enforceRoutePolicy,
	forcePasswordChange
);

export const handleError: HandleServerError = ({ error, status, message }) => {
	if (status === 404) return { message: 'Page introuvable.' };
	const errorId = crypto.randomUUID().slice(0, 8);
	console.error(`[error ${errorId}]`, error);
	return {
		message:
			status >= 500 ? 'Une erreur inattendue est survenue. Réessayez dans un instant.' : message,
		errorId
	};
};
