import { and, asc, eq } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import type { CaseRow } from './cases';
import { getDb, type DbOrTx, queryOne, transaction, affectedRows } from './db';
import { meetings, users, writtenOpinions } from './db/schema';
import { formatPersonName } from './users';

/**
 * Written opinions (avis écrits): a doctor who cannot attend gives their opinion on a case
 * before the meeting; it is read during the presentation and counts for their specialty in
 * the quorum (DESIGN §3). One opinion per doctor and case, which they may rewrite until the
 * meeting opens.
 */
export interface OpinionLine {
	id: string;
	authorId: string;
	authorName: string;
	specialty: string;
	text: string;
	createdAt: Date;
	updatedAt: Date | null;
}

export async function listCaseOpinions(
	caseId: string,
	tx: DbOrTx = getDb()
): Promise<OpinionLine[]> {
	return (
		await tx
			.select({ o: writtenOpinions, u: users })
			.from(writtenOpinions)
			.innerJoin(users, eq(users.id, writtenOpinions.authorId))
			.where(eq(writtenOpinions.caseId, caseId))
			.orderBy(asc(writtenOpinions.createdAt))
	).map(({ o, u }) => ({
		id: o.id,
		authorId: o.authorId,
		authorName: formatPersonName(u),
		specialty: o.specialty,
		text: o.text,
		createdAt: o.createdAt,
		updatedAt: o.updatedAt
	}));
}

/** The opinions of a case as shown on the opinion page: the read is audited with the patient. */
export async function readCaseOpinions(
	caseRow: CaseRow,
	audit: AuditContext
): Promise<OpinionLine[]> {
	const lines = await listCaseOpinions(caseRow.id);
	await recordAudit(audit, {
		action: 'opinion.read',
		objectType: 'rcp_case',
		objectId: caseRow.id,
		patientId: caseRow.patientId
	});
	return lines;
}

export type OpinionResult = { ok: true; created: boolean } | { ok: false; message: string };

/** Written opinions close when the meeting opens: from then on, one takes part in it. */
async function checkBeforeMeeting(caseRow: CaseRow, tx: DbOrTx): Promise<string | null> {
	if (!caseRow.meetingId) return 'Ce dossier n’est inscrit à aucune séance.';
	const meeting = await queryOne(
		tx.select().from(meetings).where(eq(meetings.id, caseRow.meetingId))
	);
	if (!meeting || meeting.status !== 'scheduled') {
		return 'La séance a commencé ou est terminée : les avis écrits ne sont plus recueillis.';
	}
	return null;
}

export async function saveWrittenOpinion(
	caseRow: CaseRow,
	author: { id: string; specialty: string | null },
	text: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<OpinionResult> {
	if (!author.specialty) {
		return { ok: false, message: 'Un avis écrit est donné au titre d’une spécialité.' };
	}
	const specialty = author.specialty;
	return transaction(getDb(), async (tx): Promise<OpinionResult> => {
		const closed = await checkBeforeMeeting(caseRow, tx);
		if (closed) return { ok: false as const, message: closed };
		const existing = await queryOne(
			tx
				.select()
				.from(writtenOpinions)
				.where(and(eq(writtenOpinions.caseId, caseRow.id), eq(writtenOpinions.authorId, author.id)))
		);
		if (existing) {
			await tx
				.update(writtenOpinions)
				.set({ text, specialty, updatedAt: now })
				.where(eq(writtenOpinions.id, existing.id));
		} else {
			await tx
				.insert(writtenOpinions)
				.values({ caseId: caseRow.id, authorId: author.id, specialty, text, createdAt: now });
		}
		await recordAudit(
			audit,
			{
				action: existing ? 'opinion.update' : 'opinion.create',
				objectType: 'rcp_case',
				objectId: caseRow.id,
				patientId: caseRow.patientId,
				detail: { specialty }
			},
			tx
		);
		return { ok: true as const, created: !existing };
	});
}

export async function withdrawWrittenOpinion(
	caseRow: CaseRow,
	authorId: string,
	audit: AuditContext
): Promise<OpinionResult> {
	return transaction(getDb(), async (tx): Promise<OpinionResult> => {
		const closed = await checkBeforeMeeting(caseRow, tx);
		if (closed) return { ok: false as const, message: closed };
		const removed = affectedRows(
			await tx
				.delete(writtenOpinions)
				.where(and(eq(writtenOpinions.caseId, caseRow.id), eq(writtenOpinions.authorId, authorId)))
		);
		if (!removed)
			return {
				ok: false as const,
				message: 'Vous n’avez pas donné d’avis écrit sur ce dossier.'
			};
		await recordAudit(
			audit,
			{
				action: 'opinion.withdraw',
				objectType: 'rcp_case',
				objectId: caseRow.id,
				patientId: caseRow.patientId
			},
			tx
		);
		return { ok: true as const, created: false };
	});
}
