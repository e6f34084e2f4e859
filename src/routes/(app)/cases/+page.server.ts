import { canCoordinate, canSubmitCase } from '$lib/server/auth/access';
import { listMyRequests } from '$lib/server/cases';
import { ensure, requireUser } from '$lib/server/guard';
import { listPathways } from '$lib/server/pathways';
import { countWorklist, listSchedulableMeetings } from '$lib/server/worklist';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const coordinated = (await listPathways()).filter((p) => canCoordinate(locals.actor, p.id));
	const canSubmit = canSubmitCase(locals.actor);
	await ensure(
		canSubmit || coordinated.length > 0,
		'Cette page est réservée aux médecins et à la coordination.'
	);
	return {
		canSubmit,
		requests: await listMyRequests(user.id, locals.audit),
		worklists: await Promise.all(
			coordinated.map(async (p) => ({
				id: p.id,
				name: p.name,
				waiting: (await countWorklist(p.id)).submitted,
				meetings: (await listSchedulableMeetings(p.id, new Date(), 2)).map((m) => ({
					id: m.id,
					startsAt: m.startsAt,
					caseCount: m.caseCount
				}))
			}))
		)
	};
};
