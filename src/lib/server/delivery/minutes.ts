import { desc, eq, inArray } from 'drizzle-orm';
import { caseStatusLabels } from '$lib/domain/case-status';
import { recordAudit, type AuditContext } from '../audit';
import { listMeetingCases } from '../cases';
import { getDb } from '../db';
import {
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
 * The minutes of a meeting for the coordination: every case discussed there (those carried
 * over since included), its outcome, and the fiche of each decision taken at that meeting.
 * Each case listed is audited with its patient.
 */
export async function buildMeetingMinutes(
	meetingId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<Buffer | null> {
	const db = getDb();
	const meeting = db.select().from(meetings).where(eq(meetings.id, meetingId)).get();
	if (!meeting) return null;
	const pathway = db.select().from(pathways).where(eq(pathways.id, meeting.pathwayId)).get()!;
	const chair = meeting.chairId
		? db.select().from(users).where(eq(users.id, meeting.chairId)).get()
		: undefined;
	const est = chair?.establishmentId
		? db.select().from(establishments).where(eq(establishments.id, chair.establishmentId)).get()
		: undefined;
	const taken = db
		.select()
		.from(decisions)
		.where(eq(decisions.meetingId, meetingId))
		.orderBy(desc(decisions.version))
		.all();
	const onAgenda = listMeetingCases(meetingId);
	const movedIds = [...new Set(taken.map((d) => d.caseId))].filter(
		(id) => !onAgenda.some((c) => c.id === id)
	);
	const moved = movedIds.length
		? db.select().from(cases).where(inArray(cases.id, movedIds)).all()
		: [];
	const all = [...onAgenda, ...moved];
	const people = all.length
		? new Map(
				db
					.select()
					.from(patients)
					.where(inArray(patients.id, [...new Set(all.map((c) => c.patientId))]))
					.all()
					.map((p) => [p.id, p])
			)
		: new Map();
	const items = all.map((c, i) => {
		const d = taken.find((x) => x.caseId === c.id && x.status !== 'draft');
		const p = people.get(c.patientId);
		const outcome = !d
			? `Pas de proposition à cette séance (${caseStatusLabels[c.status].toLowerCase()})`
			: d.status === 'provisional'
				? 'Avis provisoire (quorum non atteint), dossier reporté'
				: d.status === 'superseded'
					? `Proposition validée, amendée depuis (version ${d.version})`
					: `Proposition validée (version ${d.version})`;
		return {
			position: c.agendaPosition ?? i + 1,
			patient: p
				? `${p.birthName} ${p.firstNames.join(' ')} (${p.birthDate.split('-').reverse().join('/')})`
				: '—',
			question: c.question,
			outcome,
			data: d ? loadDecisionDocumentData(d.id) : null
		};
	});
	if (all.length) {
		db.transaction(
			(tx) => {
				for (const c of all) {
					recordAudit(
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
			},
			{ behavior: 'immediate' }
		);
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
