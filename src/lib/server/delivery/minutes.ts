import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import { orderMinutesCases } from '$lib/domain/minutes';
import { recordAudit, type AuditContext } from '../audit';
import { listMeetingCases } from '../cases';
import { getDb, queryOne, transaction } from '../db';
import {
	caseEvents,
	cases,
	decisions,
	establishments,
	meetings,
	pathways,
	patients,
	users
} from '../db/schema';
import { formatPersonName } from '../users';
import { loadDecisionDocumentData } from './document-data';
import { renderMinutesPdf } from './report-pdf';

/**
 * The minutes of a meeting for the coordination: every case of that meeting (those presented
 * or deferred there and carried over since included), numbered in the meeting's order
 * (domain/minutes.ts), its outcome, and the fiche of each decision taken at that meeting.
 * Each case listed is audited with its patient.
 */
export async function buildMeetingMinutes(
	meetingId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<Buffer | null> {
	const db = getDb();
	const meeting = await queryOne(db.select().from(meetings).where(eq(meetings.id, meetingId)));
	if (!meeting) return null;
	const pathway = (await queryOne(
		db.select().from(pathways).where(eq(pathways.id, meeting.pathwayId))
	))!;
	const chair = meeting.chairId
		? await queryOne(db.select().from(users).where(eq(users.id, meeting.chairId)))
		: undefined;
	const est = chair?.establishmentId
		? await queryOne(
				db.select().from(establishments).where(eq(establishments.id, chair.establishmentId))
			)
		: undefined;
	const taken = await db
		.select()
		.from(decisions)
		.where(eq(decisions.meetingId, meetingId))
		.orderBy(desc(decisions.version));
	const onAgenda = await listMeetingCases(meetingId);
	// Cases presented or deferred at this meeting and carried over since are in its minutes too.
	const events = await db
		.select({ caseId: caseEvents.caseId, kind: caseEvents.kind, at: caseEvents.at })
		.from(caseEvents)
		.where(
			and(eq(caseEvents.meetingId, meetingId), inArray(caseEvents.kind, ['presented', 'deferred']))
		)
		.orderBy(asc(caseEvents.at));
	const onAgendaIds = new Set(onAgenda.map((c) => c.id));
	const movedIds = [
		...new Set([...taken.map((d) => d.caseId), ...events.map((e) => e.caseId)])
	].filter((id) => !onAgendaIds.has(id));
	const moved = movedIds.length
		? await db.select().from(cases).where(inArray(cases.id, movedIds))
		: [];
	const byId = new Map([...onAgenda, ...moved].map((c) => [c.id, c]));
	const firstEvent = (caseId: string, kind: string): Date | null =>
		events.find((e) => e.caseId === caseId && e.kind === kind)?.at ?? null;
	const entries = orderMinutesCases(
		[...byId.values()].map((c) => {
			const d = taken.find((x) => x.caseId === c.id && x.status !== 'draft');
			return {
				caseId: c.id,
				agendaPosition: onAgendaIds.has(c.id) ? c.agendaPosition : null,
				presentedAt: firstEvent(c.id, 'presented'),
				deferredAt: firstEvent(c.id, 'deferred'),
				decision:
					d && d.status !== 'draft'
						? { status: d.status as 'validated' | 'provisional' | 'superseded', version: d.version }
						: null,
				status: c.status
			};
		})
	);
	const all = entries.map((e) => byId.get(e.caseId)!);
	const people = all.length
		? new Map(
				(
					await db
						.select()
						.from(patients)
						.where(inArray(patients.id, [...new Set(all.map((c) => c.patientId))]))
				).map((p) => [p.id, p])
			)
		: new Map();
	const items = await Promise.all(
		entries.map(async (e) => {
			const c = byId.get(e.caseId)!;
			const d = taken.find((x) => x.caseId === c.id && x.status !== 'draft');
			const p = people.get(c.patientId);
			return {
				position: e.number,
				patient: p
					? `${p.birthName} ${p.firstNames.join(' ')} (${p.birthDate.split('-').reverse().join('/')})`
					: '—',
				question: c.question,
				outcome: e.label,
				data: d ? await loadDecisionDocumentData(d.id) : null
			};
		})
	);
	if (all.length) {
		await transaction(db, async (tx) => {
			for (const c of all) {
				await recordAudit(
					audit,
					{
						action: 'minutes.read',
						objectType: 'rcp_case',
						objectId: c.id,
						patientId: c.patientId,
						detail: { meetingId }
					},
					tx
				);
			}
		});
	}
	return renderMinutesPdf({
		pathwayName: pathway.name,
		establishment: est ? { name: est.name, city: est.city, finess: est.finess } : null,
		meeting: {
			startsAt: meeting.startsAt,
			place: meeting.place,
			chairName: chair ? formatPersonName(chair) : null,
			status: meeting.status
		},
		cases: items,
		generatedAt: now
	});
}
