import { error } from '@sveltejs/kit';
import { toParisParts } from '$lib/domain/schedule';
import { canReadMinutes } from '$lib/server/auth/access';
import { buildMeetingMinutes } from '$lib/server/delivery/minutes';
import { pdfResponse } from '$lib/server/delivery/pdf-response';
import { ensure, notFound } from '$lib/server/guard';
import { getMeetingRef } from '$lib/server/meetings';
import type { RequestHandler } from './$types';

/** The minutes of a meeting (PDF): every case and its outcome, then each fiche RCP. */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401, 'Connectez-vous pour télécharger le compte rendu.');
	const found = (await getMeetingRef(params.meetingId)) ?? notFound('Cette séance n’existe pas.');
	await ensure(
		canReadMinutes(locals.actor, found.ref),
		'Le compte rendu est réservé à la coordination et à la présidence.'
	);
	const bytes = (await buildMeetingMinutes(params.meetingId, locals.audit)) ?? notFound();
	return pdfResponse(bytes, `compte-rendu-rcp-${toParisParts(found.meeting.startsAt).date}.pdf`);
};
