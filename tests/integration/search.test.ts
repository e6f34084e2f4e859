import { and, eq, ne } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { computeInsKey, formatIns } from '$lib/domain/ins';
import { parseSearchQuery } from '$lib/domain/search-query';
import { canViewCase, type UserActor } from '$lib/server/auth/access';
import { saveCaseRequest } from '$lib/server/cases';
import { seedDemoNetwork } from '$lib/server/db/seed';
import { auditEvents, cases, memberships, pathways, users } from '$lib/server/db/schema';
import { searchRecords, visibleCaseCondition, type SearchResults } from '$lib/server/search';
import { listMemberships, toActor, toSessionUser, type SessionUser } from '$lib/server/users';
import { load } from '../../src/routes/(app)/search/+page.server';
import { migratedDb } from '../support/db';
import { toCaseRef } from '$lib/server/case-refs';

const db = migratedDb();
await seedDemoNetwork();

type UserRow = typeof users.$inferSelect;
const byEmail = (key: string): UserRow =>
	db
		.select()
		.from(users)
		.where(eq(users.email, `${key}@demo.pluri.fr`))
		.get()!;
const pathwayByCode = (code: string) =>
	db.select().from(pathways).where(eq(pathways.code, code)).get()!;
const digestive = pathwayByCode('onco-digestive');
const heart = pathwayByCode('heart-failure');

/** A user holding `role` in `pathway` and no role at all in `notIn`. */
function userWithRole(pathwayId: string, role: string, notIn?: string): UserRow {
	const candidates = db
		.select({ u: users })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.pathwayId, pathwayId), eq(memberships.role, role as 'chair')))
		.all()
		.map((r) => r.u)
		.filter((u) => !u.isAdmin);
	const found = candidates.find(
		(u) => !notIn || !listMemberships(u.id).some((m) => m.pathwayId === notIn)
	);
	if (!found) throw new Error(`no ${role} of ${pathwayId}`);
	return found;
}

const gp = byEmail('j.moreau');
const admin = byEmail('admin');
const coordinator = userWithRole(digestive.id, 'coordinator');
const otherChair = userWithRole(heart.id, 'chair', digestive.id);

function actorOf(u: UserRow): UserActor {
	const user: SessionUser = toSessionUser(u);
	return toActor(user);
}
const auditOf = (u: UserRow) => ({ actorType: 'user' as const, actorId: u.id, ip: '192.0.2.7' });

const nir13 = '2610471076123';
const INS = nir13 + computeInsKey(nir13);
const created = saveCaseRequest(
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
const patientId = db.select().from(cases).where(eq(cases.id, caseId)).get()!.patientId;

function search(u: UserRow, q: string, status: string | null = null) {
	return searchRecords(actorOf(u), { query: parseSearchQuery(q), status }, auditOf(u));
}

const searchRows = () =>
	db.select().from(auditEvents).where(eq(auditEvents.action, 'search.results')).all();

describe('the search scope is canViewCase, in SQL', () => {
	it('gives every user of the demo network exactly the cases canViewCase lets them see', () => {
		const all = db.select().from(cases).all();
		const refs = all.map((c) => ({ id: c.id, ref: toCaseRef(c) }));
		const people = db.select().from(users).where(ne(users.isAdmin, true)).all();
		let someSeeSome = false;
		let someSeeLess = false;
		for (const u of people) {
			const actor = actorOf(u);
			const bySql = new Set(
				db
					.select({ id: cases.id })
					.from(cases)
					.where(visibleCaseCondition(actor))
					.all()
					.map((r) => r.id)
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
	it('finds the patient by name without accents or case, by birth date and by INS', () => {
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
			const r = search(coordinator, q);
			expect(
				r.patients.map((p) => p.id),
				q
			).toContain(patientId);
			expect(
				r.cases.map((c) => c.id),
				q
			).toContain(caseId);
		}
		const hit = search(coordinator, 'leveque').patients.find((p) => p.id === patientId)!;
		expect(hit).toMatchObject({ birthName: 'LÉVÊQUE', latestCaseId: caseId, caseCount: 1 });
		expect(hit.ins).toBe(formatIns(INS));
	});

	it('finds cases by words of the question, and by status', () => {
		expect(search(coordinator, 'hepatectomie chimiotherapie').cases.map((c) => c.id)).toContain(
			caseId
		);
		expect(search(coordinator, 'hepatectomie', 'draft').cases.map((c) => c.id)).toContain(caseId);
		expect(search(coordinator, 'hepatectomie', 'scheduled').cases.map((c) => c.id)).not.toContain(
			caseId
		);
		const drafts = search(coordinator, '', 'draft');
		expect(drafts.cases.every((c) => c.status === 'draft')).toBe(true);
		expect(drafts.cases.map((c) => c.id)).toContain(caseId);
	});

	it('searches the question among cases in progress, and closed ones when their status is picked', () => {
		const closed = db
			.select()
			.from(cases)
			.all()
			.find(
				(c) =>
					(c.status === 'decided' || c.status === 'delivered') &&
					canViewCase(actorOf(coordinator), toCaseRef(c)) &&
					/[A-Za-zÀ-ÿ]{7,}/.test(c.question)
			)!;
		expect(closed).toBeDefined();
		const word = closed.question.match(/[A-Za-zÀ-ÿ]{7,}/)![0];
		expect(search(coordinator, word).cases.map((c) => c.id)).not.toContain(closed.id);
		expect(search(coordinator, word, closed.status).cases.map((c) => c.id)).toContain(closed.id);
	});

	it('does not match a name in the middle of another one', () => {
		expect(search(coordinator, 'eveque').patients.map((p) => p.id)).not.toContain(patientId);
	});

	it('shows the GP requester their own patient and nothing they may not see', () => {
		const r = search(gp, 'leveque');
		expect(r.patients.map((p) => p.id)).toEqual([patientId]);
		const everything = search(gp, '', 'scheduled');
		const actor = actorOf(gp);
		for (const c of everything.cases) {
			expect(
				canViewCase(actor, toCaseRef(db.select().from(cases).where(eq(cases.id, c.id)).get()!))
			).toBe(true);
		}
	});

	it('finds nothing for a chair of another pathway, nor for the administrator', () => {
		for (const q of ['leveque', '17/04/1961', INS, 'hepatectomie']) {
			const r = search(otherChair, q);
			expect(
				r.patients.map((p) => p.id),
				q
			).not.toContain(patientId);
			expect(
				r.cases.map((c) => c.id),
				q
			).not.toContain(caseId);
		}
		const before = searchRows().length;
		const r = search(admin, 'leveque');
		expect(r.patients).toEqual([]);
		expect(r.cases).toEqual([]);
		expect(searchRows().length).toBe(before);
	});

	it('bounds the lists at 50 and says when there is more', () => {
		for (let i = 0; i < 52; i++) {
			const c = saveCaseRequest(
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
		const before = searchRows().length;
		const r = search(coordinator, 'tronchet');
		expect(r.patients).toHaveLength(50);
		expect(r.morePatients).toBe(true);
		expect(r.cases).toHaveLength(50);
		expect(r.moreCases).toBe(true);
		const rows = searchRows();
		expect(rows.length).toBe(before + 1);
		const detail = JSON.parse(rows.at(-1)!.detail!) as { patients: string[]; truncated?: boolean };
		expect(detail.truncated).toBe(true);
		expect(rows.at(-1)!.patientId).toBeNull();
	});
});

describe('audit of a search', () => {
	it('writes one row per search listing what was shown, none when nothing is shown', () => {
		const before = searchRows().length;
		const r = search(coordinator, 'leveque');
		const rows = searchRows();
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

		expect(search(coordinator, 'zzzzqqq').patients).toEqual([]);
		expect(search(otherChair, 'leveque').patients).toEqual([]);
		expect(searchRows().length).toBe(before + 1);
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
	const run = (u: UserRow, query: string): SearchPageData => {
		const user = toSessionUser(u);
		return load({
			locals: { user, actor: toActor(user), audit: auditOf(u) },
			url: new URL(`http://pluri.test/search${query}`)
		} as unknown as LoadEvent) as unknown as SearchPageData;
	};

	it('tells the administrator the search is not theirs, and reads nothing', () => {
		const before = searchRows().length;
		const data = run(admin, '?q=leveque');
		expect(data.adminOnly).toBe(true);
		expect(data.results).toBeNull();
		expect(searchRows().length).toBe(before);
	});

	it('keeps the typed value and explains an impossible date or INS key', () => {
		const data = run(coordinator, '?q=31%2F02%2F1961');
		expect(data.error).toMatch(/JJ\/MM\/AAAA/);
		expect(data.values.q).toBe('31/02/1961');
		const wrong = run(coordinator, `?q=${nir13}${computeInsKey(nir13) === '01' ? '02' : '01'}`);
		expect(wrong.error).toMatch(/clé/);
		expect(wrong.error).not.toContain(computeInsKey(nir13));
	});

	it('shows results with links for a coordinator', () => {
		const data = run(coordinator, '?q=leveque&statut=nimporte');
		expect(data.values.statut).toBe('');
		expect(data.results!.patients.map((p) => p.latestCaseId)).toContain(caseId);
	});
});
