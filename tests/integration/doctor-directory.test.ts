import { and, eq } from 'drizzle-orm';
import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { computeInsKey } from '$lib/domain/ins';
import { saveCaseRequest } from '$lib/server/cases';
import { seedDemoNetwork } from '$lib/server/demo/network';
import { cases, documents, memberships, pathways, patients, users } from '$lib/server/db/schema';
import { searchDoctorDirectory } from '$lib/server/doctor-directory';
import { toActor, toSessionUser } from '$lib/server/users';
import { actions, load } from '../../src/routes/(app)/cases/new/+page.server';
import { GET } from '../../src/routes/(app)/directory/doctors/+server';
import { migratedDb, queryOne } from '../support/db';
import { findAsync } from '../support/async-array';

const db = await migratedDb();
await seedDemoNetwork();

const byEmail = async (key: string) =>
	(await queryOne(
		db
			.select()
			.from(users)
			.where(eq(users.email, `${key}@demo.pluri.fr`))
	))!;
const actorOf = async (u: typeof users.$inferSelect) => toActor(await toSessionUser(u));
const digestive = (await queryOne(
	db.select().from(pathways).where(eq(pathways.code, 'onco-digestive'))
))!;
const requester = await byEmail('j.moreau');
const coordinator = (await queryOne(
	db
		.select({ u: users })
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(and(eq(memberships.pathwayId, digestive.id), eq(memberships.role, 'coordinator')))
))!.u;
// A doctor of the network with no role in the digestive pathway and no case of their own there.
const outsider = (await findAsync(
	await db.select().from(users),
	async (u) =>
		u.rpps !== null &&
		u.id !== requester.id &&
		!(await queryOne(
			db
				.select()
				.from(memberships)
				.where(and(eq(memberships.userId, u.id), eq(memberships.pathwayId, digestive.id)))
		))
))!;

// A GP known only from one case of the requester, never an account of the instance.
const first13 = '1700571076123';
const created = await saveCaseRequest(
	{
		caseId: null,
		pathwayId: digestive.id,
		requesterId: requester.id,
		input: {
			intent: 'draft',
			patient: {
				kind: 'new',
				identity: {
					ins: first13 + computeInsKey(first13),
					birthName: 'ANNUAIRETEST',
					firstNames: ['Paul'],
					sex: 'M',
					birthDate: '1970-05-02',
					birthplaceCode: '71076',
					identityStatus: 'validated'
				}
			},
			confirmNewPatient: false,
			common: {
				question: 'Chirurgie ?',
				summary: 'Résumé confidentiel du patient',
				referringName: null,
				referringRpps: null,
				referringEmail: null,
				gpName: 'Dr Hortense Quillebœuf',
				gpRpps: '10101010106',
				gpEmail: 'h.quilleboeuf@exemple.mssante.fr',
				meetingChoice: null
			},
			data: {}
		}
	},
	{ actorType: 'user', actorId: requester.id, ip: null }
);
if (!created.ok) throw new Error('fixture case not created');

describe('doctor directory', () => {
	it('offers the requester the GP named on their own case, with only the doctor’s identity', async () => {
		const found = await searchDoctorDirectory(await actorOf(requester), 'quillebœuf');
		expect(found).toHaveLength(1);
		expect(found[0]).toEqual({
			name: 'Dr Hortense Quillebœuf',
			rpps: '10101010106',
			email: 'h.quilleboeuf@exemple.mssante.fr',
			specialty: null,
			establishment: null,
			city: null,
			source: 'case'
		});
		expect(JSON.stringify(found)).not.toMatch(/ANNUAIRETEST|confidentiel|Chirurgie/);
		// By RPPS, its first digits or all of them.
		expect((await searchDoctorDirectory(await actorOf(requester), '10101010106'))[0]?.name).toBe(
			'Dr Hortense Quillebœuf'
		);
	});

	it('offers it to the pathway’s coordinator, not to a doctor who cannot see the case', async () => {
		expect(
			(await searchDoctorDirectory(await actorOf(coordinator), 'Hortense')).map((d) => d.rpps)
		).toContain('10101010106');
		expect(outsider).toBeDefined();
		expect(await searchDoctorDirectory(await actorOf(outsider), 'Hortense')).toEqual([]);
		expect(await searchDoctorDirectory(await actorOf(outsider), '1010101')).toEqual([]);
	});

	it('lists the accounts of the instance with specialty and establishment, not disabled ones', async () => {
		const target = (await db.select().from(users)).find(
			(u) => u.rpps !== null && u.establishmentId !== null && u.specialty !== null
		)!;
		const [first] = await searchDoctorDirectory(await actorOf(outsider), target.rpps!);
		expect(first).toMatchObject({ rpps: target.rpps, source: 'user' });
		expect(first?.name).toContain(target.lastName);
		expect(first?.specialty).toBeTruthy();
		expect(first?.establishment).toBeTruthy();
		expect(
			(await searchDoctorDirectory(await actorOf(outsider), target.lastName)).map((d) => d.rpps)
		).toContain(target.rpps);
		await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, target.id));
		expect(await searchDoctorDirectory(await actorOf(outsider), target.rpps!)).toEqual([]);
		await db.update(users).set({ disabledAt: null }).where(eq(users.id, target.id));
	});

	it('answers the autocomplete only to those who may request a case', async () => {
		const call = async (u: typeof requester) =>
			GET({
				locals: {
					user: await toSessionUser(u),
					actor: await actorOf(u),
					audit: { actorType: 'user', actorId: u.id, ip: null }
				},
				url: new URL('http://pluri.test/directory/doctors?q=Hortense')
			} as unknown as Parameters<typeof GET>[0]);
		const res = await call(requester);
		expect(((await res.json()) as { doctors: { rpps: string }[] }).doctors[0]?.rpps).toBe(
			'10101010106'
		);
		const admin = await byEmail('admin');
		await expect(
			(async () => {
				await call(admin);
			})()
		).rejects.toSatisfy((e) => isHttpError(e) && e.status === 403);
	});
});

// ---------- the request form around the directory (cases/new actions) ----------

const base = `http://pluri.test/cases/new?pathway=${digestive.id}`;
type ActionEvent = Parameters<(typeof actions)['save']>[0];

async function localsOf(u: typeof requester): Promise<App.Locals> {
	const user = await toSessionUser(u);
	return {
		user,
		actor: toActor(user),
		audit: { actorType: 'user', actorId: u.id, ip: '192.0.2.7' }
	} as unknown as App.Locals;
}

async function post(action: 'save' | 'assist' | 'autosave', u: typeof requester, form: FormData) {
	const url = new URL(`${base}&/${action}`);
	return actions[action]!({
		locals: await localsOf(u),
		url,
		request: new Request(url, { method: 'POST', body: form })
	} as unknown as ActionEvent);
}

function formOf(fields: Record<string, string>): FormData {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	return form;
}

const identityFields = {
	identityStatus: 'provisional',
	birthName: 'Formulairetest',
	firstNames: 'Jeanne',
	sex: 'F',
	birthDate: '1955-01-31',
	question: 'Chirurgie ?',
	summary: 'Résumé.',
	birthplaceWhere: 'france'
};
const pdfBytes = new TextEncoder().encode(
	'%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n'
);

describe('request form', () => {
	it('prefills the requester as referring doctor', async () => {
		const data = (await load({
			locals: await localsOf(requester),
			url: new URL(base)
		} as unknown as Parameters<typeof load>[0])) as { defaults: Record<string, string> };
		expect(data.defaults).toMatchObject({
			referringName: 'Dr Julien Moreau',
			referringRpps: requester.rpps,
			referringEmail: requester.mssanteAddress ?? ''
		});
	});

	it('searches the directory and fills the doctor picked, every value kept (no JavaScript)', async () => {
		const searched = (await post(
			'assist',
			requester,
			formOf({ ...identityFields, gpName: 'Quilleb', assist: 'gp' })
		)) as { values: Record<string, string>; lookups: { gp: { rpps: string }[] } };
		expect(searched.lookups.gp.map((d) => d.rpps)).toEqual(['10101010106']);
		expect(searched.values.birthName).toBe('Formulairetest');
		const picked = (await post(
			'assist',
			requester,
			formOf({
				...identityFields,
				pick: `gp:${JSON.stringify({ name: 'Dr H Q', rpps: '10101010106', email: 'hq@x.mssante.fr' })}`
			})
		)) as { values: Record<string, string> };
		expect(picked.values).toMatchObject({
			gpName: 'Dr H Q',
			gpRpps: '10101010106',
			gpEmail: 'hq@x.mssante.fr',
			question: 'Chirurgie ?'
		});
	});

	it('stores the birthplace typed by name as its INSEE code, and several documents', async () => {
		const form = formOf({
			...identityFields,
			birthplaceName: 'st-remy-en-bouzemont',
			intent: 'draft'
		});
		const ambiguous = (await post('save', requester, form)) as unknown as {
			status: number;
			data: { errors: Record<string, string> };
		};
		expect(ambiguous.status).toBe(400);
		expect(ambiguous.data.errors.birthplaceName).toBeTruthy();

		const ok = formOf({
			...identityFields,
			birthplaceName: 'Chalon sur Saone',
			intent: 'draft',
			meetingChoice: ''
		});
		ok.append(
			'documentsPathology',
			new File([pdfBytes], 'anapath.pdf', { type: 'application/pdf' })
		);
		ok.append('documentsImaging', new File([pdfBytes], 'scanner.pdf', { type: 'application/pdf' }));
		const redirect = await post('save', requester, ok).catch((e: unknown) => e);
		expect(redirect).toMatchObject({ status: 303 });
		const caseId = /\/cases\/([\w-]+)\?/.exec((redirect as { location: string }).location)![1]!;
		const row = (await queryOne(db.select().from(cases).where(eq(cases.id, caseId))))!;
		expect(
			(await queryOne(db.select().from(patients).where(eq(patients.id, row.patientId))))
				?.birthplaceCode
		).toBe('71076');
		expect(
			(await db.select().from(documents).where(eq(documents.caseId, caseId)))
				.map((d) => d.kind)
				.sort()
		).toEqual(['imaging', 'pathology']);
	});

	it('autosaves one draft and refuses to write into someone else’s draft', async () => {
		const first = (await post(
			'autosave',
			requester,
			formOf({ ...identityFields, birthName: 'Brouillontest', birthplaceName: '42218' })
		)) as { autosave: { saved: boolean; caseId: string; message: string } };
		expect(first.autosave.saved).toBe(true);
		expect(first.autosave.message).toMatch(/^Brouillon enregistré à \d{1,2} h/);
		const again = (await post(
			'autosave',
			requester,
			formOf({
				...identityFields,
				birthName: 'Brouillontest',
				question: 'Chirurgie ou chimiothérapie ?',
				draftCaseId: first.autosave.caseId
			})
		)) as { autosave: { caseId: string } };
		expect(again.autosave.caseId).toBe(first.autosave.caseId);
		expect(
			(await queryOne(db.select().from(cases).where(eq(cases.id, first.autosave.caseId))))?.question
		).toBe('Chirurgie ou chimiothérapie ?');
		await expect(
			post(
				'autosave',
				coordinator,
				formOf({ ...identityFields, draftCaseId: first.autosave.caseId })
			)
		).rejects.toSatisfy((e) => isHttpError(e) && e.status === 403);
	});
});
