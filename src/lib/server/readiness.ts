import { eq, inArray } from 'drizzle-orm';
import {
	checkCompleteness,
	type CompletenessResult,
	type IdentityStatus
} from '$lib/domain/completeness';
import { getCaseFormKind } from '$lib/domain/case-forms';
import type { QuorumAttendee } from '$lib/domain/quorum';
import { toParisParts } from '$lib/domain/schedule';
import type { CaseRow } from './cases';
import { getDb, type DbOrTx } from './db';
import { documents, meetings, pathways, patients, users, writtenOpinions } from './db/schema';
import { listMeetingInvitees } from './invitations';
import type { MeetingRow } from './meetings';

/** Readiness of cases for their meeting (issue §5): the facts the completeness rules need. */
type PathwayRow = typeof pathways.$inferSelect;

interface ReadinessContext {
	pathway: PathwayRow;
	meeting: MeetingRow | null;
	confirmed: QuorumAttendee[];
}

/** Doctors who accepted the meeting's invitation, and its chair, as the quorum counts them. */
export function listConfirmedAttendees(
	meeting: MeetingRow,
	tx: DbOrTx = getDb()
): QuorumAttendee[] {
	const invitees = listMeetingInvitees(meeting, {}, tx).filter(
		(i) => i.reply === 'accepted' && i.scope !== 'case' && i.userId !== null
	);
	const list: QuorumAttendee[] = invitees.map((i) => ({
		personId: i.userId!,
		specialty: i.specialty,
		isGp: i.sector === 'gp'
	}));
	if (meeting.chairId && !list.some((a) => a.personId === meeting.chairId)) {
		const chair = tx.select().from(users).where(eq(users.id, meeting.chairId)).get();
		if (chair)
			list.push({ personId: chair.id, specialty: chair.specialty, isGp: chair.sector === 'gp' });
	}
	return list;
}

/**
 * Completeness of several cases of one pathway at once (the agenda, the worklist): documents,
 * opinions, patients and the meetings' confirmed attendees are read in a few queries.
 */
export function assessCaseReadiness(
	rows: readonly CaseRow[],
	tx: DbOrTx = getDb(),
	now: Date = new Date()
): Map<string, CompletenessResult> {
	const result = new Map<string, CompletenessResult>();
	if (!rows.length) return result;
	const ids = rows.map((c) => c.id);
	const docs = tx
		.select({
			caseId: documents.caseId,
			kind: documents.kind,
			documentDate: documents.documentDate,
			uploadedAt: documents.uploadedAt
		})
		.from(documents)
		.where(inArray(documents.caseId, ids))
		.all();
	const opinions = tx
		.select({
			caseId: writtenOpinions.caseId,
			authorId: writtenOpinions.authorId,
			specialty: writtenOpinions.specialty
		})
		.from(writtenOpinions)
		.where(inArray(writtenOpinions.caseId, ids))
		.all();
	const patientRows = tx
		.select({
			id: patients.id,
			ins: patients.insMatricule,
			status: patients.identityStatus
		})
		.from(patients)
		.where(inArray(patients.id, [...new Set(rows.map((c) => c.patientId))]))
		.all();
	const patientById = new Map(patientRows.map((p) => [p.id, p]));
	const contexts = new Map<string, ReadinessContext>();
	const pathwayCache = new Map<string, PathwayRow>();
	const today = toParisParts(now).date;

	for (const c of rows) {
		const key = `${c.pathwayId}:${c.meetingId ?? ''}`;
		let ctx = contexts.get(key);
		if (!ctx) {
			let pathway = pathwayCache.get(c.pathwayId);
			if (!pathway) {
				pathway = tx.select().from(pathways).where(eq(pathways.id, c.pathwayId)).get()!;
				pathwayCache.set(c.pathwayId, pathway);
			}
			const meeting = c.meetingId
				? (tx.select().from(meetings).where(eq(meetings.id, c.meetingId)).get() ?? null)
				: null;
			ctx = { pathway, meeting, confirmed: meeting ? listConfirmedAttendees(meeting, tx) : [] };
			contexts.set(key, ctx);
		}
		const patient = patientById.get(c.patientId);
		result.set(
			c.id,
			checkCompleteness({
				kind: getCaseFormKind(ctx.pathway),
				question: c.question,
				summary: c.summary,
				data: c.pathwayData,
				hasIns: Boolean(patient?.ins),
				identityStatus: (patient?.status ?? 'provisional') as IdentityStatus,
				documents: docs
					.filter((d) => d.caseId === c.id)
					.map((d) => ({
						kind: d.kind,
						date: d.documentDate ?? toParisParts(d.uploadedAt).date
					})),
				referenceDate: ctx.meeting ? toParisParts(ctx.meeting.startsAt).date : today,
				freshnessDays: ctx.pathway.freshnessDays,
				// Without a meeting there is no one to confirm yet: the quorum is checked once scheduled.
				quorumRule: ctx.meeting ? ctx.pathway.quorumRule : null,
				confirmed: ctx.confirmed,
				opinions: opinions.filter((o) => o.caseId === c.id),
				neededSpecialties: ctx.meeting ? c.neededSpecialties : []
			})
		);
	}
	return result;
}
