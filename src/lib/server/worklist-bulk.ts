/**
 * The worklist's bulk actions (issue #15): inscribe, defer, remind, refuse the checked cases,
 * and save every line's presenter and estimated time at once. Each case is checked with the
 * rule of the single action (`canScheduleCase`, `canManageMeeting`) and audited by the action
 * it goes through; outcomes are reported per case, and a case refused never stops the others.
 */
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { checkSchedulingDeadline } from '$lib/domain/deadline';
import { formatParisDateTime } from '$lib/domain/schedule';
import { describeBulkOutcome, type BulkAction, type BulkOutcome } from '$lib/domain/worklist-query';
import type { PlanEntry } from '$lib/validation/worklist';
import { canManageMeeting, canScheduleCase, type Actor } from './auth/access';
import { recordAudit, recordDenied, type AuditContext } from './audit';
import { listPresenterChoices } from './agenda';
import { sendManualReminders } from './case-reminders';
import { agendaStatuses, loadCaseRef } from './cases';
import { getDb, queryOne, transaction } from './db';
import { cases, meetings, patients } from './db/schema';
import { toMeetingRef } from './meetings';
import { describePatient } from './patients';
import { refuseCase, scheduleCase } from './worklist';

export interface BulkResult {
	summary: string;
	outcomes: BulkOutcome[];
}

export type BulkFailure = { ok: false; errors: Record<string, string> };

const ROUTE = '/(app)/pathways/[pathwayId]/worklist';

/** Labels of the checked cases, read once (for the per-case report). */
async function labelCases(caseIds: readonly string[]): Promise<Map<string, string>> {
	if (!caseIds.length) return new Map();
	return new Map(
		(
			await getDb()
				.select({ id: cases.id, p: patients })
				.from(cases)
				.innerJoin(patients, eq(patients.id, cases.patientId))
				.where(inArray(cases.id, [...caseIds]))
		).map((r) => [r.id, describePatient(r.p)])
	);
}

/**
 * The single action's access rule on one case; a refusal is audited as one and reported for
 * that case only.
 */
async function checkCase(
	actor: Actor,
	caseId: string,
	pathwayId: string,
	action: BulkAction,
	audit: AuditContext
): Promise<string | null> {
	const found = await loadCaseRef(caseId);
	if (!found || found.caseRow.pathwayId !== pathwayId)
		return 'Ce dossier n’existe pas dans cette filière.';
	if (!canScheduleCase(actor, found.ref)) {
		await recordDenied(audit, {
			route: ROUTE,
			entry: `action:bulk-${action}`,
			objectType: 'rcp_case',
			objectId: caseId,
			status: 403,
			reason: 'canScheduleCase'
		});
		return 'Vous n’avez pas accès à ce dossier.';
	}
	return null;
}

async function runPerCase(
	action: BulkAction,
	actor: Actor,
	pathwayId: string,
	caseIds: readonly string[],
	audit: AuditContext,
	act: (caseId: string) => Promise<string | null>,
	meetingLabel: string | null = null
): Promise<BulkResult> {
	const ids = [...new Set(caseIds)];
	const labels = await labelCases(ids);
	const outcomes: BulkOutcome[] = [];
	for (const caseId of ids) {
		const refusal =
			(await checkCase(actor, caseId, pathwayId, action, audit)) ?? (await act(caseId));
		outcomes.push({
			caseId,
			patientLabel: labels.get(caseId) ?? 'Dossier inconnu',
			ok: refusal === null,
			...(refusal ? { message: refusal } : {})
		});
	}
	return { summary: describeBulkOutcome(action, outcomes, meetingLabel), outcomes };
}

const firstError = (errors: Record<string, string>): string =>
	Object.values(errors)[0] ?? 'Action impossible pour ce dossier.';

/**
 * Inscribes the checked cases on one meeting (a scheduled case moves there). The meeting and its
 * deadline are checked once for all: a wrong meeting refuses the whole action, nothing done.
 */
export async function bulkScheduleCases(
	actor: Actor,
	pathwayId: string,
	input: { caseIds: string[]; meetingId: string; late: boolean; overrideReason: string | null },
	audit: AuditContext,
	now: Date = new Date()
): Promise<BulkResult | BulkFailure> {
	const m = await queryOne(getDb().select().from(meetings).where(eq(meetings.id, input.meetingId)));
	if (!m || m.pathwayId !== pathwayId)
		return { ok: false, errors: { meetingId: 'Choisissez une séance de la filière.' } };
	const check = checkSchedulingDeadline(m, now, input.late ? input.overrideReason : null);
	if (!check.ok) {
		const late = check.code === 'override_required' && input.late;
		return {
			ok: false,
			errors: late
				? {
						overrideReason: 'Indiquez le motif de l’inscription hors délai (au moins 5 caractères).'
					}
				: { meetingId: check.message }
		};
	}
	return runPerCase(
		'schedule',
		actor,
		pathwayId,
		input.caseIds,
		audit,
		async (caseId) => {
			const c = (await queryOne(getDb().select().from(cases).where(eq(cases.id, caseId))))!;
			const mode = c.status === 'scheduled' ? 'move' : 'accept';
			const result = await scheduleCase(
				{
					caseId,
					pathwayId,
					meetingId: m.id,
					late: input.late,
					overrideReason: input.overrideReason
				},
				mode,
				audit,
				now
			);
			return result.ok ? null : firstError(result.errors);
		},
		formatParisDateTime(m.startsAt)
	);
}

/** Moves each checked scheduled case to the pathway's meeting after its own. */
export async function bulkDeferCases(
	actor: Actor,
	pathwayId: string,
	caseIds: string[],
	audit: AuditContext,
	now: Date = new Date()
): Promise<BulkResult> {
	return runPerCase('defer', actor, pathwayId, caseIds, audit, async (caseId) => {
		const db = getDb();
		const c = (await queryOne(db.select().from(cases).where(eq(cases.id, caseId))))!;
		const current = c.meetingId
			? await queryOne(db.select().from(meetings).where(eq(meetings.id, c.meetingId)))
			: undefined;
		if (c.status !== 'scheduled' || !current)
			return 'Seul un dossier inscrit à une séance peut être reporté.';
		const next = await queryOne(
			db
				.select()
				.from(meetings)
				.where(
					and(
						eq(meetings.pathwayId, pathwayId),
						eq(meetings.status, 'scheduled'),
						gt(meetings.startsAt, current.startsAt)
					)
				)
				.orderBy(asc(meetings.startsAt))
				.limit(1)
		);
		if (!next) return 'Aucune séance suivante n’est programmée pour le reporter.';
		const result = await scheduleCase(
			{ caseId, pathwayId, meetingId: next.id, late: false, overrideReason: null },
			'move',
			audit,
			now
		);
		return result.ok ? null : firstError(result.errors);
	});
}

export async function bulkRefuseCases(
	actor: Actor,
	pathwayId: string,
	caseIds: string[],
	reason: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<BulkResult> {
	return runPerCase('refuse', actor, pathwayId, caseIds, audit, async (caseId) => {
		const result = await refuseCase(caseId, pathwayId, reason, audit, now);
		return result.ok ? null : result.message;
	});
}

/** « Relancer le demandeur »: the reminder mail at once for each checked incomplete case. */
export async function bulkRemindRequesters(
	actor: Actor,
	pathwayId: string,
	caseIds: string[],
	audit: AuditContext,
	now: Date = new Date()
): Promise<BulkResult> {
	return runPerCase('remind', actor, pathwayId, caseIds, audit, async (caseId) => {
		const [outcome] = await sendManualReminders([caseId], pathwayId, audit, now);
		if (!outcome) return 'Relance impossible.';
		if (!outcome.ok) return outcome.message;
		return outcome.mail === 'failed' || outcome.mail === 'undelivered'
			? 'La relance est enregistrée mais le message n’a pas pu être remis.'
			: null;
	});
}

/**
 * Every line's presenter and estimated time, saved at once: all checked first (the case is on an
 * agenda this coordinator manages, the presenter one of those the single page offers), then one
 * transaction writes the lines that changed. An error keeps everything unchanged.
 */
export async function saveWorklistPlan(
	actor: Actor,
	pathwayId: string,
	entries: readonly PlanEntry[],
	audit: AuditContext
): Promise<{ ok: true; changed: number } | BulkFailure> {
	const db = getDb();
	const errors: Record<string, string> = {};
	const rows = await db
		.select({ c: cases, m: meetings })
		.from(cases)
		.innerJoin(meetings, eq(meetings.id, cases.meetingId))
		.where(
			inArray(
				cases.id,
				entries.map((e) => e.caseId)
			)
		);
	const changes: { entry: PlanEntry; caseId: string; patientId: string }[] = [];
	// The single page offers the pathway's doctors and the case's own requester.
	const doctors = new Set((await listPresenterChoices(pathwayId, [])).map((o) => o.value));
	const managed = new Map<string, boolean>();
	for (const entry of entries) {
		const row = rows.find((r) => r.c.id === entry.caseId);
		if (
			!row ||
			row.c.pathwayId !== pathwayId ||
			!(agendaStatuses as readonly string[]).includes(row.c.status)
		) {
			errors[`presenter-${entry.caseId}`] = 'Ce dossier n’est à l’ordre du jour d’aucune séance.';
			continue;
		}
		if (!managed.has(row.m.id))
			managed.set(row.m.id, canManageMeeting(actor, await toMeetingRef(row.m, db)));
		if (!managed.get(row.m.id)) {
			await recordDenied(audit, {
				route: ROUTE,
				entry: 'action:plan',
				objectType: 'rcp_case',
				objectId: row.c.id,
				status: 403,
				reason: 'canManageMeeting'
			});
			errors[`presenter-${entry.caseId}`] = 'Vous ne préparez pas l’ordre du jour de cette séance.';
			continue;
		}
		if (row.m.status !== 'scheduled' && row.m.status !== 'open') {
			errors[`presenter-${entry.caseId}`] = 'L’ordre du jour de cette séance est figé.';
			continue;
		}
		if (
			entry.presenterId &&
			!doctors.has(entry.presenterId) &&
			entry.presenterId !== row.c.requesterId
		) {
			errors[`presenter-${entry.caseId}`] =
				'Choisissez le présentateur parmi les médecins proposés.';
			continue;
		}
		if (row.c.presenterId !== entry.presenterId || row.c.estimatedMinutes !== entry.minutes)
			changes.push({ entry, caseId: row.c.id, patientId: row.c.patientId });
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	if (!changes.length) return { ok: true, changed: 0 };
	await transaction(db, async (tx) => {
		const now = new Date();
		for (const { entry, caseId, patientId } of changes) {
			await tx
				.update(cases)
				.set({ presenterId: entry.presenterId, estimatedMinutes: entry.minutes, updatedAt: now })
				.where(eq(cases.id, caseId));
			await recordAudit(
				audit,
				{
					action: 'agenda.update_case',
					objectType: 'rcp_case',
					objectId: caseId,
					patientId,
					detail: { minutes: entry.minutes, presenterId: entry.presenterId, page: 'worklist' }
				},
				tx
			);
		}
	});
	return { ok: true, changed: changes.length };
}
