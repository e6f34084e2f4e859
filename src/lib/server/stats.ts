import { and, eq, gte, inArray, lt } from 'drizzle-orm';
import { computeIndicators, type DecisionFact, type Indicators } from '$lib/domain/stats';
import { getDb } from './db';
import { cases, decisions, meetings } from './db/schema';

/** A pathway's indicators for meetings and validations within [from, to). */
export async function loadPathwayIndicators(
	pathwayId: string,
	from: Date,
	to: Date
): Promise<Indicators> {
	const db = getDb();
	const meetingFacts = await db
		.select({ status: meetings.status })
		.from(meetings)
		.where(
			and(
				eq(meetings.pathwayId, pathwayId),
				gte(meetings.startsAt, from),
				lt(meetings.startsAt, to)
			)
		);
	const decisionFacts: DecisionFact[] = (
		await db
			.select({
				caseId: decisions.caseId,
				patientId: cases.patientId,
				status: decisions.status,
				conformity: decisions.conformity,
				quorumReached: decisions.quorumReached,
				trialProposed: decisions.trialProposed,
				proposalTypes: decisions.proposalTypes,
				requestedAt: cases.submittedAt,
				validatedAt: decisions.validatedAt
			})
			.from(decisions)
			.innerJoin(cases, eq(cases.id, decisions.caseId))
			.where(
				and(
					eq(cases.pathwayId, pathwayId),
					inArray(decisions.status, ['validated', 'superseded', 'provisional']),
					gte(decisions.validatedAt, from),
					lt(decisions.validatedAt, to)
				)
			)
	).map((d) => ({
		...d,
		// A superseded version was a validated decision before its amendment.
		status: d.status === 'provisional' ? ('provisional' as const) : ('validated' as const),
		validatedAt: d.validatedAt!
	}));
	return computeIndicators(meetingFacts, decisionFacts);
}
