/**
 * Requester reminders (issue #15): before a meeting's submission deadline, the requester of a
 * scheduled case that still lacks something gets one mail (and its in-app copy) saying what is
 * missing. The coordinator's « Relancer le demandeur » sends the same mail at once.
 *
 * Each reminder is claimed before its mail goes: a row in case_reminder whose claim key is
 * unique, inserted in an immediate transaction. A second upkeep run (or a second instance) finds
 * the key taken and sends nothing. The access check of a manual reminder is the caller's
 * (`canScheduleCase`, see worklist-bulk.ts): this module is called by the calendar upkeep too,
 * so it must not import cases.ts / meetings.ts (no import circle).
 */
import { and, desc, eq, gt, inArray, lte } from 'drizzle-orm';
import {
	automaticReminderKey,
	checkManualReminder,
	composeReminderMail,
	describePatientInitials,
	isAutomaticReminderDue,
	manualReminderKey,
	manualReminderRefusals,
	reminderWindow
} from '$lib/domain/case-reminders';
import { formatParisDateTime } from '$lib/domain/schedule';
import { recordAudit, systemAudit, type AuditContext } from './audit';
import { getMailFrom, getPublicOrigin } from './config';
import { getDb, transaction, queryOne, affectedRows } from './db';
import { caseReminders, cases, meetings, pathways, patients, users } from './db/schema';
import { sendMail } from './mail';
import { assessCaseReadiness } from './readiness';

type CaseRow = typeof cases.$inferSelect;
type MeetingRow = typeof meetings.$inferSelect;

export interface ReminderTally {
	sent: number;
	/** Claimed but the mail was not delivered (kept as failed or undelivered in the mailbox). */
	failed: number;
}

export type ManualReminderOutcome = { caseId: string } & (
	{ ok: true; mail: 'sent' | 'stored' | 'failed' | 'undelivered' } | { ok: false; message: string }
);

interface Claim {
	reminderId: string;
	caseRow: CaseRow;
	meeting: MeetingRow;
	missing: string[];
}

/**
 * Claims a reminder row; false when the key is already taken (already sent). The claim and its
 * audit row commit together, before any mail.
 */
async function claimReminder(
	c: CaseRow,
	meeting: MeetingRow,
	kind: 'auto' | 'manual',
	missing: string[],
	audit: AuditContext,
	now: Date,
	guard?: () => Promise<boolean>
): Promise<string | null> {
	return transaction(getDb(), async (tx): Promise<string | null> => {
		if (guard && !(await guard())) return null;
		const id = crypto.randomUUID();
		const inserted = await tx
			.insert(caseReminders)
			.values({
				id,
				caseId: c.id,
				meetingId: meeting.id,
				kind,
				claimKey:
					kind === 'auto'
						? automaticReminderKey(c.id, meeting.id, meeting.deadlineAt)
						: manualReminderKey(c.id, now),
				deadlineAt: meeting.deadlineAt,
				actorId: audit.actorId,
				missing,
				createdAt: now
			})
			.onConflictDoNothing({ target: caseReminders.claimKey });
		if (affectedRows(inserted) === 0) return null;
		await recordAudit(
			audit,
			{
				action: 'case.remind',
				objectType: 'rcp_case',
				objectId: c.id,
				patientId: c.patientId,
				detail: { meetingId: meeting.id, kind, missing: missing.length }
			},
			tx
		);
		return id;
	});
}

/** Sends the mail of a claimed reminder to the requester (SMTP and in-app copy). */
async function mailReminder(claim: Claim): Promise<'sent' | 'stored' | 'failed' | 'undelivered'> {
	const db = getDb();
	const row = await queryOne(
		db
			.select({ p: patients, u: users, w: pathways })
			.from(cases)
			.innerJoin(patients, eq(patients.id, cases.patientId))
			.innerJoin(users, eq(users.id, cases.requesterId))
			.innerJoin(pathways, eq(pathways.id, cases.pathwayId))
			.where(eq(cases.id, claim.caseRow.id))
	);
	if (!row) return 'failed';
	const { subject, text } = composeReminderMail({
		greeting: row.u.title
			? `${row.u.title} ${row.u.lastName}`
			: `${row.u.firstName} ${row.u.lastName}`,
		patient: describePatientInitials(row.p),
		meetingLabel: formatParisDateTime(claim.meeting.startsAt),
		pathwayName: row.w.name,
		deadlineLabel: formatParisDateTime(claim.meeting.deadlineAt),
		missing: claim.missing,
		caseUrl: `${getPublicOrigin()}/cases/${claim.caseRow.id}`
	});
	const domain = /@([^>\s]+)/.exec(getMailFrom())?.[1] ?? 'pluri.localhost';
	const outcome = await sendMail({
		to: row.u.mssanteAddress ?? row.u.email,
		subject,
		text,
		kind: 'case_reminder',
		messageId: `<reminder-${claim.reminderId}@${domain}>`
	});
	return outcome.status;
}

async function missingOf(rows: readonly CaseRow[]): Promise<Map<string, string[]>> {
	const readiness = await assessCaseReadiness(rows);
	return new Map(rows.map((c) => [c.id, readiness.get(c.id)?.issues.map((i) => i.message) ?? []]));
}

/**
 * The calendar upkeep's part: every scheduled case still incomplete whose meeting's deadline is
 * near gets its requester reminded, once per case and deadline. Safe to run twice.
 */
export async function sendDueCaseReminders(now: Date = new Date()): Promise<ReminderTally> {
	const db = getDb();
	const window = reminderWindow(now);
	const rows = await db
		.select({ c: cases, m: meetings })
		.from(cases)
		.innerJoin(meetings, eq(meetings.id, cases.meetingId))
		.where(
			and(
				eq(cases.status, 'scheduled'),
				eq(meetings.status, 'scheduled'),
				gt(meetings.deadlineAt, window.from),
				lte(meetings.deadlineAt, window.to)
			)
		);
	if (!rows.length) return { sent: 0, failed: 0 };
	const missing = await missingOf(rows.map((r) => r.c));
	const taken = new Set(
		(
			await db
				.select({ key: caseReminders.claimKey })
				.from(caseReminders)
				.where(
					and(
						eq(caseReminders.kind, 'auto'),
						inArray(
							caseReminders.caseId,
							rows.map((r) => r.c.id)
						)
					)
				)
		).map((r) => r.key)
	);
	const tally: ReminderTally = { sent: 0, failed: 0 };
	let due = 0;
	for (const { c, m } of rows) {
		const points = missing.get(c.id) ?? [];
		const facts = { status: c.status, meeting: m, missingCount: points.length };
		if (!isAutomaticReminderDue(facts, now)) continue;
		due++;
		if (taken.has(automaticReminderKey(c.id, m.id, m.deadlineAt))) continue;
		const reminderId = await claimReminder(c, m, 'auto', points, systemAudit, now);
		if (!reminderId) continue;
		const status = await mailReminder({ reminderId, caseRow: c, meeting: m, missing: points });
		if (status === 'sent' || status === 'stored') tally.sent++;
		else tally.failed++;
	}
	if (due) {
		console.info(
			`[relances] ${tally.sent} demandeur(s) relancé(s) sur ${due} dossier(s) à compléter${tally.failed ? `, ${tally.failed} échec(s)` : ''}`
		);
	}
	return tally;
}

/**
 * The coordinator's « Relancer le demandeur » for cases of one pathway, whose access the caller
 * checked: each case gets the same mail at once, unless it is complete, on no coming meeting,
 * or was relaunched by hand less than a minute ago. Outcomes are per case.
 */
export async function sendManualReminders(
	caseIds: readonly string[],
	pathwayId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<ManualReminderOutcome[]> {
	const db = getDb();
	const rows = caseIds.length
		? await db
				.select({ c: cases, m: meetings })
				.from(cases)
				.leftJoin(meetings, eq(meetings.id, cases.meetingId))
				.where(and(inArray(cases.id, [...caseIds]), eq(cases.pathwayId, pathwayId)))
		: [];
	const missing = await missingOf(rows.map((r) => r.c));
	const outcomes: ManualReminderOutcome[] = [];
	for (const caseId of caseIds) {
		const row = rows.find((r) => r.c.id === caseId);
		if (!row) {
			outcomes.push({ caseId, ok: false, message: 'Ce dossier n’existe pas dans cette filière.' });
			continue;
		}
		const points = missing.get(caseId) ?? [];
		const lastManual = async (): Promise<Date | null> =>
			(
				await queryOne(
					db
						.select({ at: caseReminders.createdAt })
						.from(caseReminders)
						.where(and(eq(caseReminders.caseId, caseId), eq(caseReminders.kind, 'manual')))
						.orderBy(desc(caseReminders.createdAt))
						.limit(1)
				)
			)?.at ?? null;
		const facts = { status: row.c.status, meeting: row.m, missingCount: points.length };
		const refusal = checkManualReminder({ ...facts, lastManualAt: await lastManual() }, now);
		if (refusal || !row.m) {
			outcomes.push({
				caseId,
				ok: false,
				message: manualReminderRefusals[refusal ?? 'no_meeting']
			});
			continue;
		}
		// Checked again inside the claim's immediate transaction: two clicks race to one mail.
		const reminderId = await claimReminder(row.c, row.m, 'manual', points, audit, now, async () => {
			return checkManualReminder({ ...facts, lastManualAt: await lastManual() }, now) === null;
		});
		if (!reminderId) {
			outcomes.push({ caseId, ok: false, message: manualReminderRefusals.too_soon });
			continue;
		}
		const mail = await mailReminder({
			reminderId,
			caseRow: row.c,
			meeting: row.m,
			missing: points
		});
		outcomes.push({ caseId, ok: true, mail });
	}
	return outcomes;
}
