// The objects of the demo network the matrix asks for, and the actors who ask. Facts about each
// object come from the app's own loaders on the server's database; the pure policy of access.ts
// then says who may reach it (tests/matrix/oracle.ts).
import { and, eq, inArray, isNotNull, isNull } from 'drizzle-orm';
import { getDb, queryOne, getSqliteClient } from '../../src/lib/server/db';
import {
	mailMessages,
	cases,
	decisions,
	documents,
	establishments,
	invitations,
	meetingSeries,
	meetings,
	pathways,
	users
} from '../../src/lib/server/db/schema';
import { hashToken } from '../../src/lib/server/tokens';
import { sendMail } from '../../src/lib/server/mail';
import { getCalendarFeedUrl } from '../../src/lib/server/calendar-feed';
import { buildReplyLink } from '../../src/lib/server/invitation-mails';

export const demoPassword = 'Demo-Pluri-2026';

/** The accounts of the matrix: one per role of DESIGN §2, across two pathways. */
export const accountKeys = [
	'admin',
	'coordination', // coordinator of the three oncology pathways
	'coordination.ic', // coordinator of heart failure
	'h.rousseau', // chair of digestive and breast, member of thoracic
	'c.faure', // chair of thoracic, member of digestive
	'j.moreau', // member of digestive (surgeon)
	'n.garnier', // member of every oncology pathway
	'p.fontaine', // chair of heart failure
	'e.dumas', // member of heart failure
	'p.renaud' // GP, no pathway (requester of some cases)
] as const;

export type AccountKey = (typeof accountKeys)[number];

export const emailOf = (key: string): string => `${key}@demo.pluri.fr`;

export interface Objects {
	caseIds: string[];
	caseDocuments: { caseId: string; documentId: string }[];
	meetingIds: string[];
	meetingCases: { meetingId: string; caseId: string }[];
	meetingDocuments: { meetingId: string; documentId: string }[];
	pathwayIds: string[];
	pathwaySeries: { pathwayId: string; seriesId: string }[];
	userIds: string[];
	establishmentIds: string[];
	mailIds: string[];
	specialtyCodes: string[];
	guests: { token: string; caseId: string; meetingId: string; invitationId: string }[];
	guestDocuments: { token: string; documentId: string; ownCase: boolean }[];
	replyLinks: { invitationId: string; meetingId: string; query: string; valid: boolean }[];
	feeds: { feed: string; valid: boolean }[];
}

function pickSpread<T>(rows: T[], n: number): T[] {
	if (rows.length <= n) return rows;
	const step = rows.length / n;
	return Array.from({ length: n }, (_, i) => rows[Math.floor(i * step)]!);
}

/** A guest link for a case of the pathway, made as the coordinator's « inviter le médecin traitant » would. */
async function makeGuest(caseRow: {
	id: string;
	meetingId: string | null;
}): Promise<Objects['guests'][number]> {
	const token = `matrix${crypto.randomUUID().replaceAll('-', '')}`.slice(0, 43).padEnd(43, 'x');
	const id = crypto.randomUUID();
	await getDb()
		.insert(invitations)
		.values({
			id,
			meetingId: caseRow.meetingId!,
			guestName: 'Dr Invitée Matrice',
			guestEmail: `invitee-${id.slice(0, 8)}@example.fr`,
			caseId: caseRow.id,
			tokenHash: hashToken(token),
			sentAt: new Date()
		});
	return { token, caseId: caseRow.id, meetingId: caseRow.meetingId!, invitationId: id };
}

export async function collectObjects(): Promise<Objects> {
	const db = getDb();
	const allPathways = await db.select().from(pathways);
	const byCode = new Map(allPathways.map((p) => [p.code, p.id]));
	const digestive = byCode.get('onco-digestive')!;
	const heart = byCode.get('heart-failure')!;

	// Cases of every status, across the pathways.
	const caseRows = await db.select().from(cases);
	const chosenCases = [
		...['scheduled', 'delivered', 'submitted', 'draft', 'refused'].flatMap((status) =>
			pickSpread(
				caseRows.filter((c) => c.status === status),
				status === 'scheduled' || status === 'delivered' ? 2 : 1
			)
		)
	];
	const caseIds = chosenCases.map((c) => c.id);
	const docs = await db.select().from(documents).where(inArray(documents.caseId, caseIds));
	const caseDocuments = chosenCases.flatMap((c) => {
		const d = docs.find((x) => x.caseId === c.id);
		return d ? [{ caseId: c.id, documentId: d.id }] : [];
	});

	const meetingRows = await db.select().from(meetings);
	const withCases = new Set(caseRows.map((c) => c.meetingId).filter(Boolean));
	const chosenMeetings = [
		...pickSpread(
			meetingRows.filter((m) => m.status === 'scheduled' && withCases.has(m.id)),
			2
		),
		...pickSpread(
			meetingRows.filter((m) => m.status === 'closed'),
			1
		),
		...pickSpread(
			meetingRows.filter((m) => m.pathwayId === heart && m.status === 'scheduled'),
			1
		)
	];
	const meetingIds = [...new Set(chosenMeetings.map((m) => m.id))];
	const meetingCases = meetingIds.flatMap((meetingId) => {
		const c = caseRows.find((x) => x.meetingId === meetingId);
		return c ? [{ meetingId, caseId: c.id }] : [];
	});
	const meetingDocuments = (
		await Promise.all(
			meetingCases.map(async ({ meetingId, caseId }) => {
				const d = await queryOne(db.select().from(documents).where(eq(documents.caseId, caseId)));
				return d ? [{ meetingId, documentId: d.id }] : [];
			})
		)
	).flat();
	// A case of another meeting, to be asked for under the wrong meeting.
	const strayCase = caseRows.find((c) => c.meetingId && c.meetingId !== meetingIds[0]);
	if (strayCase && meetingIds[0])
		meetingCases.push({ meetingId: meetingIds[0], caseId: strayCase.id });

	const pathwayIds = [digestive, heart, byCode.get('onco-thoracic')!];
	const seriesRows = await db.select().from(meetingSeries);
	const pathwaySeries = pathwayIds.flatMap((pathwayId) => {
		const s = seriesRows.find((x) => x.pathwayId === pathwayId);
		return s ? [{ pathwayId, seriesId: s.id }] : [];
	});
	// A series asked for under another pathway.
	const heartSeries = seriesRows.find((x) => x.pathwayId === heart);
	if (heartSeries) pathwaySeries.push({ pathwayId: digestive, seriesId: heartSeries.id });

	const userIds = (
		await db
			.select({ id: users.id })
			.from(users)
			.where(inArray(users.email, [emailOf('j.moreau'), emailOf('admin')]))
	).map((u) => u.id);
	const establishmentIds = (
		await db.select({ id: establishments.id }).from(establishments).limit(1)
	).map((e) => e.id);
	// A mail in j.moreau's inbox, with an attachment: others must not read it.
	const outcome = await sendMail({
		to: emailOf('j.moreau'),
		subject: 'Proposition thérapeutique (matrice)',
		text: 'Message de la matrice d’accès.',
		kind: 'decision',
		attachments: [{ filename: 'fiche.pdf', contentType: 'application/pdf', content: '%PDF-1.7' }]
	});
	const mailIds = [outcome.mailId];

	const specialtyCodes = (
		getSqliteClient(db).prepare('SELECT code FROM specialty ORDER BY code LIMIT 1').all() as {
			code: string;
		}[]
	).map((r) => r.code);

	// Two guests, each for one case of an upcoming meeting, in two pathways.
	const guestCases = [
		caseRows.find((c) => c.status === 'scheduled' && c.pathwayId === digestive && c.meetingId),
		caseRows.find((c) => c.status === 'scheduled' && c.pathwayId !== digestive && c.meetingId)
	].filter((c): c is (typeof caseRows)[number] => !!c);
	const guests = await Promise.all(guestCases.map(makeGuest));
	guests.push({
		token: 'inconnu' + 'x'.repeat(36),
		caseId: guests[0]!.caseId,
		meetingId: guests[0]!.meetingId,
		invitationId: 'none'
	});
	const guestDocuments = (
		await Promise.all(
			guests.slice(0, 2).map(async (g) => {
				const own = await queryOne(
					db.select().from(documents).where(eq(documents.caseId, g.caseId))
				);
				const other = docs.find((d) => d.caseId !== g.caseId);
				return [
					...(own ? [{ token: g.token, documentId: own.id, ownCase: true }] : []),
					...(other ? [{ token: g.token, documentId: other.id, ownCase: false }] : [])
				];
			})
		)
	).flat();

	const invitation = (await queryOne(
		db
			.select()
			.from(invitations)
			.where(
				and(
					isNotNull(invitations.meetingId),
					isNotNull(invitations.userId),
					isNull(invitations.revokedAt)
				)
			)
	))!;
	const valid = new URL(await buildReplyLink(invitation.id, invitation.meetingId!)).search.slice(1);
	const replyLinks = [
		{ invitationId: invitation.id, meetingId: invitation.meetingId!, query: valid, valid: true },
		{
			invitationId: invitation.id,
			meetingId: invitation.meetingId!,
			query: 's=' + 'A'.repeat(43),
			valid: false
		},
		{
			invitationId: invitation.id,
			meetingId: meetingIds.find((m) => m !== invitation.meetingId)!,
			query: valid,
			valid: false
		}
	];

	const someone = (await queryOne(
		db
			.select()
			.from(users)
			.where(eq(users.email, emailOf('j.moreau')))
	))!;
	const feedUrl = (await getCalendarFeedUrl(someone.id))!;
	const feed = feedUrl.split('/').pop()!;
	const feeds = [
		{ feed, valid: true },
		{ feed: feed.slice(0, -4).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) + '.ics', valid: false }
	];

	return {
		caseIds,
		caseDocuments,
		meetingIds,
		meetingCases,
		meetingDocuments,
		pathwayIds,
		pathwaySeries,
		userIds,
		establishmentIds,
		mailIds,
		specialtyCodes,
		guests,
		guestDocuments,
		replyLinks,
		feeds
	};
}

/** Whose inbox a mail is in. */
export async function mailRecipient(mailId: string): Promise<string | null> {
	return (
		(
			await queryOne(
				getDb()
					.select({ to: mailMessages.recipientUserId })
					.from(mailMessages)
					.where(eq(mailMessages.id, mailId))
			)
		)?.to ?? null
	);
}

/** Decisions of a case (latest status), for the decision routes' expectations. */
export async function latestDecisionStatus(caseId: string): Promise<string | null> {
	const rows = await getDb()
		.select({ status: decisions.status, version: decisions.version })
		.from(decisions)
		.where(eq(decisions.caseId, caseId));
	if (!rows.length) return null;
	return rows.sort((a, b) => b.version - a.version)[0]!.status;
}
