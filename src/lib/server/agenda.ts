import { and, eq, inArray, isNull } from 'drizzle-orm';
import { checkNewOrder, moveInOrder, planAgenda } from '$lib/domain/agenda-plan';
import {
	summarizeCompleteness,
	type CompletenessResult,
	type CompletenessSummary,
	type MeetingReadinessResult
} from '$lib/domain/completeness';
import { getPathwayDefinition } from '$lib/domain/pathways';
import { getSpecialtyLabel, sortSpecialtyCodes } from '$lib/domain/specialties';
import { canViewCase, type Actor } from './auth/access';
import { recordAudit, recordAuditBatch, type AuditContext } from './audit';
import { assessCaseReadiness, assessMeetingReadiness, listConfirmedAttendees } from './readiness';
import { listMeetingCases, type CaseRow } from './cases';
import { getDb, queryOne, transaction } from './db';
import { cases, documents, invitations, memberships, pathways, patients, users } from './db/schema';
import { toMeetingRef, type MeetingRow } from './meetings';
import { describePatient } from './patients';
import { formatPersonName } from './users';

export interface NeededSpecialtyView {
	code: string;
	label: string;
	/** Doctors of that specialty who accepted the invitation (or the chair). */
	confirmed: string[];
}

export interface GuestSlotView {
	name: string;
	reply: 'pending' | 'accepted' | 'declined';
	expectedAt: Date;
}

export interface AgendaItemView {
	id: string;
	position: number;
	/** False when the viewer may not see this case: it shows as a line without identity. */
	visible: boolean;
	patientLabel: string | null;
	question: string | null;
	status: CaseRow['status'];
	requesterName: string | null;
	minutes: number;
	estimated: boolean;
	expectedAt: Date;
	presenterId: string | null;
	presenterName: string | null;
	needed: NeededSpecialtyView[];
	guests: GuestSlotView[];
	documentCount: number;
	readiness: CompletenessResult | null;
}

export interface AgendaView {
	items: AgendaItemView[];
	totalMinutes: number;
	meetingMinutes: number;
	overrunMinutes: number;
	defaultCaseMinutes: number;
	summary: CompletenessSummary;
	/** The meeting's own problems (quorum among replies, missing replies), said once. */
	meetingReadiness: MeetingReadinessResult;
	/** Specialties confirmed for the meeting (accepted invitations and the chair). */
	confirmedSpecialties: { code: string; label: string; names: string[] }[];
}

/**
 * The agenda of a meeting for its preparation page: running order with expected times, the
 * total against the meeting's length, each case's presenter, needed specialties against the
 * doctors who accepted, guests' slots and readiness. Cases the viewer may not see keep their
 * place without their identity; each case shown is audited.
 */
export async function loadAgenda(
	meeting: MeetingRow,
	actor: Actor,
	audit: AuditContext,
	now: Date = new Date()
): Promise<AgendaView> {
	const db = getDb();
	const pathway = (await queryOne(
		db.select().from(pathways).where(eq(pathways.id, meeting.pathwayId))
	))!;
	const rows = await listMeetingCases(meeting.id, db);
	const ids = rows.map((c) => c.id);
	const plan = planAgenda(
		rows.map((c) => ({ id: c.id, minutes: c.estimatedMinutes })),
		pathway.defaultCaseMinutes,
		meeting.startsAt,
		meeting.endsAt
	);
	const patientRows = rows.length
		? await db
				.select()
				.from(patients)
				.where(inArray(patients.id, [...new Set(rows.map((c) => c.patientId))]))
		: [];
	const people = new Map(
		(
			await db
				.select()
				.from(users)
				.where(
					inArray(users.id, [
						...new Set([
							...rows.map((c) => c.requesterId),
							...rows.map((c) => c.presenterId).filter((x): x is string => x !== null),
							''
						])
					])
				)
		).map((u) => [u.id, u])
	);
	const docCounts = new Map<string, number>();
	for (const d of ids.length
		? await db
				.select({ caseId: documents.caseId })
				.from(documents)
				.where(inArray(documents.caseId, ids))
		: []) {
		docCounts.set(d.caseId, (docCounts.get(d.caseId) ?? 0) + 1);
	}
	const guestRows = ids.length
		? await db
				.select({ inv: invitations, user: users })
				.from(invitations)
				.leftJoin(users, eq(users.id, invitations.userId))
				.where(and(inArray(invitations.caseId, ids), isNull(invitations.revokedAt)))
		: [];
	const confirmed = await listConfirmedAttendees(meeting, db);
	const confirmedUsers = new Map(
		(
			await db
				.select()
				.from(users)
				.where(inArray(users.id, [...confirmed.map((a) => a.personId), '']))
		).map((u) => [u.id, u])
	);
	const namesBySpecialty = new Map<string, string[]>();
	for (const a of confirmed) {
		if (!a.specialty || a.isGp) continue;
		const u = confirmedUsers.get(a.personId);
		const list = namesBySpecialty.get(a.specialty) ?? [];
		list.push(u ? formatPersonName(u) : '—');
		namesBySpecialty.set(a.specialty, list);
	}
	const readiness = await assessCaseReadiness(rows, db, now);
	const meetingRef = await toMeetingRef(meeting, db);

	const visibleRows: CaseRow[] = [];
	const items = rows.map((c, i): AgendaItemView => {
		const planned = plan.items[i]!;
		const visible = canViewCase(actor, {
			id: c.id,
			pathwayId: c.pathwayId,
			requesterId: c.requesterId,
			presenterId: c.presenterId,
			status: c.status,
			meeting: meetingRef,
			caseInviteeIds: guestRows
				.filter((g) => g.inv.caseId === c.id && g.inv.userId !== null)
				.map((g) => g.inv.userId!)
		});
		if (visible) visibleRows.push(c);
		const patient = patientRows.find((p) => p.id === c.patientId);
		const requester = people.get(c.requesterId);
		const presenter = c.presenterId ? people.get(c.presenterId) : undefined;
		return {
			id: c.id,
			position: planned.position,
			visible,
			patientLabel: visible && patient ? describePatient(patient) : null,
			question: visible ? c.question : null,
			status: c.status,
			requesterName: visible && requester ? formatPersonName(requester) : null,
			minutes: planned.minutes,
			estimated: planned.estimated,
			expectedAt: planned.expectedAt,
			presenterId: c.presenterId,
			presenterName: presenter ? formatPersonName(presenter) : null,
			needed: sortSpecialtyCodes(c.neededSpecialties).map((code) => ({
				code,
				label: getSpecialtyLabel(code),
				confirmed: namesBySpecialty.get(code) ?? []
			})),
			guests: visible
				? guestRows
						.filter((g) => g.inv.caseId === c.id)
						.map((g) => ({
							name: g.user ? formatPersonName(g.user) : (g.inv.guestName ?? 'Invité(e)'),
							reply: g.inv.reply,
							expectedAt: planned.expectedAt
						}))
				: [],
			documentCount: docCounts.get(c.id) ?? 0,
			readiness: visible ? (readiness.get(c.id) ?? null) : null
		};
	});

	await recordAuditBatch(
		audit,
		visibleRows.map((c) => ({
			action: 'case.list',
			objectType: 'rcp_case',
			objectId: c.id,
			patientId: c.patientId,
			detail: { page: 'agenda', meetingId: meeting.id }
		}))
	);

	return {
		items,
		totalMinutes: plan.totalMinutes,
		meetingMinutes: plan.meetingMinutes,
		overrunMinutes: plan.overrunMinutes,
		defaultCaseMinutes: pathway.defaultCaseMinutes,
		summary: summarizeCompleteness(
			items.map((i) => i.readiness).filter((r): r is CompletenessResult => r !== null)
		),
		meetingReadiness: await assessMeetingReadiness(meeting, rows, db),
		confirmedSpecialties: sortSpecialtyCodes(namesBySpecialty.keys()).map((code) => ({
			code,
			label: getSpecialtyLabel(code),
			names: namesBySpecialty.get(code) ?? []
		}))
	};
}

/** The specialties a case of this pathway may need: its quorum's, its recommended ones, its doctors'. */
export async function listPathwaySpecialties(
	pathwayId: string
): Promise<{ code: string; label: string }[]> {
	const db = getDb();
	const pathway = (await queryOne(db.select().from(pathways).where(eq(pathways.id, pathwayId))))!;
	const codes = new Set([
		...pathway.quorumRule.requiredSpecialties,
		...(pathway.quorumRule.countedSpecialties ?? []),
		...(pathway.quorumRule.recommendedSpecialties ?? []),
		...(getPathwayDefinition(pathway.code)?.recommendedSpecialties ?? []),
		...(
			await db
				.select({ specialty: users.specialty })
				.from(memberships)
				.innerJoin(users, eq(users.id, memberships.userId))
				.where(eq(memberships.pathwayId, pathwayId))
		)
			.map((m) => m.specialty)
			.filter((s): s is string => s !== null)
	]);
	codes.delete('general_practice');
	return sortSpecialtyCodes(codes).map((code) => ({ code, label: getSpecialtyLabel(code) }));
}

/** Who may present a case: the pathway's doctors, and the case's own requester. */
export async function listPresenterChoices(
	pathwayId: string,
	extraUserIds: readonly string[]
): Promise<{ value: string; label: string }[]> {
	const db = getDb();
	const members = (
		await db
			.select({ u: users })
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.where(eq(memberships.pathwayId, pathwayId))
	)
		.map(({ u }) => u)
		.filter((u) => u.specialty !== null && u.disabledAt === null);
	const extra = extraUserIds.length
		? await db
				.select()
				.from(users)
				.where(inArray(users.id, [...extraUserIds]))
		: [];
	const options = new Map<string, string>();
	for (const u of [...members, ...extra]) options.set(u.id, formatPersonName(u));
	return [...options.entries()]
		.map(([value, label]) => ({ value, label }))
		.sort((a, b) => a.label.localeCompare(b.label, 'fr'));
}

export type AgendaChange =
	{ ok: true; position: number; total: number } | { ok: false; message: string };

function editable(meeting: MeetingRow): boolean {
	return meeting.status === 'scheduled' || meeting.status === 'open';
}

async function writeOrder(
	order: readonly string[],
	meetingId: string,
	audit: AuditContext,
	detail: object
): Promise<void> {
	const db = getDb();
	await transaction(db, async (tx) => {
		for (const [i, id] of order.entries()) {
			await tx
				.update(cases)
				.set({ agendaPosition: i + 1 })
				.where(and(eq(cases.id, id), eq(cases.meetingId, meetingId)));
		}
		await recordAudit(
			audit,
			{
				action: 'agenda.reorder',
				objectType: 'meeting',
				objectId: meetingId,
				detail: { ...detail }
			},
			tx
		);
	});
}

/** One step up or down (the keyboard and no-JavaScript way of ordering). */
export async function moveAgendaCase(
	meeting: MeetingRow,
	caseId: string,
	direction: 'up' | 'down',
	audit: AuditContext
): Promise<AgendaChange> {
	if (!editable(meeting))
		return { ok: false, message: 'L’ordre du jour de cette séance est figé.' };
	const order = (await listMeetingCases(meeting.id)).map((c) => c.id);
	if (!order.includes(caseId))
		return { ok: false, message: 'Ce dossier n’est pas à l’ordre du jour.' };
	const next = moveInOrder(order, caseId, direction);
	if (!next) {
		return {
			ok: false,
			message:
				direction === 'up' ? 'Ce dossier est déjà le premier.' : 'Ce dossier est déjà le dernier.'
		};
	}
	await writeOrder(next, meeting.id, audit, { caseId, direction });
	return { ok: true, position: next.indexOf(caseId) + 1, total: next.length };
}

/** A whole new order (drag and drop), refused when it was made on an outdated agenda. */
export async function reorderAgenda(
	meeting: MeetingRow,
	order: readonly string[],
	audit: AuditContext
): Promise<AgendaChange> {
	if (!editable(meeting))
		return { ok: false, message: 'L’ordre du jour de cette séance est figé.' };
	const current = (await listMeetingCases(meeting.id)).map((c) => c.id);
	if (!checkNewOrder(current, order)) {
		return {
			ok: false,
			message: 'L’ordre du jour a changé entre-temps : la page a été rechargée, recommencez.'
		};
	}
	await writeOrder(order, meeting.id, audit, { order });
	return { ok: true, position: 1, total: order.length };
}

export interface AgendaItemInput {
	caseId: string;
	minutes: number | null;
	presenterId: string | null;
	neededSpecialties: string[];
}

/** Estimated minutes, presenter and needed specialties of one case on the agenda. */
export async function updateAgendaItem(
	meeting: MeetingRow,
	input: AgendaItemInput,
	presenterChoices: readonly string[],
	audit: AuditContext
): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
	if (!editable(meeting))
		return { ok: false, errors: { form: 'L’ordre du jour de cette séance est figé.' } };
	if (input.presenterId && !presenterChoices.includes(input.presenterId)) {
		return {
			ok: false,
			errors: { presenterId: 'Choisissez le présentateur parmi les médecins proposés.' }
		};
	}
	return transaction(
		getDb(),
		async (tx): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> => {
			const c = await queryOne(tx.select().from(cases).where(eq(cases.id, input.caseId)));
			if (!c || c.meetingId !== meeting.id) {
				return { ok: false as const, errors: { form: 'Ce dossier n’est pas à l’ordre du jour.' } };
			}
			await tx
				.update(cases)
				.set({
					estimatedMinutes: input.minutes,
					presenterId: input.presenterId,
					neededSpecialties: [...new Set(input.neededSpecialties)],
					updatedAt: new Date()
				})
				.where(eq(cases.id, c.id));
			await recordAudit(
				audit,
				{
					action: 'agenda.update_case',
					objectType: 'rcp_case',
					objectId: c.id,
					patientId: c.patientId,
					detail: {
						minutes: input.minutes,
						presenterId: input.presenterId,
						needed: input.neededSpecialties
					}
				},
				tx
			);
			return { ok: true as const };
		}
	);
}
