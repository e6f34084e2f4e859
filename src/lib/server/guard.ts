import { error, redirect } from '@sveltejs/kit';
import { getRequestEvent } from '$app/server';
import { recordDenied } from './audit';
import { describeEntry, entryLabel, objectOf } from './auth/gate';
import type { SessionUser } from './users';

/** The logged-in user, or a redirect to the login page that comes back here afterwards. */
export function requireUser(locals: App.Locals, url: URL): SessionUser {
	if (!locals.user) {
		const back = url.pathname + url.search;
		const expired = locals.sessionExpired ? '&expired=1' : '';
		redirect(303, `/login?redirectTo=${encodeURIComponent(back)}${expired}`);
	}
	return locals.user;
}

/** Refuses the request with a French 403; the refused attempt is audited (who, route, object). */
export async function forbid(message = 'Vous n’avez pas accès à cette page.'): Promise<never> {
	await auditRefusal(403, message);
	error(403, message);
}

/** Throws a 403 unless the policy allowed it. */
export async function ensure(allowed: boolean, message?: string): Promise<void> {
	if (!allowed) return await forbid(message);
}

export function notFound(message = 'Cette page n’existe pas ou n’existe plus.'): never {
	error(404, message);
}

/** A 404 that hides a refusal (existence itself is secret): audited as a refusal. */
export async function hideRefusal(
	message = 'Cette page n’existe pas ou n’existe plus.'
): Promise<never> {
	await auditRefusal(404, message);
	error(404, message);
}

async function auditRefusal(status: number, reason: string): Promise<void> {
	let event;
	try {
		event = getRequestEvent();
	} catch {
		return; // called outside a request (a script): nothing to attribute
	}
	event.locals.refusalAudited = true;
	const routeId = event.route.id ?? event.url.pathname;
	const object = objectOf(event.params as Record<string, string>);
	await recordDenied(event.locals.audit, {
		route: routeId,
		entry: entryLabel(describeEntry(routeId, event.request.method, event.url)),
		objectType: object?.type ?? null,
		objectId: object?.id ?? null,
		status,
		reason
	});
}
