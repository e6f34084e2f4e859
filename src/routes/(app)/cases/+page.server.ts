import { canCoordinate, canSubmitCase } from '$lib/server/auth/access';
import { listMyRequests } from '$lib/server/cases';
import { ensure, requireUser } from '$lib/server/guard';
import { listPathways } from '$lib/server/pathways';
import { countWorklist, listSchedulableMeetings } from '$lib/server/worklist';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	const user = requireUser(locals, url);
	const coordinated = listPathways().filter((p) => canCoordinate(locals.actor, p.id));
	const canSubmit = canSubmitCase(locals.actor);
	ensure(
		canSubmit || coordinated.length > 0,
		'Cette page est réservée aux médecins et à la coordination.'
	);
	return {
		canSubmit,
		requests: listMyRequests(user.id, locals.audit),
		worklists: coordinated.map((p) => ({
			id: p.id,
			name: p.name,
			waiting: countWorklist(p.id).submitted,
			meetings: listSchedulableMeetings(p.id, new Date(), 2).map((m) => ({
				id: m.id,
				startsAt: m.startsAt,
				caseCount: m.caseCount
			}))
		}))
	};
};
