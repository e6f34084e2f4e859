import { and, eq, sql } from 'drizzle-orm';
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
import { executeSql, getEngineKind, getSqliteClient, migratedDb, queryOne } from '../support/db';

const db = await migratedDb();

const H = 3_600_000;
const audit = { actorType: 'user' as const, actorId: null, ip: '127.0.0.1' };
const now = new Date('2030-03-05T18:30:00Z');

const pathwayId = crypto.randomUUID();
await db.insert(pathways).values({
	id: pathwayId,
	code: 'onco-test',
	name: 'RCP test',
	kind: 'oncology',
	quorumRule: { requiredSpecialties: [], minDistinctSpecialties: 1, countedSpecialties: null }
});
const requesterId = crypto.randomUUID();
await db.insert(users).values({
	id: requesterId,
	email: 'req@example.fr',
	firstName: 'Rémi',
	lastName: 'Requérant',
	title: 'Dr',
	sector: 'establishment',
	mssanteAddress: 'req@mssante.example.fr'
});
const patientId = crypto.randomUUID();
await db.insert(patients).values({
	id: patientId,
	birthName: 'ESSAI',
	firstNames: ['Paul'],
	sex: 'M',
	birthDate: '1950-01-01'
});

async function addMeeting(
	startsAt: Date,
	status: 'scheduled' | 'open' | 'closed' | 'cancelled' = 'scheduled',
	pid = pathwayId
): Promise<string> {
	const id = crypto.randomUUID();
	await db.insert(meetings).values({
		id,
		pathwayId: pid,
		startsAt,
		endsAt: new Date(startsAt.getTime() + 1.5 * H),
		deadlineAt: new Date(startsAt.getTime() - 48 * H),
		status,
		place: 'Salle 1'
	});
	return id;
}

async function addCase(
	meetingId: string | null,
	status: typeof cases.$inferInsert.status,
	position: number | null
): Promise<string> {
	const id = crypto.randomUUID();
	await db.insert(cases).values({
		id,
		patientId,
		pathwayId,
		meetingId,
		requesterId,
		question: 'Q',
		summary: 'S',
		status,
		agendaPosition: position
	});
	return id;
}

const statusOf = async (id: string) =>
	(await queryOne(db.select().from(cases).where(eq(cases.id, id))))!;
const eventsOf = async (id: string) =>
	(await db.select().from(caseEvents).where(eq(caseEvents.caseId, id))).map(
		(e) => `${e.kind}:${e.fromStatus}>${e.toStatus}`
	);

describe('closing a meeting carries its undecided cases over', async () => {
	const held = await addMeeting(new Date('2030-03-05T16:30:00Z'), 'open');
	const next = await addMeeting(new Date('2030-03-12T16:30:00Z'));
	await addMeeting(new Date('2030-03-19T16:30:00Z'));
	// A meeting of another pathway in between must not receive anything.
	const otherPathway = crypto.randomUUID();
	await db.insert(pathways).values({
		id: otherPathway,
		code: 'onco-other',
		name: 'Autre',
		kind: 'oncology',
		quorumRule: { requiredSpecialties: [], minDistinctSpecialties: 1, countedSpecialties: null }
	});
	await addMeeting(new Date('2030-03-08T16:30:00Z'), 'scheduled', otherPathway);
	const alreadyOnNext = await addCase(next, 'scheduled', 1);

	const decided = await addCase(held, 'decided', 1);
	const notReached = await addCase(held, 'scheduled', 2);
	const presented = await addCase(held, 'presented', 3);
	const deferred = await addCase(held, 'deferred', 4);
	const withdrawn = await addCase(held, 'withdrawn', null);
	const waiting = await addCase(held, 'submitted', null);

	it('refuses to close a meeting that has not started', async () => {
		const future = await addMeeting(new Date('2030-04-01T16:30:00Z'));
		expect(await closeMeeting(future, audit, now)).toEqual({
			ok: false,
			message: 'Cette séance n’a pas encore commencé : elle ne peut pas être clôturée.'
		});
		expect(
			(await queryOne(db.select().from(meetings).where(eq(meetings.id, future))))!.status
		).toBe('scheduled');
	});

	const onSqlite = getEngineKind(db) === 'sqlite';
	/** A write failing in the middle of the carry-over: the case's move is refused by a trigger. */
	async function failUpdatesOf(caseId: string): Promise<void> {
		if (onSqlite) {
			getSqliteClient(db).exec(`create trigger fail_carry before update on rcp_case
				when new.id = '${caseId}' and new.status = 'scheduled'
				begin select raise(abort, 'disk full'); end`);
			return;
		}
		await executeSql(
			db,
			sql.raw(`create or replace function fail_carry() returns trigger language plpgsql as $$
				begin
					if new.id = '${caseId}' and new.status = 'scheduled' then raise exception 'disk full'; end if;
					return new;
				end $$`)
		);
		await executeSql(
			db,
			sql.raw(
				'create trigger fail_carry before update on rcp_case for each row execute function fail_carry()'
			)
		);
	}

	it('leaves nothing half-done when a step fails', async () => {
		await failUpdatesOf(presented);
		await expect(closeMeeting(held, audit, now)).rejects.toMatchObject({
			cause: { message: 'disk full' }
		});
		await executeSql(
			db,
			sql.raw(onSqlite ? 'drop trigger fail_carry' : 'drop trigger fail_carry on rcp_case')
		);
		expect((await queryOne(db.select().from(meetings).where(eq(meetings.id, held))))!.status).toBe(
			'open'
		);
		expect(await statusOf(notReached)).toMatchObject({ status: 'scheduled', meetingId: held });
		expect(await eventsOf(notReached)).toEqual([]);
		expect(await db.select().from(mailMessages)).toEqual([]);
	});

	it('closes, moves every case not decided to the next meeting with its history, tells the requester', async () => {
		const result = await closeMeeting(held, audit, now);
		expect(result).toEqual({ ok: true, carriedOver: 3, nextMeetingId: next });

		const meeting = (await queryOne(db.select().from(meetings).where(eq(meetings.id, held))))!;
		expect(meeting.status).toBe('closed');
		expect(meeting.closedAt).toEqual(now);

		expect(await statusOf(decided)).toMatchObject({ status: 'decided', meetingId: held });
		expect(await statusOf(withdrawn)).toMatchObject({ status: 'withdrawn', meetingId: held });
		for (const id of [notReached, presented, deferred]) {
			expect(await statusOf(id)).toMatchObject({ status: 'scheduled', meetingId: next });
		}
		// Appended after what the next agenda already had, in their previous order.
		expect((await listMeetingCases(next)).map((c) => c.id)).toEqual([
			alreadyOnNext,
			notReached,
			presented,
			deferred
		]);
		expect((await listMeetingCases(next)).map((c) => c.agendaPosition)).toEqual([1, 2, 3, 4]);
		expect(await eventsOf(notReached)).toEqual([
			'deferred:scheduled>deferred',
			'carried_over:deferred>scheduled'
		]);
		expect(await eventsOf(presented)).toEqual([
			'deferred:presented>deferred',
			'carried_over:deferred>scheduled'
		]);
		expect(await eventsOf(deferred)).toEqual(['carried_over:deferred>scheduled']);
		const note = (await queryOne(
			db
				.select()
				.from(caseEvents)
				.where(and(eq(caseEvents.caseId, presented), eq(caseEvents.kind, 'deferred')))
		))!.note;
		expect(note).toBe('Présenté sans décision à la séance du mardi 5 mars 2030, 17 h 30.');

		// The request that named this meeting now waits for the next one.
		expect(await statusOf(waiting)).toMatchObject({ status: 'submitted', meetingId: next });
		expect(await eventsOf(waiting)).toEqual(['retargeted:submitted>submitted']);

		const mails = await db.select().from(mailMessages).where(eq(mailMessages.kind, 'carry_over'));
		expect(mails).toHaveLength(3);
		expect(mails[0]!.to).toBe('req@mssante.example.fr');
		expect(mails[0]!.subject).toBe('Dossier reporté à la RCP du mardi 12 mars 2030, 17 h 30');
		expect(mails[0]!.text).toContain('M. P. E., né en 1950');
		expect((await verifyAuditTrail()).ok).toBe(true);
	});

	it('closes once only', async () => {
		expect(await closeMeeting(held, audit, now)).toEqual({
			ok: false,
			message: 'Cette séance est déjà clôturée.'
		});
	});

	it('without a next meeting, the cases stay deferred for the coordinator to place', async () => {
		const lonely = crypto.randomUUID();
		await db.insert(pathways).values({
			id: lonely,
			code: 'onco-lonely',
			name: 'Seule',
			kind: 'oncology',
			quorumRule: { requiredSpecialties: [], minDistinctSpecialties: 1, countedSpecialties: null }
		});
		const only = await addMeeting(new Date('2030-03-05T12:00:00Z'), 'scheduled', lonely);
		const c = crypto.randomUUID();
		await db.insert(cases).values({
			id: c,
			patientId,
			pathwayId: lonely,
			meetingId: only,
			requesterId,
			question: 'Q',
			summary: 'S',
			status: 'scheduled',
			agendaPosition: 1
		});
		expect(await closeMeeting(only, audit, now)).toEqual({
			ok: true,
			carriedOver: 1,
			nextMeetingId: null
		});
		expect(await statusOf(c)).toMatchObject({
			status: 'deferred',
			meetingId: only,
			wantsNextMeeting: true
		});
		const mail = (
			await db.select().from(mailMessages).where(eq(mailMessages.kind, 'carry_over'))
		).at(-1)!;
		expect(mail.subject).toBe('Dossier reporté à une prochaine RCP');
	});
});
