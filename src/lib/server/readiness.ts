import { eq, inArray } from 'drizzle-orm';
import {
	checkCaseCompleteness,
	checkMeetingReadiness,
	type CompletenessResult,
	type IdentityStatus,
	type MeetingReadinessResult
} from '$lib/domain/completeness';
import { getCaseFormKind } from '$lib/domain/case-forms';
import type { QuorumAttendee } from '$lib/domain/quorum';
import { toParisParts } from '$lib/domain/schedule';
import { getDb, type DbOrTx, queryOne } from './db';
import {
	cases,
	documents,
	meetings,
	pathways,
	patients,
	users,
	writtenOpinions
} from './db/schema';
import { listMeetingInvitees } from './invitations';

/**
 * Readiness of cases for their meeting (issue §5): the facts the completeness rules need.
 * Row types come from the schema, not from cases.ts / meetings.ts, so that cases.ts can use
 * this module without an import circle.
 */
type PathwayRow = typeof pathways.$inferSelect;
type CaseRow = typeof cases.$inferSelect;
type MeetingRow = typeof meetings.$inferSelect;

interface ReadinessContext {
	pathway: PathwayRow;
	meeting: MeetingRow | null;
}

/** Doctors who accepted the meeting's invitation, and its chair, as the quorum counts them. */
export async function listConfirmedAttendees(
	meeting: MeetingRow,
	tx: DbOrTx = getDb()
): Promise<QuorumAttendee[]> {
	const invitees = (await listMeetingInvitees(meeting, {}, tx)).filter(
		(i) => i.reply === 'accepted' && i.scope !== 'case' && i.userId !== null
	);
	const list: QuorumAttendee[] = invitees.map((i) => ({
		personId: i.userId!,
		specialty: i.specialty,
		isGp: i.sector === 'gp'
	}));
	if (meeting.chairId && !list.some((a) => a.personId === meeting.chairId)) {
		const chair = await queryOne(tx.select().from(users).where(eq(users.id, meeting.chairId)));
		if (chair)
			list.push({ personId: chair.id, specialty: chair.specialty, isGp: chair.sector === 'gp' });
	}
	return list;
}

/**
 * What each case itself lacks (fields, documents, freshness, identity), for several cases at
 * once (the agenda, the worklist): documents, patients and pathways are read in a few queries.
 * The meeting's replies and quorum are not counted against a case: see `assessMeetingReadiness`.
 */
export async function assessCaseReadiness(
	rows: readonly CaseRow[],
	tx: DbOrTx = getDb(),
	now: Date = new Date()
): Promise<Map<string, CompletenessResult>> {
	const result = new Map<string, CompletenessResult>();
	if (!rows.length) return result;
	const ids = rows.map((c) => c.id);
	const docs = await tx
		.select({
			caseId: documents.caseId,
			kind: documents.kind,
			documentDate: documents.documentDate,
			uploadedAt: documents.uploadedAt
		})
		.from(documents)
		.where(inArray(documents.caseId, ids));
	const patientRows = await tx
		.select({
			id: patients.id,
			ins: patients.insMatricule,
			status: patients.identityStatus
		})
		.from(patients)
		.where(inArray(patients.id, [...new Set(rows.map((c) => c.patientId))]));
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
				pathway = (await queryOne(tx.select().from(pathways).where(eq(pathways.id, c.pathwayId))))!;
				pathwayCache.set(c.pathwayId, pathway);
			}
			const meeting = c.meetingId
				? ((await queryOne(tx.select().from(meetings).where(eq(meetings.id, c.meetingId)))) ?? null)
				: null;
			ctx = { pathway, meeting };
			contexts.set(key, ctx);
		}
		const patient = patientById.get(c.patientId);
		result.set(
			c.id,
			checkCaseCompleteness({
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
				freshnessDays: ctx.pathway.freshnessDays
			})
		);
	}
	return result;
}

/**
 * The meeting's own problems, once for its whole agenda: quorum among the accepted invitations,
 * invitations without a reply, specialties cases asked for that nobody confirmed.
 */
export async function assessMeetingReadiness(
	meeting: MeetingRow,
	agenda: readonly CaseRow[],
	tx: DbOrTx = getDb()
): Promise<MeetingReadinessResult> {
	const pathway = (await queryOne(
		tx.select().from(pathways).where(eq(pathways.id, meeting.pathwayId))
	))!;
	const pending = (await listMeetingInvitees(meeting, {}, tx)).filter(
		(i) => i.reply === 'pending' && i.scope !== 'case'
	).length;
	const ids = agenda.map((c) => c.id);
	const opinions = ids.length
		? await tx
				.select({
					caseId: writtenOpinions.caseId,
					authorId: writtenOpinions.authorId,
					specialty: writtenOpinions.specialty
				})
				.from(writtenOpinions)
				.where(inArray(writtenOpinions.caseId, ids))
		: [];
	return checkMeetingReadiness({
		quorumRule: pathway.quorumRule,
		confirmed: await listConfirmedAttendees(meeting, tx),
		pendingReplies: pending,
		cases: agenda.map((c) => ({
			neededSpecialties: c.neededSpecialties,
			opinions: opinions.filter((o) => o.caseId === c.id)
		}))
	});
}
