import { and, eq, ne } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { computeInsKey, formatIns } from '$lib/domain/ins';
import { parseSearchQuery } from '$lib/domain/search-query';
import { canViewCase, type UserActor } from '$lib/server/auth/access';
import { saveCaseRequest } from '$lib/server/cases';
import { seedDemoNetwork } from '$lib/server/demo/network';
import { auditEvents, cases, memberships, pathways, users } from '$lib/server/db/schema';
import { searchRecords, visibleCaseCondition, type SearchResults } from '$lib/server/search';
import { listMemberships, toActor, toSessionUser, type SessionUser } from '$lib/server/users';
import { load } from '../../src/routes/(app)/search/+page.server';
import { migratedDb, queryOne } from '../support/db';
import { toCaseRef } from '$lib/server/case-refs';
import { findAsync } from '../support/async-array';

const db = await migratedDb();
await seedDemoNetwork();

type UserRow = typeof users.$inferSelect;
const byEmail = async (key: string): Promise<UserRow> =>
	(await queryOne(
		db
			.select()
			.from(users)
			.where(eq(users.email, `${key}@demo.pluri.fr`))
	))!;
const pathwayByCode = async (code: string) =>
	(await queryOne(db.select().from(pathways).where(eq(pathways.code, code))))!;
const digestive = await pathwayByCode('onco-digestive');
const heart = await pathwayByCode('heart-failure');

/** A user holding `role` in `pathway` and no role at all in `notIn`. */
async function userWithRole(pathwayId: string, role: string, notIn?: string): Promise<UserRow> {
	const candidates = (
		await db
			.select({ u: users })
			.from(memberships)
			.innerJoin(users, eq(users.id, memberships.userId))
			.where(and(eq(memberships.pathwayId, pathwayId), eq(memberships.role, role as 'chair')))
	)
		.map((r) => r.u)
		.filter((u) => !u.isAdmin);
	const found = await findAsync(
		candidates,
		async (u) => !notIn || !(await listMemberships(u.id)).some((m) => m.pathwayId === notIn)
	);
	if (!found) throw new Error(`no ${role} of ${pathwayId}`);
	return found;
}

const gp = await byEmail('j.moreau');
const admin = await byEmail('admin');
const coordinator = await userWithRole(digestive.id, 'coordinator');
const otherChair = await userWithRole(heart.id, 'chair', digestive.id);

async function actorOf(u: UserRow): Promise<UserActor> {
	const user: SessionUser = await toSessionUser(u);
	return toActor(user);
}
const auditOf = (u: UserRow) => ({ actorType: 'user' as const, actorId: u.id, ip: '192.0.2.7' });

const nir13 = '2610471076123';
const INS = nir13 + computeInsKey(nir13);
const created = await saveCaseRequest(
	{
		caseId: null,
		pathwayId: digestive.id,
		requesterId: gp.id,
		input: {
			intent: 'draft',
			patient: {
				kind: 'new',
				identity: {
					ins: INS,
					birthName: 'LÉVÊQUE',
					firstNames: ['Séverine', 'Anne'],
					sex: 'F',
					birthDate: '1961-04-17',
					birthplaceCode: '71076',
					identityStatus: 'validated'
				}
			},
			confirmNewPatient: false,
			common: {
				question: 'Hépatectomie droite envisageable après chimiothérapie ?',
				summary: '',
				referringName: null,
				referringRpps: null,
				referringEmail: null,
				gpName: null,
				gpRpps: null,
				gpEmail: null,
				meetingChoice: null
			},
			data: {}
		}
	},
	auditOf(gp)
);
if (!created.ok) throw new Error('fixture case not created');
const caseId = created.caseId;
const patientId = (await queryOne(db.select().from(cases).where(eq(cases.id, caseId))))!.patientId;

async function search(u: UserRow, q: string, status: string | null = null) {
	return searchRecords(await actorOf(u), { query: parseSearchQuery(q), status }, auditOf(u));
}

const searchRows = async () =>
	await db.select().from(auditEvents).where(eq(auditEvents.action, 'search.results'));

describe('the search scope is canViewCase, in SQL', () => {
	it('gives every user of the demo network exactly the cases canViewCase lets them see', async () => {
		const all = await db.select().from(cases);
		const refs = await Promise.all(all.map(async (c) => ({ id: c.id, ref: await toCaseRef(c) })));
		const people = await db.select().from(users).where(ne(users.isAdmin, true));
		let someSeeSome = false;
		let someSeeLess = false;
		for (const u of people) {
			const actor = await actorOf(u);
			const bySql = new Set(
				(await db.select({ id: cases.id }).from(cases).where(visibleCaseCondition(actor))).map(
					(r) => r.id
				)
			);
			const byPolicy = new Set(refs.filter((r) => canViewCase(actor, r.ref)).map((r) => r.id));
			expect([...bySql].sort(), u.email).toEqual([...byPolicy].sort());
			if (byPolicy.size) someSeeSome = true;
			if (byPolicy.size < all.length) someSeeLess = true;
		}
		expect(someSeeSome && someSeeLess).toBe(true);
	});
});

describe('searching patients and cases', () => {
	it('finds the patient by name without accents or case, by birth date and by INS', async () => {
		for (const q of [
			'leveque',
			'LEVEQUE severine',
			'Lévêque',
			'severine',
			'17/04/1961',
			INS,
			formatIns(INS),
			nir13
		]) {
			const r = await search(coordinator, q);
			expect(
				r.patients.map((p) => p.id),
				q
			).toContain(patientId);
			expect(
				r.cases.map((c) => c.id),
				q
			).toContain(caseId);
		}
		const hit = (await search(coordinator, 'leveque')).patients.find((p) => p.id === patientId)!;
		expect(hit).toMatchObject({ birthName: 'LÉVÊQUE', latestCaseId: caseId, caseCount: 1 });
		expect(hit.ins).toBe(formatIns(INS));
	});

	it('finds cases by words of the question, and by status', async () => {
		expect(
			(await search(coordinator, 'hepatectomie chimiotherapie')).cases.map((c) => c.id)
		).toContain(caseId);
		expect((await search(coordinator, 'hepatectomie', 'draft')).cases.map((c) => c.id)).toContain(
			caseId
		);
		expect(
			(await search(coordinator, 'hepatectomie', 'scheduled')).cases.map((c) => c.id)
		).not.toContain(caseId);
		const drafts = await search(coordinator, '', 'draft');
		expect(drafts.cases.every((c) => c.status === 'draft')).toBe(true);
		expect(drafts.cases.map((c) => c.id)).toContain(caseId);
	});

	it('searches the question among cases in progress, and closed ones when their status is picked', async () => {
		const closed = (await findAsync(
			await db.select().from(cases),
			async (c) =>
				(c.status === 'decided' || c.status === 'delivered') &&
				canViewCase(await actorOf(coordinator), await toCaseRef(c)) &&
				/[A-Za-zÀ-ÿ]{7,}/.test(c.question)
		))!;
		expect(closed).toBeDefined();
		const word = closed.question.match(/[A-Za-zÀ-ÿ]{7,}/)![0];
		expect((await search(coordinator, word)).cases.map((c) => c.id)).not.toContain(closed.id);
		expect((await search(coordinator, word, closed.status)).cases.map((c) => c.id)).toContain(
			closed.id
		);
	});

	it('does not match a name in the middle of another one', async () => {
		expect((await search(coordinator, 'eveque')).patients.map((p) => p.id)).not.toContain(
			patientId
		);
	});

	it('shows the GP requester their own patient and nothing they may not see', async () => {
		const r = await search(gp, 'leveque');
		expect(r.patients.map((p) => p.id)).toEqual([patientId]);
		const everything = await search(gp, '', 'scheduled');
		const actor = await actorOf(gp);
		for (const c of everything.cases) {
			expect(
				canViewCase(
					actor,
					await toCaseRef((await queryOne(db.select().from(cases).where(eq(cases.id, c.id))))!)
				)
			).toBe(true);
		}
	});

	it('finds nothing for a chair of another pathway, nor for the administrator', async () => {
		for (const q of ['leveque', '17/04/1961', INS, 'hepatectomie']) {
			const r = await search(otherChair, q);
			expect(
				r.patients.map((p) => p.id),
				q
			).not.toContain(patientId);
			expect(
				r.cases.map((c) => c.id),
				q
			).not.toContain(caseId);
		}
		const before = (await searchRows()).length;
		const r = await search(admin, 'leveque');
		expect(r.patients).toEqual([]);
		expect(r.cases).toEqual([]);
		expect((await searchRows()).length).toBe(before);
	});

	it('bounds the lists at 50 and says when there is more', async () => {
		for (let i = 0; i < 52; i++) {
			const c = await saveCaseRequest(
				{
					caseId: null,
					pathwayId: digestive.id,
					requesterId: gp.id,
					input: {
						intent: 'draft',
						patient: {
							kind: 'new',
							identity: {
								ins: null,
								birthName: 'TRONCHET',
								firstNames: [`Prénom${String.fromCharCode(65 + (i % 26))}${i}`],
								sex: i % 2 ? 'M' : 'F',
								birthDate: `19${40 + (i % 50)}-01-${String(1 + (i % 28)).padStart(2, '0')}`,
								birthplaceCode: null,
								identityStatus: 'provisional'
							}
						},
						confirmNewPatient: true,
						common: {
							question: 'Série pour la borne de la recherche ?',
							summary: '',
							referringName: null,
							referringRpps: null,
							referringEmail: null,
							gpName: null,
							gpRpps: null,
							gpEmail: null,
							meetingChoice: null
						},
						data: {}
					}
				},
				auditOf(gp)
			);
			if (!c.ok) throw new Error(`bulk case ${i} not created`);
		}
		const before = (await searchRows()).length;
		const r = await search(coordinator, 'tronchet');
		expect(r.patients).toHaveLength(50);
		expect(r.morePatients).toBe(true);
		expect(r.cases).toHaveLength(50);
		expect(r.moreCases).toBe(true);
		const rows = await searchRows();
		expect(rows.length).toBe(before + 1);
		const detail = JSON.parse(rows.at(-1)!.detail!) as { patients: string[]; truncated?: boolean };
		expect(detail.truncated).toBe(true);
		expect(rows.at(-1)!.patientId).toBeNull();
	});
});

describe('audit of a search', () => {
	it('writes one row per search listing what was shown, none when nothing is shown', async () => {
		const before = (await searchRows()).length;
		const r = await search(coordinator, 'leveque');
		const rows = await searchRows();
		expect(rows.length).toBe(before + 1);
		const row = rows.at(-1)!;
		expect(row.actorId).toBe(coordinator.id);
		expect(row.patientId).toBe(patientId);
		const detail = JSON.parse(row.detail!) as { by: string; patients: string[]; cases: string[] };
		expect(detail.by).toBe('text');
		expect(detail.patients).toEqual(r.patients.map((p) => p.id));
		expect(detail.cases).toEqual(r.cases.map((c) => c.id));
		// The typed text (a name) is not kept: the trail is read by the administrator.
		expect(row.detail).not.toMatch(/leveque|LÉVÊQUE/i);

		expect((await search(coordinator, 'zzzzqqq')).patients).toEqual([]);
		expect((await search(otherChair, 'leveque')).patients).toEqual([]);
		expect((await searchRows()).length).toBe(before + 1);
	});
});

interface SearchPageData {
	adminOnly: boolean;
	error: string | null;
	values: { q: string; statut: string };
	results: SearchResults | null;
}

describe('the search page', () => {
	type LoadEvent = Parameters<typeof load>[0];
	const run = async (u: UserRow, query: string): Promise<SearchPageData> => {
		const user = await toSessionUser(u);
		return (await load({
			locals: { user, actor: toActor(user), audit: auditOf(u) },
			url: new URL(`http://pluri.test/search${query}`)
		} as unknown as LoadEvent)) as unknown as SearchPageData;
	};

	it('tells the administrator the search is not theirs, and reads nothing', async () => {
		const before = (await searchRows()).length;
		const data = await run(admin, '?q=leveque');
		expect(data.adminOnly).toBe(true);
		expect(data.results).toBeNull();
		expect((await searchRows()).length).toBe(before);
	});

	it('keeps the typed value and explains an impossible date or INS key', async () => {
		const data = await run(coordinator, '?q=31%2F02%2F1961');
		expect(data.error).toMatch(/JJ\/MM\/AAAA/);
		expect(data.values.q).toBe('31/02/1961');
		const wrong = await run(
			coordinator,
			`?q=${nir13}${computeInsKey(nir13) === '01' ? '02' : '01'}`
		);
		expect(wrong.error).toMatch(/clé/);
		expect(wrong.error).not.toContain(computeInsKey(nir13));
	});

	it('shows results with links for a coordinator', async () => {
		const data = await run(coordinator, '?q=leveque&statut=nimporte');
		expect(data.values.statut).toBe('');
		expect(data.results!.patients.map((p) => p.latestCaseId)).toContain(caseId);
	});
});
