import { canViewPathway } from '$lib/server/auth/access';
import { requireUser } from '$lib/server/guard';
import { findNextMeeting } from '$lib/server/meetings';
import { getPathway } from '$lib/server/pathways';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const ids = [...new Set(user.memberships.map((m) => m.pathwayId))].filter((id) =>
		canViewPathway(locals.actor, id)
	);
	const found = (await Promise.all(ids.map((id) => getPathway(id)))).filter((p) => p !== undefined);
	const pathways = (
		await Promise.all(
			found.map(async (p) => ({
				id: p.id,
				name: p.name,
				roles: user.memberships.filter((m) => m.pathwayId === p.id).map((m) => m.role),
				next: await findNextMeeting(p.id)
			}))
		)
	).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
	return { pathways };
};
