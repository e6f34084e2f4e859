import { listUpcomingMeetings } from '$lib/server/meetings';
import { requireUser } from '$lib/server/guard';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const pathwayIds = [...new Set(user.memberships.map((m) => m.pathwayId))];
	return { meetings: await listUpcomingMeetings(user.id, pathwayIds) };
};
