// The facts the access policy needs about a case (meeting, guests invited for it).
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { CaseRef } from './auth/access';
import type { CaseRow } from './cases';
import { getDb, type DbOrTx, queryOne } from './db';
import { invitations, meetings } from './db/schema';
import { toMeetingRef } from './meetings';

/** Users (not guests) holding a live invitation scoped to this very case. */
export async function listCaseInviteeIds(caseId: string, tx: DbOrTx = getDb()): Promise<string[]> {
	return (
		await tx
			.select({ userId: invitations.userId })
			.from(invitations)
			.where(
				and(
					eq(invitations.caseId, caseId),
					isNull(invitations.revokedAt),
					isNotNull(invitations.userId)
				)
			)
	).map((r) => r.userId!);
}

export async function toCaseRef(caseRow: CaseRow, tx: DbOrTx = getDb()): Promise<CaseRef> {
	const meeting = caseRow.meetingId
		? await queryOne(tx.select().from(meetings).where(eq(meetings.id, caseRow.meetingId)))
		: undefined;
	return {
		id: caseRow.id,
		pathwayId: caseRow.pathwayId,
		requesterId: caseRow.requesterId,
		presenterId: caseRow.presenterId,
		status: caseRow.status,
		meeting: meeting ? await toMeetingRef(meeting, tx) : null,
		caseInviteeIds: await listCaseInviteeIds(caseRow.id, tx)
	};
}
