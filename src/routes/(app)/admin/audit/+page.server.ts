import { auditActionGroups, labelAuditAction } from '$lib/domain/audit-labels';
import { canAdminister } from '$lib/server/auth/access';
import { AUDIT_PAGE_SIZE, listAuditTrail } from '$lib/server/audit-trail';
import { readVerification } from '$lib/server/audit-verify';
import { ensure } from '$lib/server/guard';
import { parseAuditQuery } from './query';
import type { PageServerLoad } from './$types';

/** Reads only: the recorded verification (never a walk of the chain) and one page of rows. */
export const load: PageServerLoad = async ({ locals, url }) => {
	await ensure(canAdminister(locals.actor), 'Le journal d’audit est réservé aux administrateurs.');
	const query = parseAuditQuery(url.searchParams);
	const page = query.ok
		? await listAuditTrail(query.filters, query.cursor)
		: { lines: [], older: null, newer: null, tooManyActors: false };
	const errors = { ...query.errors };
	if (page.tooManyActors)
		errors.acteur = 'Trop de comptes correspondent : précisez le nom ou l’adresse e-mail.';
	const v = await readVerification();
	return {
		values: query.values,
		errors,
		filtered: Object.values(query.values).some(Boolean),
		lines: page.lines,
		older: page.older,
		newer: page.newer,
		pageSize: AUDIT_PAGE_SIZE,
		actionGroups: auditActionGroups.map((g) => ({
			label: g.label,
			actions: Object.entries(g.actions).map(([code, label]) => ({ code, label }))
		})),
		verification: v && {
			at: v.at,
			ok: v.ok,
			count: v.count,
			broken: v.broken && {
				...v.broken,
				label: v.broken.action && labelAuditAction(v.broken.action)
			}
		},
		// Without APP_SECRET the key sits in the same database as the trail.
		keyInDatabase: !process.env.APP_SECRET
	};
};
