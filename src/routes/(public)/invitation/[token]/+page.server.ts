import { forbid, hideRefusal } from '$lib/server/guard';
import { getMeetingOverview } from '$lib/server/meetings';
import type { PageServerLoad } from './$types';
import { describeGuestCaseSlot, resolveGuestToken } from '$lib/server/guest-links';

/** The page an outside doctor's link opens: the meeting, and their patient's slot in it. */
export const load: PageServerLoad = async ({ params, getClientAddress, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' });
	let ip: string | null = null;
	try {
		ip = getClientAddress();
	} catch {
		ip = null;
	}
	const access = await resolveGuestToken(params.token, new Date(), { ip });
	// An early guest is welcome (the page says when to come back); any other refusal is one.
	if (!access.ok && access.reason === 'unknown') return await hideRefusal(access.message);
	if (!access.ok && access.reason !== 'not_yet') return await forbid(access.message);
	if (!access.ok) return { ok: false as const, reason: access.reason, message: access.message };
	const overview = await getMeetingOverview(access.meeting);
	const m = access.meeting;
	return {
		ok: true as const,
		guestName: access.invitation.guestName,
		meeting: {
			startsAt: m.startsAt,
			endsAt: m.endsAt,
			status: m.status,
			place: m.place,
			videoOffered: m.videoOffered,
			deadlineAt: m.deadlineAt,
			cancelReason: m.cancelReason
		},
		pathwayName: overview.pathwayName,
		chairName: overview.chairName,
		slot: await describeGuestCaseSlot(access.invitation, access.meeting),
		caseScoped: access.caseId !== null
	};
};
