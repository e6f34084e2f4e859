import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, gt } from 'drizzle-orm';
import { sendDueCaseReminders, sendManualReminders } from '$lib/server/case-reminders';
import { listMeetingCases } from '$lib/server/cases';
import { seedDemoNetwork } from '$lib/server/demo/network';
import {
	auditEvents,
	caseReminders,
	mailMessages,
	meetings,
	pathways,
	users
} from '$lib/server/db/schema';
import { resetMailTransport } from '$lib/server/mail';
import { assessCaseReadiness } from '$lib/server/readiness';
import { migratedDb, queryOne } from '../support/db';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp';

const db = await migratedDb();
await seedDemoNetwork();
let smtp: SmtpCatcher;

beforeAll(async () => {
	smtp = await startSmtpCatcher();
	process.env.SMTP_URL = smtp.url;
	process.env.ORIGIN = 'https://rcp.example.fr';
	resetMailTransport();
});
afterAll(async () => {
	delete process.env.SMTP_URL;
	delete process.env.ORIGIN;
	resetMailTransport();
	await smtp.close();
});

const digestive = (await queryOne(
	db.select().from(pathways).where(eq(pathways.code, 'onco-digestive'))
))!;
const coordinator = (await queryOne(
	db.select().from(users).where(eq(users.email, 'coordination@demo.pluri.fr'))
))!;
const audit = { actorType: 'user' as const, actorId: coordinator.id, ip: '127.0.0.1' };
const meeting = (await queryOne(
	db
		.select()
		.from(meetings)
		.where(
			and(
				eq(meetings.pathwayId, digestive.id),
				eq(meetings.status, 'scheduled'),
				gt(meetings.startsAt, new Date())
			)
		)
		.orderBy(asc(meetings.startsAt))
))!;
const agenda = await listMeetingCases(meeting.id);
const readiness = await assessCaseReadiness(agenda);
const incomplete = agenda.filter((c) => !readiness.get(c.id)!.ready);
const complete = agenda.filter((c) => readiness.get(c.id)!.ready);
// Ten hours before this meeting's deadline: inside the reminder window.
const now = new Date(meeting.deadlineAt.getTime() - 10 * 3_600_000);
const autoRows = async () =>
	await db.select().from(caseReminders).where(eq(caseReminders.kind, 'auto'));
const remindersOf = (caseId: string) =>
	smtp.mails.filter((m) => m.text?.includes(`/cases/${caseId}`));

describe('automatic requester reminders', () => {
	it('the demo has incomplete and complete cases on the next meeting', () => {
		expect(incomplete.length).toBeGreaterThan(0);
		expect(complete.length).toBeGreaterThan(0);
	});

	it('two upkeeps at once send each reminder once: the row is claimed before the mail', async () => {
		const [a, b] = await Promise.all([sendDueCaseReminders(now), sendDueCaseReminders(now)]);
		const sent = await autoRows();
		expect(a.sent + b.sent).toBe(sent.length);
		expect(smtp.mails).toHaveLength(sent.length);
		for (const c of incomplete) expect(remindersOf(c.id)).toHaveLength(1);
		for (const c of complete) expect(remindersOf(c.id)).toHaveLength(0);
	});

	it('a later run sends nothing more for the same deadline', async () => {
		const before = smtp.mails.length;
		expect(await sendDueCaseReminders(new Date(now.getTime() + 3_600_000))).toEqual({
			sent: 0,
			failed: 0
		});
		expect(smtp.mails).toHaveLength(before);
	});

	it('the mail says what is missing, the meeting, the deadline, links the case; the inbox keeps it', async () => {
		const c = incomplete[0]!;
		const [mail] = remindersOf(c.id);
		expect(mail!.subject).toMatch(/^Dossier à compléter avant le .+ \(RCP du .+\)$/);
		for (const issue of readiness.get(c.id)!.issues) expect(mail!.text).toContain(issue.message);
		expect(mail!.text).toContain(`https://rcp.example.fr/cases/${c.id}`);
		const stored = await db
			.select()
			.from(mailMessages)
			.where(eq(mailMessages.kind, 'case_reminder'));
		expect(stored.length).toBe((await autoRows()).length);
		expect(stored.every((m) => m.status === 'sent' && m.recipientUserId !== null)).toBe(true);
		const audited = await db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.action, 'case.remind'));
		expect(audited.find((e) => e.objectId === c.id)?.patientId).toBe(c.patientId);
	});

	it('nothing is sent too early or after the deadline', async () => {
		await db.delete(caseReminders);
		const ours = async () => (await autoRows()).filter((r) => r.meetingId === meeting.id);
		await sendDueCaseReminders(new Date(meeting.deadlineAt.getTime() - 73 * 3_600_000));
		expect(await ours()).toHaveLength(0);
		await sendDueCaseReminders(new Date(meeting.deadlineAt.getTime() + 60_000));
		expect(await ours()).toHaveLength(0);
		// Back in the window, the reminder goes again (the claims were wiped above).
		await sendDueCaseReminders(now);
		expect(await ours()).toHaveLength(incomplete.length);
	});
});

describe('« Relancer le demandeur »', () => {
	it('sends at once even after the automatic one, but not twice in the same minute', async () => {
		const c = incomplete[0]!;
		const before = remindersOf(c.id).length;
		const [first] = await sendManualReminders([c.id], digestive.id, audit, now);
		expect(first).toMatchObject({ ok: true, mail: 'sent' });
		const [double] = await sendManualReminders(
			[c.id],
			digestive.id,
			audit,
			new Date(now.getTime() + 2000)
		);
		expect(double).toMatchObject({ ok: false });
		expect(remindersOf(c.id)).toHaveLength(before + 1);
		const [later] = await sendManualReminders(
			[c.id],
			digestive.id,
			audit,
			new Date(now.getTime() + 61_000)
		);
		expect(later).toMatchObject({ ok: true });
		expect(remindersOf(c.id)).toHaveLength(before + 2);
	});

	it('refuses a complete case and a case of another pathway, per case', async () => {
		const outcomes = await sendManualReminders(
			[complete[0]!.id, 'inconnu'],
			digestive.id,
			audit,
			now
		);
		expect(outcomes).toEqual([
			{
				caseId: complete[0]!.id,
				ok: false,
				message: 'Ce dossier est complet : aucune relance nécessaire.'
			},
			{ caseId: 'inconnu', ok: false, message: 'Ce dossier n’existe pas dans cette filière.' }
		]);
	});
});
