import { error } from '@sveltejs/kit';
import type { AuditContext } from '$lib/server/audit';
import type { GuestActor } from '$lib/server/auth/access';
import { loadCaseRef } from '$lib/server/cases';
import { resolveGuestToken, toGuestActor } from '$lib/server/guest-links';

/** The guest behind a link, for the decision of its own case (also after the meeting). */
export async function resolveGuestCase(
	token: string,
	ip: string | null
): Promise<{
	actor: GuestActor;
	audit: AuditContext;
	found: NonNullable<Awaited<ReturnType<typeof loadCaseRef>>>;
}> {
	const access = await resolveGuestToken(token, new Date(), { ip, afterEnd: true });
	if (!access.ok) error(403, access.message);
	if (!access.caseId) error(404, 'Ce lien ne concerne pas un dossier.');
	const found = await loadCaseRef(access.caseId);
	if (!found) error(404, 'Ce dossier n’existe pas.');
	return {
		actor: toGuestActor(access.invitation),
		audit: { actorType: 'guest', actorId: access.invitation.id, ip },
		found
	};
}

export function clientIp(getClientAddress: () => string): string | null {
	try {
		return getClientAddress();
	} catch {
		return null;
	}
}
