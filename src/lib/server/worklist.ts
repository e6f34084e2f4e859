import { and, asc, count, eq, gt, inArray } from 'drizzle-orm';
import { caseStatuses, type CaseStatus } from '$lib/domain/case-status';
import type { CompletenessResult } from '$lib/domain/completeness';
import { checkSchedulingDeadline, isPastDeadline } from '$lib/domain/deadline';
import { formatParisDateTime } from '$lib/domain/schedule';
import {
	openWorklistStatuses,
	sortWorklistLines,
	type WorklistQuery
} from '$lib/domain/worklist-query';
import type { FieldErrors } from '$lib/validation/form';
import { recordAudit, recordAuditBatch, type AuditContext } from './audit';
import {
	changeCaseStatus,
	compactAgenda,
	getCase,
	nextAgendaPosition,
	notifyRequester,
	recordCaseEvent,
	type CaseActionResult
} from './cases';
import { getDb, transaction, queryOne } from './db';
import { assessCaseReadiness } from './readiness';
import { cases, meetings, patients, users } from './db/schema';
import { describePatient } from './patients';
import { formatPersonName } from './users';

export interface SchedulableMeeting {
	id: string;
	startsAt: Date;
	deadlineAt: Date;
	pastDeadline: boolean;
	label: string;
	caseCount: number;
}

/** The pathway's coming meetings a case may be put on, with their deadlines and agenda size. */
export async function listSchedulableMeetings(
	pathwayId: string,
	now: Date = new Date(),
	limit = 8
): Promise<SchedulableMeeting[]> {
	const db = getDb();
	const rows = await db
		.select()
		.from(meetings)
		.where(
			and(
				eq(meetings.pathwayId, pathwayId),
				eq(meetings.status, 'scheduled'),
				gt(meetings.startsAt, now)
			)
		)
		.orderBy(asc(meetings.startsAt))
		.limit(limit);
	const counts = rows.length
		? await db
				.select({ meetingId: cases.meetingId, n: count() })
				.from(cases)
				.where(
					and(
						inArray(
							cases.meetingId,
							rows.map((m) => m.id)
						),
						inArray(cases.status, ['scheduled', 'deferred'])
					)
				)
				.groupBy(cases.meetingId)
		: [];
	return rows.map((m) => {
		const past = isPastDeadline(m, now);
		const n = counts.find((c) => c.meetingId === m.id)?.n ?? 0;
		return {
			id: m.id,
			startsAt: m.startsAt,
			deadlineAt: m.deadlineAt,
			pastDeadline: past,
			caseCount: n,
			label: `${formatParisDateTime(m.startsAt)} (${n} dossier${n > 1 ? 's' : ''}${past ? ', hors délai' : ''})`
		};
	});
}

export async function countWorklist(pathwayId: string): Promise<Record<CaseStatus, number>> {
	const counts = Object.fromEntries(caseStatuses.map((s) => [s, 0])) as Record<CaseStatus, number>;
	for (const row of await getDb()
		.select({ status: cases.status, n: count() })
		.from(cases)
		.where(eq(cases.pathwayId, pathwayId))
		.groupBy(cases.status)) {
		counts[row.status] = row.n;
	}
	return counts;
}

export interface WorklistLine {
	id: string;
	patientLabel: string;
	requesterId: string;
	requesterName: string;
	status: CaseStatus;
	question: string;
	submittedAt: Date | null;
	createdAt: Date;
	meetingId: string | null;
	meetingStartsAt: Date | null;
	meetingPastDeadline: boolean;
	/** The meeting can still be prepared (presenter, duration): scheduled or open. */
	meetingEditable: boolean;
	agendaPosition: number | null;
	presenterId: string | null;
	estimatedMinutes: number | null;
	wantsNextMeeting: boolean;
	refusalReason: string | null;
	lateOverrideReason: string | null;
	/** What the case itself lacks, for cases still to be presented. */
	readiness: CompletenessResult | null;
	missingCount: number | null;
}

const assessedStatuses: readonly CaseStatus[] = ['draft', 'submitted', 'scheduled', 'deferred'];

/**
 * The coordinator's worklist as a table: the pathway's cases in the asked status (or all still
 * to handle), filtered by meeting, requester and completeness, sorted by one column. Each line
 * shown is audited.
 */
export async function queryWorklist(
	pathwayId: string,
	query: Pick<
		WorklistQuery,
		'status' | 'meetingId' | 'requesterId' | 'completeness' | 'sort' | 'dir'
	>,
	audit: AuditContext,
	now: Date = new Date(),
	limit = 300
): Promise<WorklistLine[]> {
	const db = getDb();
	const statuses = query.status === 'open' ? [...openWorklistStatuses] : [query.status];
	const rows = await db
		.select({ c: cases, p: patients, u: users, m: meetings })
		.from(cases)
		.innerJoin(patients, eq(patients.id, cases.patientId))
		.innerJoin(users, eq(users.id, cases.requesterId))
		.leftJoin(meetings, eq(meetings.id, cases.meetingId))
		.where(
			and(
				eq(cases.pathwayId, pathwayId),
				inArray(cases.status, statuses),
				query.meetingId ? eq(cases.meetingId, query.meetingId) : undefined,
				query.requesterId ? eq(cases.requesterId, query.requesterId) : undefined
			)
		)
		.orderBy(asc(cases.submittedAt), asc(cases.createdAt))
		.limit(limit);
	const assessed = rows.filter((r) => assessedStatuses.includes(r.c.status)).map((r) => r.c);
	const readiness = await assessCaseReadiness(assessed, db, now);
	const lines = rows
		.map(({ c, p, u, m }): WorklistLine => {
			const r = readiness.get(c.id) ?? null;
			return {
				id: c.id,
				patientLabel: describePatient(p),
				requesterId: c.requesterId,
				requesterName: formatPersonName(u),
				status: c.status,
				question: c.question,
				submittedAt: c.submittedAt,
				createdAt: c.createdAt,
				meetingId: c.meetingId,
				meetingStartsAt: m?.startsAt ?? null,
				meetingPastDeadline: m ? isPastDeadline(m, now) : false,
				meetingEditable: m ? m.status === 'scheduled' || m.status === 'open' : false,
				agendaPosition: c.agendaPosition,
				presenterId: c.presenterId,
				estimatedMinutes: c.estimatedMinutes,
				wantsNextMeeting: c.wantsNextMeeting,
				refusalReason: c.refusalReason,
				lateOverrideReason: c.lateOverrideReason,
				readiness: r,
				missingCount: r ? r.issues.length : null
			};
		})
		.filter(
			(l) =>
				query.completeness === 'all' ||
				(l.readiness !== null && l.readiness.ready === (query.completeness === 'ready'))
		);
	const byId = new Map(rows.map((r) => [r.c.id, r.c]));
	await recordAuditBatch(
		audit,
		lines.map((l) => {
			const c = byId.get(l.id)!;
			return {
				action: 'case.list',
				objectType: 'rcp_case',
				objectId: c.id,
				patientId: c.patientId,
				detail: { page: 'worklist', status: query.status }
			};
		})
	);
	return sortWorklistLines(lines, query.sort, query.dir);
}

/**
 * The worklist of one status in its natural order: waiting requests oldest first (first come,
 * first scheduled), scheduled cases in meeting and agenda order, the others most recent first.
 */
export function listWorklist(
	pathwayId: string,
	status: CaseStatus,
	audit: AuditContext,
	now: Date = new Date(),
	limit = 200
): Promise<WorklistLine[]> {
	const waiting = status === 'submitted' || status === 'draft' || status === 'deferred';
	return queryWorklist(
		pathwayId,
		{
			status,
			meetingId: null,
			requesterId: null,
			completeness: 'all',
			sort: waiting ? 'submitted' : status === 'scheduled' ? 'meeting' : 'submitted',
			dir: waiting || status === 'scheduled' ? 'asc' : 'desc'
		},
		audit,
		now,
		limit
	);
}

/** The requesters of the pathway's cases, for the worklist's filter. */
export async function listWorklistRequesters(
	pathwayId: string
): Promise<{ id: string; name: string }[]> {
	return (
		await getDb()
			.selectDistinct({ u: users })
			.from(cases)
			.innerJoin(users, eq(users.id, cases.requesterId))
			.where(eq(cases.pathwayId, pathwayId))
	)
		.map(({ u }) => ({ id: u.id, name: formatPersonName(u) }))
		.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

export type ScheduleResult =
	{ ok: true; late: boolean; meetingStartsAt: Date } | { ok: false; errors: FieldErrors };

interface ScheduleInput {
	caseId: string;
	pathwayId: string;
	meetingId: string;
	late: boolean;
	overrideReason: string | null;
}

/**
 * Puts a submitted (or carried, unscheduled) case on a meeting's agenda — or moves a
 * scheduled case to another meeting — at the end of the agenda, before the deadline or with
 * an override and its reason. The requester is told once it is committed.
 */
export async function scheduleCase(
	input: ScheduleInput,
	mode: 'accept' | 'move',
	audit: AuditContext,
	now: Date = new Date()
): Promise<ScheduleResult> {
	const outcome = await transaction(getDb(), async (tx): Promise<ScheduleResult> => {
		const c = await getCase(input.caseId, tx);
		if (!c || c.pathwayId !== input.pathwayId) {
			return {
				ok: false as const,
				errors: { form: 'Ce dossier n’existe pas dans cette filière.' }
			};
		}
		const allowed = mode === 'accept' ? ['submitted', 'deferred'] : ['scheduled'];
		if (!allowed.includes(c.status)) {
			return {
				ok: false as const,
				errors: {
					form:
						mode === 'accept'
							? 'Ce dossier n’attend plus d’inscription.'
							: 'Seul un dossier inscrit peut être déplacé.'
				}
			};
		}
		const m = await queryOne(tx.select().from(meetings).where(eq(meetings.id, input.meetingId)));
		if (!m || m.pathwayId !== c.pathwayId) {
			return { ok: false as const, errors: { meetingId: 'Choisissez une séance de la filière.' } };
		}
		if (mode === 'move' && m.id === c.meetingId) {
			return {
				ok: false as const,
				errors: { meetingId: 'Le dossier est déjà inscrit à cette séance.' }
			};
		}
		const check = checkSchedulingDeadline(m, now, input.late ? input.overrideReason : null);
		if (!check.ok) {
			const field =
				check.code === 'override_required' && input.late ? 'overrideReason' : 'meetingId';
			return {
				ok: false as const,
				errors: {
					[field]:
						check.code === 'override_required' && input.late
							? 'Indiquez le motif de l’inscription hors délai (au moins 5 caractères).'
							: check.message
				}
			};
		}
		const set = {
			meetingId: m.id,
			agendaPosition: await nextAgendaPosition(m.id, tx),
			lateOverrideReason: check.late ? check.overrideReason : null,
			wantsNextMeeting: false,
			refusalReason: null
		};
		const note = check.late ? `Inscription hors délai : ${check.overrideReason}` : null;
		const previousMeeting = c.meetingId;
		if (mode === 'accept') {
			await changeCaseStatus(
				tx,
				c,
				'scheduled',
				{ actorId: audit.actorId, kind: 'scheduled', meetingId: m.id, note },
				set,
				now
			);
		} else {
			await tx
				.update(cases)
				.set({ ...set, updatedAt: now })
				.where(eq(cases.id, c.id));
			await recordCaseEvent(tx, {
				caseId: c.id,
				actorId: audit.actorId,
				kind: 'moved',
				fromStatus: c.status,
				toStatus: c.status,
				meetingId: m.id,
				note,
				at: now
			});
		}
		if (previousMeeting && previousMeeting !== m.id) await compactAgenda(previousMeeting, tx);
		await recordAudit(
			audit,
			{
				action: mode === 'accept' ? 'case.schedule' : 'case.move',
				objectType: 'rcp_case',
				objectId: c.id,
				patientId: c.patientId,
				detail: { meetingId: m.id, from: previousMeeting, late: check.late }
			},
			tx
		);
		return { ok: true as const, late: check.late, meetingStartsAt: m.startsAt };
	});
	if (outcome.ok) {
		const when = formatParisDateTime(outcome.meetingStartsAt);
		await notifyRequester({
			caseId: input.caseId,
			kind: mode === 'accept' ? 'case_scheduled' : 'case_moved',
			subject:
				mode === 'accept'
					? `Dossier inscrit à la RCP du ${when}`
					: `Dossier déplacé à la RCP du ${when}`,
			lines: (patient) => [
				mode === 'accept'
					? `Votre demande concernant le patient ${patient} est inscrite à l’ordre du jour de la RCP du ${when}.`
					: `Le dossier du patient ${patient} est déplacé à la RCP du ${when}.`
			]
		});
	}
	return outcome;
}

/** Refuses a request with a reason the requester reads in « Mes demandes » and by mail. */
export async function refuseCase(
	caseId: string,
	pathwayId: string,
	reason: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<CaseActionResult> {
	const outcome = await transaction(getDb(), async (tx) => {
		const c = await getCase(caseId, tx);
		if (!c || c.pathwayId !== pathwayId) {
			return { ok: false as const, message: 'Ce dossier n’existe pas dans cette filière.' };
		}
		if (c.status !== 'submitted') {
			return { ok: false as const, message: 'Seule une demande soumise peut être refusée.' };
		}
		await changeCaseStatus(
			tx,
			c,
			'refused',
			{ actorId: audit.actorId, kind: 'refused', note: reason },
			{ refusalReason: reason, agendaPosition: null },
			now
		);
		await recordAudit(
			audit,
			{
				action: 'case.refuse',
				objectType: 'rcp_case',
				objectId: c.id,
				patientId: c.patientId,
				detail: { reason }
			},
			tx
		);
		return { ok: true as const };
	});
	if (outcome.ok) {
		await notifyRequester({
			caseId,
			kind: 'case_refused',
			subject: 'Demande de RCP non retenue',
			lines: (patient) => [
				`Votre demande concernant le patient ${patient} n’a pas été retenue par la coordination.`,
				`Motif : ${reason}`,
				'Vous pouvez la compléter et la soumettre à nouveau.'
			]
		});
	}
	return outcome;
}
