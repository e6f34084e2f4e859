import { and, eq } from 'drizzle-orm';
import { isActionFailure, isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { computeInsKey } from '$lib/domain/ins';
import { saveCaseRequest } from '$lib/server/cases';
import { seedDemoNetwork } from '$lib/server/demo/network';
import { auditEvents, cases, pathways, users } from '$lib/server/db/schema';
import { canActorSeePatient, searchPatients } from '$lib/server/patients';
import { toActor, toSessionUser, type SessionUser } from '$lib/server/users';
import { actions, load } from '../../src/routes/(app)/cases/new/+page.server';
import { migratedDb, queryOne } from '../support/db';

const db = await migratedDb();
await seedDemoNetwork();

const byEmail = async (key: string) =>
	(await queryOne(
		db
			.select()
			.from(users)
			.where(eq(users.email, `${key}@demo.pluri.fr`))
	))!;
const digestive = (await queryOne(
	db.select().from(pathways).where(eq(pathways.code, 'onco-digestive'))
))!;
// The requester of the patient's case, and a GP of the network who has nothing to do with it.
const moreau = await byEmail('j.moreau');
const outsider = await byEmail('c.vincent');
const admin = await byEmail('admin');

async function locals(u: typeof moreau): Promise<App.Locals> {
	const user: SessionUser = await toSessionUser(u);
	return {
		user,
		actor: toActor(user),
		audit: { actorType: 'user', actorId: u.id, ip: '192.0.2.9' }
	} as unknown as App.Locals;
}

const INS = (() => {
	const first13 = '2580371076777';
	return first13 + computeInsKey(first13);
})();
const identity = {
	ins: INS,
	birthName: 'SECRETAIRE',
	firstNames: ['Odile', 'Marthe'],
	sex: 'F' as const,
	birthDate: '1958-03-21',
	birthplaceCode: '71076',
	identityStatus: 'validated' as const
};

const created = await saveCaseRequest(
	{
		caseId: null,
		pathwayId: digestive.id,
		requesterId: moreau.id,
		input: {
			intent: 'draft',
			patient: { kind: 'new', identity },
			confirmNewPatient: false,
			common: {
				question: 'Chirurgie ?',
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
	{ actorType: 'user', actorId: moreau.id, ip: null }
);
if (!created.ok) throw new Error('fixture case not created');
const patientId = (await queryOne(db.select().from(cases).where(eq(cases.id, created.caseId))))!
	.patientId;

const base = `http://pluri.test/cases/new?pathway=${digestive.id}`;
type LoadEvent = Parameters<typeof load>[0];
type ActionEvent = Parameters<(typeof actions)['save']>[0];

async function runLoad(u: typeof moreau, query: string) {
	return load({ locals: await locals(u), url: new URL(base + query) } as unknown as LoadEvent);
}

async function post(
	action: 'save' | 'usePatient',
	u: typeof moreau,
	fields: Record<string, string>
) {
	const form = new FormData();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	const url = new URL(`${base}&/${action}`);
	return actions[action]!({
		locals: await locals(u),
		url,
		request: new Request(url, { method: 'POST', body: form })
	} as unknown as ActionEvent);
}

async function statusOf(run: () => unknown): Promise<number | 'ok'> {
	try {
		await run();
		return 'ok';
	} catch (e) {
		if (isHttpError(e)) return e.status;
		throw e;
	}
}

const denials = async () =>
	await db
		.select()
		.from(auditEvents)
		.where(and(eq(auditEvents.action, 'access.denied'), eq(auditEvents.objectId, patientId)));

const newRequestFields = {
	question: 'Chirurgie ?',
	identityStatus: 'validated',
	birthName: 'Secretaire',
	firstNames: 'Odile',
	sex: 'F',
	birthDate: '1958-03-21',
	intent: 'draft'
};

describe('who may see a patient', () => {
	it('follows the cases: the requester yes, an unrelated doctor and the admin no', async () => {
		expect(await canActorSeePatient((await locals(moreau)).actor, patientId)).toBe(true);
		expect(await canActorSeePatient((await locals(outsider)).actor, patientId)).toBe(false);
		expect(await canActorSeePatient((await locals(admin)).actor, patientId)).toBe(false);
		expect(await canActorSeePatient({ kind: 'anonymous' }, patientId)).toBe(false);
	});
});

describe('pre-selecting a patient on /cases/new', () => {
	it('shows the patient to a doctor who may see them', async () => {
		const data = (await runLoad(moreau, `&patient=${patientId}`)) as { chosen: { id: string } };
		expect(data.chosen.id).toBe(patientId);
	});

	it('answers 404 to anyone else, as for a patient that does not exist, and audits it', async () => {
		const before = (await denials()).length;
		expect(await statusOf(() => runLoad(outsider, `&patient=${patientId}`))).toBe(404);
		expect(await statusOf(() => runLoad(outsider, '&patient=no-such-patient'))).toBe(404);
		const rows = await denials();
		expect(rows).toHaveLength(before + 1);
		expect(rows.at(-1)).toMatchObject({ actorId: outsider.id, objectType: 'patient' });
		expect(JSON.parse(rows.at(-1)!.detail!)).toMatchObject({ entry: 'load', status: 404 });
	});

	it('refuses usePatient without the INS of that patient', async () => {
		expect(await statusOf(() => post('usePatient', outsider, { usePatient: patientId }))).toBe(404);
		const otherIns = '1580371076778' + computeInsKey('1580371076778');
		expect(
			await statusOf(() => post('usePatient', outsider, { usePatient: patientId, ins: otherIns }))
		).toBe(404);
		expect(JSON.parse((await denials()).at(-1)!.detail!)).toMatchObject({
			entry: 'action:usePatient'
		});
	});

	it('lets usePatient through when the doctor typed that exact INS (the duplicate warning)', async () => {
		const typed = `${INS.slice(0, 1)} ${INS.slice(1, 3)} ${INS.slice(3)}`;
		const result = (await post('usePatient', outsider, {
			usePatient: patientId,
			ins: typed.toLowerCase()
		})) as { chosen: { id: string }; values: Record<string, string> };
		expect(result.chosen.id).toBe(patientId);
		expect(result.values.patientId).toBe(patientId);
	});

	it('never attaches a request to a patient the doctor may not see', async () => {
		const count = async () =>
			(await db.select().from(cases).where(eq(cases.patientId, patientId))).length;
		const before = await count();
		expect(
			await statusOf(() =>
				post('save', outsider, { ...newRequestFields, patientId, intent: 'draft' })
			)
		).toBe(404);
		expect(await count()).toBe(before);
		expect(JSON.parse((await denials()).at(-1)!.detail!)).toMatchObject({ entry: 'action:save' });
	});
});

describe('duplicate warnings and searches', () => {
	it('does not reveal a look-alike patient from name and birth date alone', async () => {
		const result = await post('save', outsider, {
			...newRequestFields,
			identityStatus: 'provisional'
		});
		expect(isActionFailure(result)).toBe(true);
		const data = (result as { data: Record<string, unknown> }).data as {
			duplicates: unknown;
			errors: Record<string, string>;
		};
		expect(data.duplicates).toBeNull();
		expect(data.errors.confirmNewPatient).toMatch(/matricule INS/);
		expect(JSON.stringify(data)).not.toContain(INS);
	});

	it('offers the known patient when the doctor typed their INS', async () => {
		const result = await post('save', outsider, { ...newRequestFields, ins: INS });
		const data = (result as { data: { duplicates: { id: string }[] } }).data;
		expect(data.duplicates.map((d) => d.id)).toEqual([patientId]);
	});

	it('lists by name only the patients the doctor may see; an exact INS says « connu » only', async () => {
		const byName = { ins: null, name: 'secrétaire', birthDate: '1958-03-21' };
		expect(
			(
				await searchPatients(byName, (await locals(moreau)).actor, (await locals(moreau)).audit)
			).patients.map((p) => p.id)
		).toEqual([patientId]);
		expect(
			await searchPatients(byName, (await locals(outsider)).actor, (await locals(outsider)).audit)
		).toEqual({
			patients: [],
			knownByIns: false
		});
		expect(
			await searchPatients(
				{ ins: INS, name: null, birthDate: null },
				(await locals(outsider)).actor,
				(await locals(outsider)).audit
			)
		).toEqual({ patients: [], knownByIns: true });
	});
});
