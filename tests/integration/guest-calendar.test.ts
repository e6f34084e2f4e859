import { and, eq } from 'drizzle-orm';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, invitations, mailMessages, meetings, users } from '$lib/server/db/schema';
import { meetingUid } from '$lib/server/calendar';
import { resetMailTransport } from '$lib/server/mail';
import { REDACTED_LINK } from '$lib/domain/mailbox';
import { GET as guestCalendar } from '../../src/routes/(public)/invitation/[token]/calendar.ics/+server';
import { migratedDb, queryOne } from '../support/db';
import { parseInvite } from '../support/ical';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp';
import { createNetwork } from './meetings-fixtures';
import { planSeries } from '$lib/server/meeting-planning';
import { inviteGuest } from '$lib/server/guest-invitations';
import { revokeInvitation } from '$lib/server/member-invitations';

const db = await migratedDb();
const net = await createNetwork(db);
// The handler reads the real clock: plan the meetings well ahead of it.
const now = new Date();
const startDate = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
let smtp: SmtpCatcher;
let meeting: typeof meetings.$inferSelect;

beforeAll(async () => {
	smtp = await startSmtpCatcher({ extra: { disableReverseLookup: true } });
	process.env.SMTP_URL = smtp.url;
	process.env.ORIGIN = 'https://pluri.test';
	resetMailTransport();
	const plan = await planSeries(
		net.pathwayId,
		{
			frequency: 'weekly',
			weekday: 2,
			nthWeek: null,
			startDate,
			untilDate: null,
			count: 2,
			localStartTime: '17:30',
			durationMinutes: 90,
			place: 'Salle de staff 2',
			videoOffered: true,
			chairId: net.chairId,
			inviteMembers: false,
			requestId: crypto.randomUUID()
		},
		net.coordinator,
		now
	);
	if (!plan.ok) throw new Error('series not planned');
	meeting = (await db.select().from(meetings).where(eq(meetings.seriesId, plan.seriesId))).sort(
		(a, b) => a.startsAt.getTime() - b.startsAt.getTime()
	)[0]!;
	await db
		.update(cases)
		.set({ meetingId: meeting.id, status: 'scheduled', agendaPosition: 1 })
		.where(eq(cases.id, net.caseId));
});

afterAll(async () => {
	resetMailTransport();
	await smtp.close();
});

function calendarText(mail: ParsedMail): string {
	const part = mail.attachments.find((a) => a.contentType.startsWith('text/calendar'));
	if (!part) throw new Error(`no calendar part in « ${mail.subject} »`);
	return part.content.toString('utf8');
}

function eventUrl(text: string): string | null {
	const vevent = new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!;
	return (vevent.getFirstPropertyValue('url') as string | null) ?? null;
}

async function inviteAndReadToken(email: string): Promise<{ token: string; mail: ParsedMail }> {
	const seen = smtp.mails.length;
	const result = await inviteGuest(
		meeting.id,
		{ name: 'Dr Pierre Renaud', rpps: null, email, caseId: net.caseId },
		net.coordinator,
		now
	);
	expect(result).toMatchObject({ ok: true, mails: { sent: 1 } });
	const [mail] = (await smtp.waitFor(seen + 1, 15_000)).slice(seen);
	const token = /https:\/\/pluri\.test\/invitation\/([A-Za-z0-9_-]+)/.exec(mail!.text ?? '')![1]!;
	return { token, mail: mail! };
}

async function download(token: string): Promise<Response> {
	return (await guestCalendar({
		params: { token },
		getClientAddress: () => '192.0.2.20'
	} as unknown as Parameters<typeof guestCalendar>[0])) as Response;
}

describe('the guest’s calendar entry', () => {
	let token = '';

	it('opens her invitation link from the mailed invite, never the page behind the login', async () => {
		const sent = await inviteAndReadToken('p.renaud@test.mssante.fr');
		token = sent.token;
		const link = `https://pluri.test/invitation/${token}`;
		const ics = calendarText(sent.mail);
		expect(eventUrl(ics)).toBe(link);
		const invite = parseInvite(ics);
		expect(invite).toMatchObject({ method: 'REQUEST', uid: meetingUid(meeting.id) });
		expect(invite.description).toContain(link);
		expect(ics).not.toContain('/meetings/');
		// An outside recipient's row keeps neither the text nor the attachment's content.
		const row = (await queryOne(
			db.select().from(mailMessages).where(eq(mailMessages.to, 'p.renaud@test.mssante.fr'))
		))!;
		expect(row).toMatchObject({ status: 'sent', recipientUserId: null, text: '' });
		expect(row.attachments.map((a) => a.content)).toEqual(['']);
		expect(JSON.stringify(row)).not.toContain(token);
	});

	it('keeps no working token in the stored .ics when the guest address has a Pluri inbox', async () => {
		const outsider = (await queryOne(db.select().from(users).where(eq(users.id, net.outsiderId))))!;
		const sent = await inviteAndReadToken(outsider.email);
		expect(eventUrl(calendarText(sent.mail))).toBe(`https://pluri.test/invitation/${sent.token}`);
		const row = (await queryOne(
			db
				.select()
				.from(mailMessages)
				.where(
					and(eq(mailMessages.to, outsider.email), eq(mailMessages.recipientUserId, outsider.id))
				)
		))!;
		const stored = row.attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
		const ics = Buffer.from(stored.content, 'base64').toString('utf8');
		expect(ics).toContain('BEGIN:VEVENT');
		expect(ics).not.toContain(sent.token);
		expect(ics).toContain(REDACTED_LINK);
		expect(JSON.stringify(row)).not.toContain(sent.token);
	});

	it('downloads her slot as an .ics from her link, parsed back by ical.js', async () => {
		const response = await download(token);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
		const text = await response.text();
		const parsed = parseInvite(text);
		expect(parsed).toMatchObject({
			method: 'PUBLISH',
			uid: meetingUid(meeting.id),
			status: 'CONFIRMED'
		});
		expect(parsed.start.getTime()).toBe(meeting.startsAt.getTime());
		expect(parsed.end.getTime()).toBe(meeting.endsAt.getTime());
		expect(eventUrl(text)).toBe(`https://pluri.test/invitation/${token}`);
		expect(text).not.toContain('/meetings/');
	});

	it('answers 404 for an unknown or a revoked link', async () => {
		await expect(download('unknown-token-00000000000000')).rejects.toThrow(
			expect.objectContaining({ status: 404 })
		);
		const inv = (await queryOne(
			db
				.select()
				.from(invitations)
				.where(
					and(
						eq(invitations.meetingId, meeting.id),
						eq(invitations.guestEmail, 'p.renaud@test.mssante.fr')
					)
				)
		))!;
		expect(await revokeInvitation(inv.id, net.coordinator, now)).toMatchObject({ ok: true });
		await expect(download(token)).rejects.toThrow(expect.objectContaining({ status: 404 }));
	});
});
