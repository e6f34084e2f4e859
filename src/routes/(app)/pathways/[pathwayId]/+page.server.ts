import { canCoordinate, canViewPathway } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { INVITATION_HORIZON_DAYS } from '$lib/server/invitations';
import { listPathwayMeetings, listPathwaySeries } from '$lib/server/meetings';
import { getPathway, listPathwayMembers } from '$lib/server/pathways';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ params, locals }) => {
	const pathway = getPathway(params.pathwayId) ?? notFound('Cette filière n’existe pas.');
	ensure(canViewPathway(locals.actor, pathway.id), 'Vous n’êtes pas membre de cette filière.');
	const now = new Date();
	const horizon = new Date(now.getTime() + INVITATION_HORIZON_DAYS * 86_400_000);
	return {
		pathway: {
			id: pathway.id,
			name: pathway.name,
			submissionDeadlineHours: pathway.submissionDeadlineHours
		},
		canCoordinate: canCoordinate(locals.actor, pathway.id),
		series: listPathwaySeries(pathway.id),
		meetings: listPathwayMeetings(pathway.id, now, horizon),
		members: listPathwayMembers(pathway.id)
	};
};
