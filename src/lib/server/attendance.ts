import { and, eq, isNull } from 'drizzle-orm';
import type { QuorumAttendee, QuorumOpinion } from '$lib/domain/quorum';
import { getDb, type DbOrTx } from './db';
import { attendance, users, writtenOpinions } from './db/schema';

export type AttendanceRow = typeof attendance.$inferSelect;

/** People in the meeting right now (joined by video or checked in, and not left). */
export function listPresentAttendance(
	meetingId: string,
	tx: DbOrTx = getDb()
): (AttendanceRow & { sector: string | null })[] {
	return tx
		.select({ row: attendance, sector: users.sector })
		.from(attendance)
		.leftJoin(users, eq(users.id, attendance.userId))
		.where(and(eq(attendance.meetingId, meetingId), isNull(attendance.leftAt)))
		.all()
		.map(({ row, sector }) => ({ ...row, sector }));
}

/** Present people as the quorum rule sees them: one person per user (or guest), GPs flagged. */
export function listQuorumAttendees(meetingId: string, tx: DbOrTx = getDb()): QuorumAttendee[] {
	return listPresentAttendance(meetingId, tx).map((a) => ({
		personId: a.userId ?? a.identity,
		specialty: a.specialty,
		isGp: a.sector === 'gp' || a.invitationId !== null || a.specialty === 'general_practice'
	}));
}

export function listQuorumOpinions(caseId: string, tx: DbOrTx = getDb()): QuorumOpinion[] {
	return tx
		.select({ authorId: writtenOpinions.authorId, specialty: writtenOpinions.specialty })
		.from(writtenOpinions)
		.where(eq(writtenOpinions.caseId, caseId))
		.all();
}
