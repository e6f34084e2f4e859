import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '$lib/server/audit';
import { listMeetingCases } from '$lib/server/cases';
import { closeMeeting } from '$lib/server/carry-over';
import {
	caseEvents,
	cases,
	mailMessages,
	meetings,
	pathways,
	patients,
	users
} from '$lib/server/db/schema';
import { migratedDb } from '../support/db';

const db = migratedDb();

const H = 3_600_000;
const audit = { actorType: 'user' as const, actorId: null, ip: '127.0.0.1' };
const now = new Date('2030-03-05T18:30:00Z');

const pathwayId = crypto.randomUUID();
db.insert(pathways)
	.values({
		id: pathwayId,
		code: 'onco-test',
		name: 'RCP test',
		kind: 'oncology',
		quorumRule: { requiredSpecialties: [], minDistinctSpecialties: 1, countedSpecialties: null }
	})
	.run();
const requesterId = crypto.randomUUID();
db.insert(users)
	.values({
		id: requesterId,
		email: 'req@example.fr',
		firstName: 'Rémi',
		lastName: 'Requérant',
		title: 'Dr',
		sector: 'establishment',
		mssanteAddress: 'req@mssante.example.fr'
	})
	.run();
const patientId = crypto.randomUUID();
db.insert(patients)
	.values({
		id: patientId,
		birthName: 'ESSAI',
		firstNames: ['Paul'],
		sex: 'M',
		birthDate: '1950-01-01'
	})
	.run();

function addMeeting(
	startsAt: Date,
	status: 'scheduled' | 'open' | 'closed' | 'cancelled' = 'scheduled',
	pid = pathwayId
): string {
	const id = crypto.randomUUID();
	db.insert(meetings)
		.values({
			id,
			pathwayId: pid,
			startsAt,
			endsAt: new Date(startsAt.getTime() + 1.5 * H),
			deadlineAt: new Date(startsAt.getTime() - 48 * H),
			status,
			place: 'Salle 1'
		})
		.run();
	return id;
}

function addCase(
	meetingId: string | null,
	status: typeof cases.$inferInsert.status,
	position: number | null
): string {
	const id = crypto.randomUUID();
	db.insert(cases)
		.values({
			id,
			patientId,
			pathwayId,
			meetingId,
			requesterId,
			question: 'Q',
			summary: 'S',
			status,
			agendaPosition: position
		})
		.run();
	return id;
}

const statusOf = (id: string) => db.select().from(cases).where(eq(cases.id, id)).get()!;
const eventsOf = (id: string) =>
	db
		.select()
		.from(caseEvents)
		.where(eq(caseEvents.caseId, id))
		.all()
		.map((e) => `${e.kind}:${e.fromStatus}>${e.toStatus}`);

describe('closing a meeting carries its undecided cases over', () => {
	const held = addMeeting(new Date('2030-03-05T16:30:00Z'), 'open');
	const next = addMeeting(new Date('2030-03-12T16:30:00Z'));
	addMeeting(new Date('2030-03-19T16:30:00Z'));
	// A meeting of another pathway in between must not receive anything.
	const otherPathway = crypto.randomUUID();
	db.insert(pathways)
		.values({
			id: otherPathway,
			code: 'onco-other',
			name: 'Autre',
			kind: 'oncology',
			quorumRule: { requiredSpecialties: [], minDistinctSpecialties: 1, countedSpecialties: null }
		})
		.run();
	addMeeting(new Date('2030-03-08T16:30:00Z'), 'scheduled', otherPathway);
	const alreadyOnNext = addCase(next, 'scheduled', 1);

	const decided = addCase(held, 'decided', 1);
	const notReached = addCase(held, 'scheduled', 2);
	const presented = addCase(held, 'presented', 3);
	const deferred = addCase(held, 'deferred', 4);
	const withdrawn = addCase(held, 'withdrawn', null);
	const waiting = addCase(held, 'submitted', null);

	it('refuses to close a meeting that has not started', () => {
		const future = addMeeting(new Date('2030-04-01T16:30:00Z'));
		expect(closeMeeting(future, audit, now)).toEqual({
			ok: false,
			message: 'Cette séance n’a pas encore commencé : elle ne peut pas être clôturée.'
		});
		expect(db.select().from(meetings).where(eq(meetings.id, future)).get()!.status).toBe(
			'scheduled'
		);
	});

	it('leaves nothing half-done when a step fails', () => {
		db.$client.exec(`create trigger fail_carry before update on rcp_case
			when new.id = '${presented}' and new.status = 'scheduled'
			begin select raise(abort, 'disk full'); end`);
		expect(() => closeMeeting(held, audit, now)).toThrow('disk full');
		db.$client.exec('drop trigger fail_carry');
		expect(db.select().from(meetings).where(eq(meetings.id, held)).get()!.status).toBe('open');
		expect(statusOf(notReached)).toMatchObject({ status: 'scheduled', meetingId: held });
		expect(eventsOf(notReached)).toEqual([]);
		expect(db.select().from(mailMessages).all()).toEqual([]);
	});

	it('closes, moves every case not decided to the next meeting with its history, tells the requester', () => {
		const result = closeMeeting(held, audit, now);
		expect(result).toEqual({ ok: true, carriedOver: 3, nextMeetingId: next });

		const meeting = db.select().from(meetings).where(eq(meetings.id, held)).get()!;
		expect(meeting.status).toBe('closed');
		expect(meeting.closedAt).toEqual(now);

		expect(statusOf(decided)).toMatchObject({ status: 'decided', meetingId: held });
		expect(statusOf(withdrawn)).toMatchObject({ status: 'withdrawn', meetingId: held });
		for (const id of [notReached, presented, deferred]) {
			expect(statusOf(id)).toMatchObject({ status: 'scheduled', meetingId: next });
		}
		// Appended after what the next agenda already had, in their previous order.
		expect(listMeetingCases(next).map((c) => c.id)).toEqual([
			alreadyOnNext,
			notReached,
			presented,
			deferred
		]);
		expect(listMeetingCases(next).map((c) => c.agendaPosition)).toEqual([1, 2, 3, 4]);
		expect(eventsOf(notReached)).toEqual([
			'deferred:scheduled>deferred',
			'carried_over:deferred>scheduled'
		]);
		expect(eventsOf(presented)).toEqual([
			'deferred:presented>deferred',
			'carried_over:deferred>scheduled'
		]);
		expect(eventsOf(deferred)).toEqual(['carried_over:deferred>scheduled']);
		const note = db
			.select()
			.from(caseEvents)
			.where(and(eq(caseEvents.caseId, presented), eq(caseEvents.kind, 'deferred')))
			.get()!.note;
		expect(note).toBe('Présenté sans décision à la séance du mardi 5 mars 2030, 17 h 30.');

		// The request that named this meeting now waits for the next one.
		expect(statusOf(waiting)).toMatchObject({ status: 'submitted', meetingId: next });
		expect(eventsOf(waiting)).toEqual(['retargeted:submitted>submitted']);

		const mails = db.select().from(mailMessages).where(eq(mailMessages.kind, 'carry_over')).all();
		expect(mails).toHaveLength(3);
		expect(mails[0]!.to).toBe('req@mssante.example.fr');
		expect(mails[0]!.subject).toBe('Dossier reporté à la RCP du mardi 12 mars 2030, 17 h 30');
		expect(mails[0]!.text).toContain('M. P. E., né en 1950');
		expect(verifyAuditTrail().ok).toBe(true);
	});

	it('closes once only', () => {
		expect(closeMeeting(held, audit, now)).toEqual({
			ok: false,
			message: 'Cette séance est déjà clôturée.'
		});
	});

	it('without a next meeting, the cases stay deferred for the coordinator to place', () => {
		const lonely = crypto.randomUUID();
		db.insert(pathways)
			.values({
				id: lonely,
				code: 'onco-lonely',
				name: 'Seule',
				kind: 'oncology',
				quorumRule: { requiredSpecialties: [], minDistinctSpecialties: 1, countedSpecialties: null }
			})
			.run();
		const only = addMeeting(new Date('2030-03-05T12:00:00Z'), 'scheduled', lonely);
		const c = crypto.randomUUID();
		db.insert(cases)
			.values({
				id: c,
				patientId,
				pathwayId: lonely,
				meetingId: only,
				requesterId,
				question: 'Q',
				summary: 'S',
				status: 'scheduled',
				agendaPosition: 1
			})
			.run();
		expect(closeMeeting(only, audit, now)).toEqual({
			ok: true,
			carriedOver: 1,
			nextMeetingId: null
		});
		expect(statusOf(c)).toMatchObject({
			status: 'deferred',
			meetingId: only,
			wantsNextMeeting: true
		});
		const mail = db
			.select()
			.from(mailMessages)
			.where(eq(mailMessages.kind, 'carry_over'))
			.all()
			.at(-1)!;
		expect(mail.subject).toBe('Dossier reporté à une prochaine RCP');
	});
});
