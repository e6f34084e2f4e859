import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '$lib/server/auth/access';
import type { AuditContext } from '$lib/server/audit';
import { auditEvents, invitations, mailMessages, users } from '$lib/server/db/schema';
import { resetMailTransport, sendMail } from '$lib/server/mail';
import {
	formatMailboxCursor,
	listDeliveriesKeptInPluri,
	listInbox,
	listMailDeliveries,
	MAILBOX_PAGE,
	parseMailboxCursor
} from '$lib/server/mailbox';
import { load as adminLoad } from '../../src/routes/(app)/admin/mailbox/+page.server';
import { load as inboxLoad } from '../../src/routes/(app)/mailbox/+page.server';
import { load as mailLoad } from '../../src/routes/(app)/mailbox/[mailId]/+page.server';
import { GET as attachmentGet } from '../../src/routes/(app)/mailbox/[mailId]/attachments/[index]/+server';
import { migratedDb, queryOne, queryRows } from '../support/db';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp';
import { createNetwork } from './meetings-fixtures';
import { addMeeting } from '$lib/server/meeting-planning';
import { inviteGuest } from '$lib/server/guest-invitations';
import { describeMailTally } from '$lib/server/invitation-mails';

const db = await migratedDb();
const net = await createNetwork(db);
const [julien, nicolas] = net.memberIds as [string, string];
const adminId = crypto.randomUUID();
const address = (key: string) => `${key}.onco-digestive@test.mssante.fr`;
let smtp: SmtpCatcher;

beforeAll(async () => {
	smtp = await startSmtpCatcher();
	process.env.ORIGIN = 'https://pluri.test';
	await db.insert(users).values({
		id: adminId,
		email: 'admin@test.pluri.fr',
		firstName: 'Ada',
		lastName: 'Admin',
		sector: 'other',
		isAdmin: true,
		createdAt: new Date(0)
	});
});
afterAll(async () => {
	delete process.env.SMTP_URL;
	delete process.env.ORIGIN;
	resetMailTransport();
	await smtp.close();
});

function actorOf(id: string, isAdmin = false): Actor {
	return { kind: 'user', id, isAdmin, rpps: null, specialty: null, memberships: [] };
}

function localsOf(id: string, isAdmin = false) {
	const audit: AuditContext = { actorType: 'user', actorId: id, ip: '10.1.1.1' };
	return {
		user: { id, isAdmin, memberships: [], displayName: id },
		actor: actorOf(id, isAdmin),
		audit
	};
}

type LoadEvent = Parameters<typeof mailLoad>[0];

async function openAs(userId: string, mailId: string): Promise<unknown> {
	return mailLoad({
		locals: localsOf(userId),
		params: { mailId },
		url: new URL(`https://pluri.test/mailbox/${mailId}`)
	} as unknown as LoadEvent);
}

async function downloadAs(userId: string, mailId: string, index: number): Promise<Response> {
	return attachmentGet({
		locals: localsOf(userId),
		params: { mailId, index: String(index) }
	} as unknown as Parameters<typeof attachmentGet>[0]);
}

async function statusOf(run: () => unknown): Promise<number> {
	try {
		await run();
		return 200;
	} catch (e) {
		return (e as { status?: number }).status ?? 500;
	}
}

let decisionMailId = '';

describe('each user’s own inbox', () => {
	it('lists only the mails addressed to the account, newest first', async () => {
		delete process.env.SMTP_URL;
		resetMailTransport();
		const decision = await sendMail({
			to: address('julien'),
			subject: 'Proposition thérapeutique — patient J. D.',
			text: 'Votre patient(e) J. D., né en 1954, a été discuté(e).',
			kind: 'decision',
			attachments: [
				{ filename: 'fiche.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7') }
			]
		});
		decisionMailId = decision.mailId;
		await sendMail({
			to: address('nicolas'),
			subject: 'Pour Nicolas',
			text: 'x',
			kind: 'case_scheduled'
		});
		await sendMail({
			to: 'dehors@exemple.fr',
			subject: 'Dehors',
			text: 'x',
			kind: 'case_scheduled'
		});
		expect((await listInbox(julien)).map((m) => m.subject)).toEqual([
			'Proposition thérapeutique — patient J. D.'
		]);
		expect((await listInbox(nicolas)).map((m) => m.subject)).toEqual(['Pour Nicolas']);
		expect(await listInbox(net.chairId)).toEqual([]);
		const page = (await inboxLoad({
			locals: localsOf(julien),
			url: new URL('https://pluri.test/mailbox')
		} as unknown as Parameters<typeof inboxLoad>[0])) as { mails: { id: string }[] };
		expect(page.mails.map((m) => m.id)).toEqual([decisionMailId]);
	});

	it('opens a mail for its recipient only, and audits the reading of patient data', async () => {
		const reads = async () =>
			await db
				.select()
				.from(auditEvents)
				.where(and(eq(auditEvents.action, 'mail.read'), eq(auditEvents.objectId, decisionMailId)));
		const data = (await openAs(julien, decisionMailId)) as { mail: { text: string } };
		expect(data.mail.text).toContain('J. D., né en 1954');
		expect(await reads()).toHaveLength(1);
		expect((await reads())[0]).toMatchObject({ actorId: julien, ip: '10.1.1.1' });
		expect(await statusOf(() => openAs(nicolas, decisionMailId))).toBe(404);
		expect(await statusOf(() => openAs(adminId, decisionMailId))).toBe(404);
		expect(await reads()).toHaveLength(1);
	});

	it('lets the recipient alone download an attachment', async () => {
		const response = await downloadAs(julien, decisionMailId, 0);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/pdf');
		expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('%PDF-1.7');
		const audited = await db
			.select()
			.from(auditEvents)
			.where(eq(auditEvents.action, 'mail.attachment_read'));
		expect(audited.map((a) => a.actorId)).toEqual([julien]);
		expect(await statusOf(() => downloadAs(nicolas, decisionMailId, 0))).toBe(404);
		expect(await statusOf(() => downloadAs(julien, decisionMailId, 5))).toBe(404);
	});

	it('pages back through a batch of mails stored in the same millisecond, losing none', async () => {
		const at = new Date('2027-02-05T08:00:00.123Z');
		const total = MAILBOX_PAGE + 7;
		for (let i = 0; i < total; i++) {
			await db.insert(mailMessages).values({
				to: address('helene'),
				recipientUserId: net.chairId,
				subject: `Invitation ${i}`,
				text: 'Bonjour',
				kind: 'invitation',
				messageId: `<${crypto.randomUUID()}@pluri>`,
				status: 'stored',
				createdAt: at
			});
		}
		const first = await listInbox(net.chairId);
		expect(first).toHaveLength(MAILBOX_PAGE);
		const second = await listInbox(
			net.chairId,
			parseMailboxCursor(formatMailboxCursor(first.at(-1)!))
		);
		expect(second).toHaveLength(total - MAILBOX_PAGE);
		expect(new Set([...first, ...second].map((m) => m.id)).size).toBe(total);
		expect(await listInbox(julien)).toHaveLength(1);
	});

	it('reads a plain date cursor and ignores a malformed one', () => {
		expect(parseMailboxCursor('1800000000000')).toEqual({ at: new Date(1800000000000), id: null });
		expect(parseMailboxCursor('abc')).toBeNull();
		expect(parseMailboxCursor('-5')).toBeNull();
		expect(parseMailboxCursor(null)).toBeNull();
	});
});

describe('the administrator’s delivery log', () => {
	it('shows to, subject, kind, status, time and error — never a body or an attachment', async () => {
		const load = async (q: string) =>
			(await adminLoad({
				locals: localsOf(adminId, true),
				url: new URL(`https://pluri.test/admin/mailbox${q}`)
			} as unknown as Parameters<typeof adminLoad>[0])) as { mails: Record<string, unknown>[] };
		// A decision's subject names the patient: masked, and not searchable by the administration.
		expect((await load('?q=J.%20D.')).mails).toHaveLength(0);
		const toJulien = (await load(`?q=${encodeURIComponent(address('julien'))}`)).mails;
		const data = { mails: toJulien.filter((m) => m.kind === 'decision') };
		expect(data.mails).toHaveLength(1);
		expect(data.mails[0]!.subject).toBe('Objet masqué (message concernant un patient)');
		expect(JSON.stringify(data)).not.toContain('J. D.');
		expect(Object.keys(data.mails[0]!).sort()).toEqual(
			[
				'createdAt',
				'error',
				'hasCalendar',
				'id',
				'kind',
				'sentAt',
				'status',
				'subject',
				'to'
			].sort()
		);
		expect(JSON.stringify(data)).not.toContain('né en 1954');
		const outside = await listMailDeliveries({ search: 'dehors@' });
		expect(outside[0]).toMatchObject({
			status: 'undelivered',
			error: expect.stringContaining('pas de compte Pluri')
		});
		expect(
			await statusOf(() =>
				adminLoad({
					locals: localsOf(julien),
					url: new URL('https://pluri.test/admin/mailbox')
				} as unknown as Parameters<typeof adminLoad>[0])
			)
		).toBe(403);
	});
});

describe('invitations keep no working link in the database', () => {
	const now = new Date('2027-03-01T09:00:00Z');
	let meetingId = '';

	it('gives members the meeting page in their inbox, the signed link by SMTP only', async () => {
		process.env.SMTP_URL = smtp.url;
		resetMailTransport();
		const seen = smtp.mails.length;
		const added = await addMeeting(
			net.pathwayId,
			{
				date: '2027-03-09',
				time: '17:30',
				durationMinutes: 90,
				place: 'Salle de staff 2',
				videoOffered: false,
				chairId: net.chairId,
				inviteMembers: true,
				requestId: null
			},
			net.coordinator,
			now
		);
		expect(added).toMatchObject({ ok: true, invited: 3, mails: { sent: 3, undelivered: 0 } });
		if (!added.ok) return;
		meetingId = added.meetingId;
		const received = await smtp.waitFor(seen + 3);
		const julienMail = received.slice(seen).find((m) => m.text?.includes('Dr Moreau'))!;
		const signed = /Je participerai : (\S+)/.exec(julienMail.text ?? '')![1]!;
		expect(signed).toMatch(/\/reply\/.*[?&]s=/);
		const copy = (await queryOne(
			db
				.select()
				.from(mailMessages)
				.where(and(eq(mailMessages.recipientUserId, julien), eq(mailMessages.kind, 'invitation')))
		))!;
		expect(copy.text).toContain(`Je participerai : https://pluri.test/meetings/${meetingId}`);
		expect(copy.text).not.toContain('/reply/');
		const signature = new URL(signed).searchParams.get('s')!;
		expect(JSON.stringify(await queryRows(db, sql`select * from mail_message`))).not.toContain(
			signature
		);
	});

	it('sends an outside doctor’s guest link by SMTP only; the stored row has no token', async () => {
		const seen = smtp.mails.length;
		const result = await inviteGuest(
			meetingId,
			{ name: 'Dr Pierre Renaud', rpps: null, email: 'p.renaud@exemple.mssante.fr', caseId: null },
			net.coordinator,
			now
		);
		expect(result).toMatchObject({ ok: true, mails: { sent: 1 } });
		const [mail] = (await smtp.waitFor(seen + 1)).slice(seen);
		const token = /https:\/\/pluri\.test\/invitation\/(\S+)/.exec(mail!.text ?? '')![1]!;
		const raw = JSON.stringify(await queryRows(db, sql`select * from mail_message`));
		expect(raw).not.toContain(token);
		expect(JSON.stringify(await db.select().from(invitations))).not.toContain(token);
		const row = (await queryOne(
			db.select().from(mailMessages).where(eq(mailMessages.to, 'p.renaud@exemple.mssante.fr'))
		))!;
		expect(row).toMatchObject({ recipientUserId: null, status: 'sent', kind: 'invitation' });
	});

	it('without SMTP, tells the coordinator that an outside doctor cannot get the link', async () => {
		delete process.env.SMTP_URL;
		resetMailTransport();
		const result = await inviteGuest(
			meetingId,
			{ name: 'Dr Chloé Vincent', rpps: null, email: 'c.vincent@exemple.mssante.fr', caseId: null },
			net.coordinator,
			now
		);
		expect(result).toMatchObject({ ok: true, mails: { sent: 0, stored: 0, undelivered: 1 } });
		if (result.ok) {
			expect(describeMailTally(result.mails)).toMatch(
				/^1 message\(s\) non remis : aucun serveur de messagerie n’est configuré/
			);
		}
		const row = (await queryOne(
			db.select().from(mailMessages).where(eq(mailMessages.to, 'c.vincent@exemple.mssante.fr'))
		))!;
		expect(row.status).toBe('undelivered');
		expect(row.error).toMatch(/aucun serveur de messagerie/);
		expect(row.text).not.toMatch(/\/invitation\/[A-Za-z0-9_-]{20,}/);
		expect(row.text).toContain('[lien personnel, envoyé par messagerie sécurisée]');
	});
});

describe('a decision delivery only kept in the Pluri mailbox', () => {
	it('is told apart from one an outside SMTP server accepted (« Transmis » only for the latter)', async () => {
		delete process.env.SMTP_URL;
		resetMailTransport();
		const kept = await sendMail({
			to: address('julien'),
			subject: 'Proposition thérapeutique — patient M. J. D.',
			text: 'Conservé seulement.',
			kind: 'decision',
			messageId: '<decision-kept@pluri.test>'
		});
		expect(kept.status).toBe('stored');
		process.env.SMTP_URL = smtp.url;
		resetMailTransport();
		const sent = await sendMail({
			to: address('julien'),
			subject: 'Proposition thérapeutique — patient M. J. D.',
			text: 'Parti par SMTP.',
			kind: 'decision',
			messageId: '<decision-sent@pluri.test>'
		});
		delete process.env.SMTP_URL;
		resetMailTransport();
		expect(sent.status).toBe('sent');
		const rows = [
			{ id: 'o-kept', channel: 'mail', status: 'delivered', remoteId: kept.messageId },
			{ id: 'o-sent', channel: 'mail', status: 'delivered', remoteId: sent.messageId },
			{ id: 'o-fhir', channel: 'fhir', status: 'delivered', remoteId: kept.messageId },
			{ id: 'o-pending', channel: 'mail', status: 'pending', remoteId: null }
		];
		expect([...(await listDeliveriesKeptInPluri(rows))]).toEqual(['o-kept']);
		expect((await listDeliveriesKeptInPluri([])).size).toBe(0);
	});
});
