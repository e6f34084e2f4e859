import { canCoordinate, canViewPathway } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { INVITATION_HORIZON_DAYS } from '$lib/server/invitations';
import { listPathwayMeetings, listPathwaySeries } from '$lib/server/meetings';
import { getPathway, listPathwayMembers } from '$lib/server/pathways';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, locals }) => {
	const pathway = (await getPathway(params.pathwayId)) ?? notFound('Cette filière n’existe pas.');
	await ensure(
		canViewPathway(locals.actor, pathway.id),
		'Vous n’êtes pas membre de cette filière.'
	);
	const now = new Date();
	const horizon = new Date(now.getTime() + INVITATION_HORIZON_DAYS * 86_400_000);
	return {
		pathway: {
			id: pathway.id,
			name: pathway.name,
			submissionDeadlineHours: pathway.submissionDeadlineHours
		},
		canCoordinate: canCoordinate(locals.actor, pathway.id),
		series: await listPathwaySeries(pathway.id),
		meetings: await listPathwayMeetings(pathway.id, now, horizon),
		members: await listPathwayMembers(pathway.id)
	};
};
