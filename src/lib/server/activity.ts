import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import {
	computeActivity,
	computeActivityTotal,
	type ActivityRow,
	type CaseActivityFact
} from '$lib/domain/activity';
import { toParisParts } from '$lib/domain/schedule';
import { getDb } from './db';
import { caseEvents, cases, decisions, outbox } from './db/schema';

export interface PathwayActivity {
	months: ActivityRow[];
	total: ActivityRow;
}

/**
 * The facts of the activity report for the cases of a pathway first presented within
 * [from, to): four queries whatever the number of cases (no query per row).
 */
export async function loadPathwayActivity(
	pathwayId: string,
	from: Date,
	to: Date
): Promise<PathwayActivity> {
	const db = getDb();
	const presentedRows = await db
		.select({
			caseId: caseEvents.caseId,
			meetingId: caseEvents.meetingId,
			at: caseEvents.at,
			requestedAt: cases.submittedAt
		})
		.from(caseEvents)
		.innerJoin(cases, eq(cases.id, caseEvents.caseId))
		.where(
			and(
				eq(cases.pathwayId, pathwayId),
				eq(caseEvents.kind, 'presented'),
				isNotNull(caseEvents.meetingId)
			)
		)
		.orderBy(caseEvents.at);
	// One presentation per (case, meeting), at its first time on screen.
	const byCase = new Map<
		string,
		{ requestedAt: Date | null; meetings: { meetingId: string; at: Date }[] }
	>();
	for (const r of presentedRows) {
		const entry = byCase.get(r.caseId) ?? { requestedAt: r.requestedAt, meetings: [] };
		if (!entry.meetings.some((m) => m.meetingId === r.meetingId))
			entry.meetings.push({ meetingId: r.meetingId!, at: r.at });
		byCase.set(r.caseId, entry);
	}
	const inRange = [...byCase].filter(([, e]) => {
		const first = e.meetings[0]!.at.getTime();
		return first >= from.getTime() && first < to.getTime();
	});
	const ids = inRange.map(([id]) => id);
	const decisionRows = ids.length
		? await db
				.select({
					id: decisions.id,
					caseId: decisions.caseId,
					meetingId: decisions.meetingId,
					status: decisions.status,
					quorumReached: decisions.quorumReached,
					validatedAt: decisions.validatedAt,
					conformity: decisions.conformity,
					trialProposed: decisions.trialProposed,
					attendees: decisions.attendeesSnapshot
				})
				.from(decisions)
				.where(
					and(
						inArray(decisions.caseId, ids),
						inArray(decisions.status, ['validated', 'superseded', 'provisional'])
					)
				)
		: [];
	const finalIds = decisionRows.filter((d) => d.status !== 'provisional').map((d) => d.id);
	const delivered = new Map(
		finalIds.length
			? (
					await db
						.select({ decisionId: outbox.decisionId, at: sql<number>`min(${outbox.deliveredAt})` })
						.from(outbox)
						.where(and(inArray(outbox.decisionId, finalIds), isNotNull(outbox.deliveredAt)))
						.groupBy(outbox.decisionId)
				).map((r) => [r.decisionId, new Date(r.at)])
			: []
	);
	const facts: CaseActivityFact[] = inRange.map(([caseId, e]) => {
		const own = decisionRows.filter((d) => d.caseId === caseId);
		const finals = own
			.filter((d) => d.status !== 'provisional' && d.validatedAt !== null)
			.sort((a, b) => a.validatedAt!.getTime() - b.validatedAt!.getTime());
		const firstFinal = finals[0];
		return {
			caseId,
			month: toParisParts(e.meetings[0]!.at).date.slice(0, 7),
			requestedAt: e.requestedAt,
			presentations: e.meetings.map((m) => {
				const here = own.filter((d) => d.meetingId === m.meetingId);
				const final = here.find((d) => d.status !== 'provisional');
				const provisional = here.find((d) => d.status === 'provisional');
				return final
					? { at: m.at, outcome: 'validated' as const, quorumReached: final.quorumReached }
					: provisional
						? { at: m.at, outcome: 'provisional' as const, quorumReached: false }
						: { at: m.at, outcome: 'none' as const, quorumReached: null };
			}),
			validatedAt: firstFinal?.validatedAt ?? null,
			conformity: firstFinal?.conformity ?? null,
			trialProposed: firstFinal?.trialProposed ?? null,
			deliveredAt: firstFinal ? (delivered.get(firstFinal.id) ?? null) : null,
			gpAttended: firstFinal
				? (firstFinal.attendees ?? []).some(
						(a) => a.sector === 'gp' || a.specialty === 'general_practice'
					)
				: null
		};
	});
	return { months: computeActivity(facts), total: computeActivityTotal(facts) };
}
