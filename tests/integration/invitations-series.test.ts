import { and, eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	cases,
	invitationReminders,
	invitations,
	mailMessages,
	meetings
} from '$lib/server/db/schema';
import { listMeetingInvitees } from '$lib/server/invitations';
import { sendInvitationReminders } from '$lib/server/invitation-reminders';
import { resetMailTransport } from '$lib/server/mail';
import { seriesUid } from '$lib/server/series-calendar';
import { replyToSeries } from '$lib/server/series-replies';
import { migratedDb, queryOne } from '../support/db';
import { expandRecurringEvent, parseInvite } from '../support/ical';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp';
import { createNetwork } from './meetings-fixtures';
import { runCalendarMaintenance } from '$lib/server/meeting-upkeep';
import { planSeries, updateMeeting, type SeriesPlanInput } from '$lib/server/meeting-planning';
import { resolveGuestToken } from '$lib/server/guest-links';
import { inviteGuest, renewGuestLink } from '$lib/server/guest-invitations';

const db = await migratedDb();
const net = await createNetwork(db);
// Tuesday 1 December 2026, 10 h in Paris.
const now = new Date('2026-12-01T09:00:00Z');
let smtp: SmtpCatcher;

beforeAll(async () => {
	smtp = await startSmtpCatcher({ extra: { disableReverseLookup: true } });
	process.env.SMTP_URL = smtp.url;
	process.env.ORIGIN = 'https://pluri.test';
	resetMailTransport();
});
afterAll(async () => {
	delete process.env.SMTP_URL;
	delete process.env.ORIGIN;
	resetMailTransport();
	await smtp.close();
});

function to(mail: ParsedMail): string {
	const address = Array.isArray(mail.to) ? mail.to[0] : mail.to;
	return address?.value[0]?.address ?? '';
}

async function mailsSince(seen: number, count: number): Promise<ParsedMail[]> {
	await smtp.waitFor(seen + count, 15_000);
	await new Promise((r) => setTimeout(r, 200)); // nothing more should arrive
	expect(smtp.mails.length).toBe(seen + count);
	return smtp.mails.slice(seen);
}

function calendarText(mail: ParsedMail): string {
	const part = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
	if (!part) throw new Error(`no calendar part in « ${mail.subject} »`);
	return part.content.toString('utf8');
}

// Thirteen Fridays at 14 h from 4 December 2026: Christmas and New Year's Day among them.
const fridays: SeriesPlanInput = {
	frequency: 'weekly',
	weekday: 5,
	nthWeek: null,
	startDate: '2026-12-01',
	untilDate: null,
	count: 13,
	localStartTime: '14:00',
	durationMinutes: 90,
	place: 'Salle de staff 2',
	videoOffered: true,
	chairId: net.chairId,
	inviteMembers: true,
	skipHolidays: true,
	requestId: '0e7a3f0e-2222-4222-8222-000000000001'
};

let seriesId = '';
let rows: (typeof meetings.$inferSelect)[] = [];

describe('a series that skips public holidays', () => {
	it('schedules no meeting on 25 December and 1 January; the one mail per invitee excludes them', async () => {
		const seen = smtp.mails.length;
		const result = await planSeries(net.pathwayId, fridays, net.coordinator, now);
		expect(result).toMatchObject({ ok: true, meetings: 11, invited: 3, mails: { sent: 3 } });
		if (!result.ok) return;
		seriesId = result.seriesId;
		rows = (await db.select().from(meetings).where(eq(meetings.seriesId, seriesId))).sort(
			(a, b) => a.startsAt.getTime() - b.startsAt.getTime()
		);
		expect(rows.map((r) => r.occurrenceDate)).not.toContain('2026-12-25');
		expect(rows.map((r) => r.occurrenceDate)).not.toContain('2027-01-01');
		for (const mail of await mailsSince(seen, 3)) {
			const text = calendarText(mail);
			expect(parseInvite(text).uid).toBe(seriesUid(seriesId));
			expect(text).toContain('EXDATE;TZID=Europe/Paris:20261225T140000,20270101T140000');
			const dates = expandRecurringEvent(text, new Date('2028-01-01T00:00:00Z'));
			expect(dates.map((d) => d.start.toISOString())).toEqual(
				rows.map((r) => r.startsAt.toISOString())
			);
			expect(mail.text).toContain('Pas de séance : 25 décembre 2026 (Noël), 1er janvier 2027');
		}
	});
});

describe('reminders to invitees who have not answered', () => {
	it('reminds each pending invitee once, even with the upkeep run twice and concurrently', async () => {
		const seen = smtp.mails.length;
		// Wednesday 2 December, 16 h: the Friday 4 December meeting is two days away.
		const later = new Date('2026-12-02T15:00:00Z');
		const [a, b] = await Promise.all([
			sendInvitationReminders(later),
			sendInvitationReminders(later)
		]);
		expect(a.sent + b.sent).toBe(3);
		const again = await runCalendarMaintenance(later);
		expect(again.mails.sent).toBe(0);
		const mails = await mailsSince(seen, 3);
		for (const mail of mails) {
			expect(mail.subject).toMatch(
				/^Rappel : merci de répondre — RCP oncologie digestive — vendredi 4 décembre 2026/
			);
			expect(mail.text).toContain('/reply/');
			expect(mail.attachments).toHaveLength(0);
		}
		expect(new Set(mails.map(to)).size).toBe(3);
		const claims = await db
			.select()
			.from(invitationReminders)
			.where(eq(invitationReminders.meetingId, rows[0]!.id));
		expect(claims.map((c) => c.stage)).toEqual([2, 2, 2]);
	});

	it('does not remind those who answered', async () => {
		const seen = smtp.mails.length;
		const second = rows[1]!; // Friday 11 December
		const julien = net.memberIds[0]!;
		const inv = (await listMeetingInvitees(second)).find((i) => i.userId === julien)!;
		const { recordReply } = await import('$lib/server/invitation-replies');
		expect(
			(await recordReply(inv.invitationId, second.id, 'accepted', net.coordinator, now)).ok
		).toBe(true);
		const sevenDaysBefore = new Date('2026-12-04T14:00:00Z');
		expect((await sendInvitationReminders(sevenDaysBefore)).sent).toBe(2);
		const mails = await mailsSince(seen, 2);
		expect(mails.map(to)).not.toContain('julien.onco-digestive@test.mssante.fr');
	});
});

describe('declines flagged to the coordinators', () => {
	it('notifies the coordinators once when the chair declines the whole series', async () => {
		const seen = smtp.mails.length;
		const chairInv = (await queryOne(
			db
				.select()
				.from(invitations)
				.where(and(eq(invitations.seriesId, seriesId), eq(invitations.userId, net.chairId)))
		))!;
		const first = await replyToSeries(chairInv.id, 'declined', net.coordinator, now);
		expect(first.ok).toBe(true);
		if (first.ok) expect(await first.notice).toHaveLength(1);
		// The same answer again (link clicked twice) is no new decline.
		const second = await replyToSeries(chairInv.id, 'declined', net.coordinator, now);
		expect(second.ok && second.notice).toBeFalsy();
		const [mail] = await mailsSince(seen, 1);
		expect(to(mail!)).toBe('claire.onco-digestive@test.pluri.fr');
		expect(mail!.subject).toMatch(/^Le président a décliné : RCP oncologie digestive/);
		expect(mail!.text).toContain('désigner un autre président');
		// Also in the coordinator's Pluri mailbox.
		const stored = await db
			.select()
			.from(mailMessages)
			.where(eq(mailMessages.kind, 'invitation_declined'));
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({ recipientUserId: net.coordinatorId, status: 'sent' });
		// Every coming meeting now shows the chair's decline.
		expect((await listMeetingInvitees(rows[2]!)).find((i) => i.userId === net.chairId)!.reply).toBe(
			'declined'
		);
	});
});

describe('guest update mails carry the guest’s link (#10)', () => {
	it('puts the same working link in the update mail, kept out of the stored copy', async () => {
		const meeting = rows[3]!;
		await db
			.update(cases)
			.set({ meetingId: meeting.id, status: 'scheduled', agendaPosition: 1 })
			.where(eq(cases.id, net.caseId));
		let seen = smtp.mails.length;
		const invited = await inviteGuest(
			meeting.id,
			{
				name: 'Dr Pierre Renaud',
				rpps: null,
				email: 'p.renaud@test.mssante.fr',
				caseId: net.caseId
			},
			net.coordinator,
			now
		);
		expect(invited).toMatchObject({ ok: true, mails: { sent: 1 } });
		const [invite] = await mailsSince(seen, 1);
		const token = /https:\/\/pluri\.test\/invitation\/(\S+)/.exec(invite!.text ?? '')![1]!;
		const row = (await queryOne(
			db.select().from(invitations).where(eq(invitations.guestEmail, 'p.renaud@test.mssante.fr'))
		))!;
		expect(JSON.stringify(row)).not.toContain(token);
		expect(row.tokenNonce).toBeTruthy();

		seen = smtp.mails.length;
		const moved = await updateMeeting(
			meeting.id,
			{
				date: meeting.occurrenceDate!,
				time: '15:00',
				durationMinutes: 90,
				place: 'Salle Niépce',
				videoOffered: true,
				chairId: net.chairId
			},
			net.coordinator,
			now
		);
		expect(moved.ok).toBe(true);
		// Three series invitees get the override, the guest her own update.
		const update = (await mailsSince(seen, 4)).find((m) => to(m) === 'p.renaud@test.mssante.fr')!;
		expect(update.subject).toMatch(/^Séance modifiée/);
		expect(update.text).toContain(`https://pluri.test/invitation/${token}`);
		const stored = (await queryOne(
			db
				.select()
				.from(mailMessages)
				.where(
					and(
						eq(mailMessages.to, 'p.renaud@test.mssante.fr'),
						eq(mailMessages.kind, 'meeting_update')
					)
				)
		))!;
		expect(stored.text).not.toContain(token);
		const during = new Date(meeting.startsAt.getTime() + 60 * 60_000);
		expect((await resolveGuestToken(token, during)).ok).toBe(true);

		// Renewal changes the nonce: a new link, the previous one refused.
		seen = smtp.mails.length;
		expect(await renewGuestLink(row.id, net.coordinator, now)).toMatchObject({ ok: true });
		const [renewed] = await mailsSince(seen, 1);
		const fresh = /https:\/\/pluri\.test\/invitation\/(\S+)/.exec(renewed!.text ?? '')![1]!;
		expect(fresh).not.toBe(token);
		expect((await resolveGuestToken(token, during)).ok).toBe(false);
		expect((await resolveGuestToken(fresh, during)).ok).toBe(true);
	});

	it('keeps a link issued before (random token, no nonce) working, without re-deriving it', async () => {
		const meeting = rows[4]!;
		const { generateToken, hashToken } = await import('$lib/server/tokens');
		const legacy = generateToken();
		const id = crypto.randomUUID();
		await db.insert(invitations).values({
			id,
			meetingId: meeting.id,
			guestName: 'Dr Ancien Lien',
			guestEmail: 'ancien@test.mssante.fr',
			tokenHash: hashToken(legacy),
			expiresAt: new Date(meeting.endsAt.getTime() + 86_400_000)
		});
		const during = new Date(meeting.startsAt.getTime() + 60_000);
		expect((await resolveGuestToken(legacy, during)).ok).toBe(true);
	});
});
