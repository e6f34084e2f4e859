import { and, eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, invitations, mailMessages, meetings } from '$lib/server/db/schema';
import { listMeetingInvitees } from '$lib/server/invitations';
import { resetMailTransport } from '$lib/server/mail';
import { meetingUid } from '$lib/server/calendar';
import { buildSeriesInvite, seriesUid } from '$lib/server/series-calendar';
import { loadCalendarSeries } from '$lib/server/series-invitations';
import { checkSeriesReplyLink, replyToSeriesWithLink } from '$lib/server/series-replies';
import { migratedDb, queryOne } from '../support/db';
import { expandRecurringEvent, parseInvite, type ParsedInvite } from '../support/ical';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp';
import { createNetwork } from './meetings-fixtures';
import {
	cancelMeeting,
	planSeries,
	updateMeeting,
	type SeriesPlanInput
} from '$lib/server/meeting-planning';
import { resolveGuestToken, toGuestActor } from '$lib/server/guest-links';
import { checkReplyLink, recordReply, replyWithLink } from '$lib/server/invitation-replies';
import { inviteGuest } from '$lib/server/guest-invitations';
import { mailSeriesInvitations, revokeInvitation } from '$lib/server/member-invitations';
import { buildReplyLink } from '$lib/server/invitation-mails';

const db = await migratedDb();
const net = await createNetwork(db);
// Monday 1 March 2027, 10 h in Paris; summer time starts on Sunday 28 March.
const now = new Date('2027-03-01T09:00:00Z');
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

function calendarPart(mail: ParsedMail): ParsedInvite {
	const part = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
	if (!part) throw new Error(`no calendar part in « ${mail.subject} »`);
	return parseInvite(part.content.toString('utf8'));
}

function to(mail: ParsedMail): string {
	const address = Array.isArray(mail.to) ? mail.to[0] : mail.to;
	return address?.value[0]?.address ?? '';
}

/** Waits until `count` mails arrived after `seen` and returns just those. */
async function mailsSince(seen: number, count: number): Promise<ParsedMail[]> {
	await smtp.waitFor(seen + count, 15_000);
	await new Promise((r) => setTimeout(r, 150)); // nothing more should arrive
	expect(smtp.mails.length).toBe(seen + count);
	return smtp.mails.slice(seen);
}

const weekly: SeriesPlanInput = {
	frequency: 'weekly',
	weekday: 2,
	nthWeek: null,
	startDate: '2027-03-01',
	untilDate: null,
	count: null,
	localStartTime: '17:30',
	durationMinutes: 90,
	place: 'Salle de staff 2',
	videoOffered: true,
	chairId: net.chairId,
	inviteMembers: true,
	requestId: '0e7a3f0e-1111-4111-8111-000000000001'
};

let tuesdays: (typeof meetings.$inferSelect)[] = [];

/** The one series mail each invitee got (its calendar part is the recurring event). */
function seriesMailTo(address: string): ParsedMail {
	const mail = smtp.mails.find(
		(m) => to(m) === address && calendarPart(m).uid === seriesUid(seriesId)
	);
	if (!mail) throw new Error(`no series mail to ${address}`);
	return mail;
}

function calendarText(mail: ParsedMail): string {
	return mail.attachments
		.find((a) => a.contentType.startsWith('text/calendar'))!
		.content.toString('utf8');
}

let seriesId = '';

describe('series invitations by mail, as one recurring calendar event', () => {
	// Changed with #15: a series used to send one REQUEST per meeting of the next three months
	// (here 13 × 3 = 39 mails); it now sends one mail per invitee carrying an RRULE.
	it('mails every doctor of the pathway one REQUEST for the whole series, not one per meeting', async () => {
		const seen = smtp.mails.length;
		const result = await planSeries(net.pathwayId, weekly, net.coordinator, now);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		seriesId = result.seriesId;
		expect(result.invited).toBe(3); // chair + 2 members; the coordinator is staff
		expect(result.mails).toEqual({ sent: 3, stored: 0, failed: 0, undelivered: 0 });
		const batch = await mailsSince(seen, 3);
		tuesdays = (
			await db.select().from(meetings).where(eq(meetings.seriesId, result.seriesId))
		).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
		const recipients = new Set<string>();
		for (const mail of batch) {
			const invite = calendarPart(mail);
			expect(invite).toMatchObject({
				method: 'REQUEST',
				uid: seriesUid(result.seriesId),
				sequence: 0,
				tzid: 'Europe/Paris',
				rrule: expect.stringContaining('FREQ=WEEKLY'),
				recurrenceId: null
			});
			expect(invite.localStart).toBe('2027-03-02T17:30:00');
			expect(invite.attendees).toEqual([to(mail)]);
			expect(mail.subject).toBe(
				'Invitation aux séances : RCP oncologie digestive — chaque mardi à 17 h 30'
			);
			expect(mail.text).toContain('Je participerai : https://pluri.test/reply/');
			expect(mail.text).toContain('/serie?s=');
			// The 13 Tuesdays of the next three months are the rule's, as a client expands it.
			const dates = expandRecurringEvent(calendarText(mail), new Date('2027-05-26T00:00:00Z'));
			expect(dates.map((d) => d.start.toISOString())).toEqual(
				tuesdays.slice(0, 13).map((m) => m.startsAt.toISOString())
			);
			recipients.add(to(mail));
		}
		expect(recipients).toEqual(
			new Set(['helene', 'julien', 'nicolas'].map((k) => `${k}.onco-digestive@test.mssante.fr`))
		);
	});

	it('keeps 17:30 Paris time on both sides of the spring change, resolved by ical.js', () => {
		const text = calendarText(seriesMailTo('julien.onco-digestive@test.mssante.fr'));
		const byDate = new Map(
			expandRecurringEvent(text, new Date('2027-04-30T00:00:00Z')).map((o) => [
				o.start.toISOString().slice(0, 10),
				o
			])
		);
		expect(byDate.get('2027-03-23')!.start.toISOString()).toBe('2027-03-23T16:30:00.000Z');
		expect(byDate.get('2027-03-30')!.start.toISOString()).toBe('2027-03-30T15:30:00.000Z');
		expect(byDate.get('2027-03-30')!.end.toISOString()).toBe('2027-03-30T17:00:00.000Z');
	});

	it('sends nothing twice: the same form again, or the upkeep run again', async () => {
		const seen = smtp.mails.length;
		const again = await planSeries(net.pathwayId, weekly, net.coordinator, now);
		expect(again).toMatchObject({ ok: true, invited: 0, mails: { sent: 0 } });
		expect(await mailSeriesInvitations('all', now)).toEqual({
			sent: 0,
			stored: 0,
			failed: 0,
			undelivered: 0
		});
		await new Promise((r) => setTimeout(r, 200));
		expect(smtp.mails.length).toBe(seen);
	});

	// Changed with #15: the meetings entering the horizon used to get their own invite each;
	// the recurring event already holds them.
	it('sends nothing as time passes: the recurring event already holds the later meetings', async () => {
		const seen = smtp.mails.length;
		const later = new Date(now.getTime() + 7 * 86_400_000);
		expect((await mailSeriesInvitations('all', later)).sent).toBe(0);
		await new Promise((r) => setTimeout(r, 200));
		expect(smtp.mails.length).toBe(seen);
	});

	it('a 13-meeting series to N invitees sends N mails, whose RRULE gives the 13 dates', async () => {
		const seen = smtp.mails.length;
		const result = await planSeries(
			net.pathwayId,
			{
				...weekly,
				weekday: 4,
				count: 13,
				localStartTime: '12:30',
				requestId: '0e7a3f0e-1111-4111-8111-000000000013'
			},
			net.coordinator,
			now
		);
		expect(result).toMatchObject({ ok: true, meetings: 13, invited: 3, mails: { sent: 3 } });
		const batch = await mailsSince(seen, 3);
		for (const mail of batch) {
			const invite = calendarPart(mail);
			expect(invite.rrule).toContain('COUNT=13');
			const dates = expandRecurringEvent(calendarText(mail), new Date('2028-01-01T00:00:00Z'));
			expect(dates).toHaveLength(13);
			expect(dates[0]!.start.toISOString()).toBe('2027-03-04T11:30:00.000Z');
			expect(dates[12]!.start.toISOString()).toBe('2027-05-27T10:30:00.000Z');
		}
	});

	it('sends the override of one moved meeting: same UID, its RECURRENCE-ID, a raised SEQUENCE', async () => {
		const seen = smtp.mails.length;
		const target = tuesdays.find((m) => m.occurrenceDate === '2027-03-30')!;
		const result = await updateMeeting(
			target.id,
			{
				date: '2027-03-31',
				time: '12:30',
				durationMinutes: 60,
				place: 'Salle Niépce',
				videoOffered: true,
				chairId: net.chairId
			},
			net.coordinator,
			now
		);
		expect(result).toMatchObject({ ok: true, changed: ['horaire', 'lieu'] });
		const mails = await mailsSince(seen, 3);
		for (const mail of mails) {
			const invite = calendarPart(mail);
			expect(invite).toMatchObject({
				method: 'REQUEST',
				uid: seriesUid(seriesId),
				sequence: 1,
				recurrenceId: '2027-03-30T17:30:00',
				rrule: null,
				localStart: '2027-03-31T12:30:00',
				location: 'Salle Niépce'
			});
			expect(invite.start.toISOString()).toBe('2027-03-31T10:30:00.000Z');
			expect(mail.subject).toMatch(/^Séance modifiée/);
			expect(mail.text).toContain(`/reply/`);
		}
		const row = (await queryOne(db.select().from(meetings).where(eq(meetings.id, target.id))))!;
		expect(row.deadlineAt.toISOString()).toBe('2027-03-29T10:30:00.000Z');
		// Saving the same values again changes nothing and mails nobody.
		const same = await updateMeeting(
			target.id,
			{
				date: '2027-03-31',
				time: '12:30',
				durationMinutes: 60,
				place: 'Salle Niépce',
				videoOffered: true,
				chairId: net.chairId
			},
			net.coordinator,
			now
		);
		expect(same).toMatchObject({ ok: true, changed: [], mails: { sent: 0 } });
	});

	it('refuses a move into the spring-forward hour or the past, writing nothing', async () => {
		const target = tuesdays.find((m) => m.occurrenceDate === '2027-03-23')!;
		const slot = { durationMinutes: 60, place: 'Salle', videoOffered: true, chairId: net.chairId };
		const gap = await updateMeeting(
			target.id,
			{ ...slot, date: '2027-03-28', time: '02:30' },
			net.coordinator,
			now
		);
		expect(gap.ok).toBe(false);
		if (!gap.ok) expect(gap.errors.time).toMatch(/n’existe pas.*heure d’été/);
		const past = await updateMeeting(
			target.id,
			{ ...slot, date: '2027-02-23', time: '17:30' },
			net.coordinator,
			now
		);
		expect(past.ok).toBe(false);
		const row = (await queryOne(db.select().from(meetings).where(eq(meetings.id, target.id))))!;
		expect(row).toMatchObject({ icsSequence: 0, place: 'Salle de staff 2' });
	});

	it('cancels one meeting by a CANCEL of its RECURRENCE-ID, once; the series then has its EXDATE', async () => {
		const seen = smtp.mails.length;
		const target = tuesdays.find((m) => m.occurrenceDate === '2027-04-06')!;
		const result = await cancelMeeting(target.id, 'Congrès national', net.coordinator, now);
		expect(result).toMatchObject({ ok: true, already: false, mails: { sent: 3 } });
		const mails = await mailsSince(seen, 3);
		for (const mail of mails) {
			const invite = calendarPart(mail);
			expect(invite).toMatchObject({
				method: 'CANCEL',
				uid: seriesUid(seriesId),
				sequence: 1,
				status: 'CANCELLED',
				recurrenceId: '2027-04-06T17:30:00'
			});
			expect(mail.subject).toMatch(/^Séance annulée/);
			expect(mail.text).toContain('Congrès national');
		}
		const twice = await cancelMeeting(target.id, 'Congrès national', net.coordinator, now);
		expect(twice).toMatchObject({ ok: true, already: true, mails: { sent: 0 } });
		// Whoever is invited now gets the series with that date excluded and the move included.
		const series = (await loadCalendarSeries(seriesId, now))!;
		const text = buildSeriesInvite(series, 'REQUEST', null, now)!;
		const expanded = expandRecurringEvent(text, new Date('2027-04-30T00:00:00Z'));
		const starts = expanded.map((o) => o.start.toISOString());
		expect(starts).not.toContain('2027-04-06T15:30:00.000Z');
		expect(starts).toContain('2027-03-31T10:30:00.000Z');
		expect(starts).not.toContain('2027-03-30T15:30:00.000Z');
	});
});

describe('replies', () => {
	it('accepts from the signed link, for that meeting only, and refuses a tampered link', async () => {
		const [first, second] = tuesdays;
		const julien = net.memberIds[0]!;
		const invitee = (await listMeetingInvitees(first!)).find((i) => i.userId === julien)!;
		expect(invitee).toMatchObject({ scope: 'series', reply: 'pending' });
		// The per-meeting link of reminders and of the override mails.
		const link = new URL(await buildReplyLink(invitee.invitationId, first!.id, 'oui'));
		const [, , invitationId, meetingId] = link.pathname.split('/');
		const signature = link.searchParams.get('s');
		expect(meetingId).toBe(first!.id);

		expect(await checkReplyLink(invitationId!, meetingId!, `${signature}x`, now)).toMatchObject({
			ok: false,
			message: expect.stringContaining('n’est pas valide')
		});
		expect((await checkReplyLink(invitationId!, second!.id, signature, now)).ok).toBe(false);

		const reply = await replyWithLink(
			invitationId!,
			meetingId!,
			signature,
			'accepted',
			'10.9.9.9',
			now
		);
		expect(reply.ok).toBe(true);
		expect((await listMeetingInvitees(first!)).find((i) => i.userId === julien)).toMatchObject({
			scope: 'meeting',
			reply: 'accepted',
			viaSeries: true
		});
		expect((await listMeetingInvitees(second!)).find((i) => i.userId === julien)).toMatchObject({
			scope: 'series',
			reply: 'pending'
		});
		const audit = (
			await db.select().from(auditEvents).where(eq(auditEvents.action, 'invitation.reply'))
		).at(-1)!;
		expect(audit).toMatchObject({ actorType: 'user', actorId: julien, ip: '10.9.9.9' });
		// Changing one's mind updates the same answer.
		const declined = await replyWithLink(
			invitationId!,
			meetingId!,
			signature,
			'declined',
			null,
			now
		);
		expect(declined.ok).toBe(true);
		if (declined.ok) await declined.notice;
		expect((await listMeetingInvitees(first!)).filter((i) => i.userId === julien)).toHaveLength(1);
		expect((await listMeetingInvitees(first!)).find((i) => i.userId === julien)!.reply).toBe(
			'declined'
		);
	});

	it('answers for the whole series from the series mail’s link, refusing a tampered one', async () => {
		const mail = seriesMailTo('nicolas.onco-digestive@test.mssante.fr');
		const link = new URL(/Je ne participerai pas : (\S+)/.exec(mail.text ?? '')![1]!);
		const [, , invitationId, segment] = link.pathname.split('/');
		expect(segment).toBe('serie');
		const signature = link.searchParams.get('s');
		expect((await checkSeriesReplyLink(invitationId!, `${signature}x`)).ok).toBe(false);
		expect(await checkSeriesReplyLink(invitationId!, signature)).toMatchObject({ ok: true });
		const result = await replyToSeriesWithLink(invitationId!, signature, 'declined', null, now);
		expect(result.ok).toBe(true);
		if (result.ok) await result.notice;
		const nicolas = net.memberIds[1]!;
		for (const m of tuesdays.slice(0, 3)) {
			expect((await listMeetingInvitees(m)).find((i) => i.userId === nicolas)!.reply).toBe(
				'declined'
			);
		}
	});

	it('refuses an answer for a cancelled meeting', async () => {
		const cancelled = tuesdays.find((m) => m.occurrenceDate === '2027-04-06')!;
		const inv = (await listMeetingInvitees(cancelled)).find((i) => i.userId === net.chairId)!;
		expect(
			await recordReply(inv.invitationId, cancelled.id, 'accepted', net.coordinator, now)
		).toEqual({
			ok: false,
			message: 'Cette séance a été annulée.'
		});
	});
});

describe('guest links', () => {
	let meeting: typeof meetings.$inferSelect;
	let token = '';

	it('invites the GP for one case, once even when sent twice, with a link in the mail only', async () => {
		const seen = smtp.mails.length;
		meeting = tuesdays.find((m) => m.occurrenceDate === '2027-03-09')!;
		await db
			.update((await import('$lib/server/db/schema')).cases)
			.set({ meetingId: meeting.id, status: 'scheduled', agendaPosition: 2 })
			.where(eq((await import('$lib/server/db/schema')).cases.id, net.caseId));
		const input = {
			name: 'Dr Pierre Renaud',
			rpps: '10099000159',
			email: 'p.renaud@test.mssante.fr',
			caseId: net.caseId
		};
		const first = await inviteGuest(meeting.id, input, net.coordinator, now);
		expect(first).toMatchObject({ ok: true, already: false, mails: { sent: 1 } });
		const second = await inviteGuest(meeting.id, input, net.coordinator, now);
		expect(second).toMatchObject({ ok: true, already: true, mails: { sent: 0 } });
		const [mail] = await mailsSince(seen, 1);
		expect(to(mail!)).toBe('p.renaud@test.mssante.fr');
		expect(mail!.text).not.toContain('DURAND');
		token = /https:\/\/pluri\.test\/invitation\/(\S+)/.exec(mail!.text ?? '')![1]!;
		expect(calendarPart(mail!)).toMatchObject({ method: 'REQUEST', uid: meetingUid(meeting.id) });
		const row = (await queryOne(
			db
				.select()
				.from(invitations)
				.where(and(eq(invitations.meetingId, meeting.id), eq(invitations.guestEmail, input.email)))
		))!;
		expect(row.tokenHash).not.toContain(token);
		expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
		expect(JSON.stringify(await db.select().from(invitations))).not.toContain(token);
	});

	it('opens 30 minutes before the meeting and closes at its end', async () => {
		const before = new Date(meeting.startsAt.getTime() - 31 * 60_000);
		expect(await resolveGuestToken(token, before)).toMatchObject({ ok: false, reason: 'not_yet' });
		const during = new Date(meeting.startsAt.getTime() - 29 * 60_000);
		const ok = await resolveGuestToken(token, during, { ip: '192.0.2.10' });
		expect(ok).toMatchObject({ ok: true, caseId: net.caseId });
		if (ok.ok) {
			expect(toGuestActor(ok.invitation)).toEqual({
				kind: 'guest',
				invitationId: ok.invitation.id,
				meetingId: meeting.id,
				caseId: net.caseId
			});
		}
		expect(await resolveGuestToken(token, meeting.endsAt)).toMatchObject({
			ok: false,
			reason: 'meeting_over'
		});
		expect((await resolveGuestToken(token, meeting.endsAt, { afterEnd: true })).ok).toBe(true);
		const uses = await db.select().from(auditEvents).where(eq(auditEvents.actorType, 'guest'));
		expect(uses.map((u) => u.action)).toEqual([
			'guest.refused',
			'guest.access',
			'guest.refused',
			'guest.access'
		]);
		expect(uses[1]).toMatchObject({ patientId: net.patientId, ip: '192.0.2.10' });
		expect(uses.every((u) => ok.ok && u.actorId === ok.invitation.id)).toBe(true);
	});

	it('refuses a tampered token and a revoked one, with a French reason', async () => {
		const seen = smtp.mails.length;
		const during = new Date(meeting.startsAt.getTime() + 10 * 60_000);
		const tampered = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
		expect(await resolveGuestToken(tampered, during)).toMatchObject({
			ok: false,
			reason: 'unknown',
			message: expect.stringContaining('n’est pas valide')
		});
		expect((await resolveGuestToken('../../etc', during)).ok).toBe(false);
		const inv = (await listMeetingInvitees(meeting)).find((i) => i.isGuest)!;
		const revoked = await revokeInvitation(inv.invitationId, net.coordinator, now);
		expect(revoked).toMatchObject({ ok: true, mails: { sent: 1 } });
		const [mail] = await mailsSince(seen, 1);
		expect(calendarPart(mail!).method).toBe('CANCEL');
		expect(await resolveGuestToken(token, during)).toMatchObject({
			ok: false,
			reason: 'revoked',
			message: expect.stringContaining('retiré')
		});
	});

	it('refuses a case that is not on this meeting’s agenda', async () => {
		const other = tuesdays.find((m) => m.occurrenceDate === '2027-03-16')!;
		const result = await inviteGuest(
			other.id,
			{ name: 'Dr Renaud', rpps: null, email: 'p.renaud@test.mssante.fr', caseId: net.caseId },
			net.coordinator,
			now
		);
		expect(result).toMatchObject({ ok: false, field: 'caseId' });
	});
});

describe('without SMTP_URL', () => {
	it('records a guest’s invitation as not delivered, with the reason, and keeps no link', async () => {
		delete process.env.SMTP_URL;
		resetMailTransport();
		const seen = smtp.mails.length;
		const target = tuesdays.find((m) => m.occurrenceDate === '2027-03-16')!;
		const result = await inviteGuest(
			target.id,
			{ name: 'Dr Chloé Vincent', rpps: null, email: 'c.vincent@test.mssante.fr', caseId: null },
			net.coordinator,
			now
		);
		// An outside doctor has no Pluri inbox: without SMTP, the mail cannot reach them.
		expect(result).toMatchObject({ ok: true, mails: { stored: 0, sent: 0, undelivered: 1 } });
		const stored = await db
			.select()
			.from(mailMessages)
			.where(eq(mailMessages.to, 'c.vincent@test.mssante.fr'));
		expect(stored).toHaveLength(1);
		expect(stored[0]).toMatchObject({
			status: 'undelivered',
			kind: 'invitation',
			recipientUserId: null,
			icsUid: meetingUid(target.id),
			icsSequence: 0
		});
		expect(stored[0]!.error).toContain('aucun serveur de messagerie n’est configuré');
		expect(stored[0]!.text).not.toContain('/invitation/');
		expect(stored[0]!.attachments[0]!.contentType).toMatch(/^text\/calendar/);
		expect(smtp.mails.length).toBe(seen);
		process.env.SMTP_URL = smtp.url;
		resetMailTransport();
	});
});
