import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { and, eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { isActionFailure, isHttpError } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, cases, outbox, patients, users } from '$lib/server/db/schema';
import { describeCdaCorrections } from '$lib/server/delivery/cda-corrections';
import { resendWithCda } from '$lib/server/delivery/cda-resend';
import { drainDeliveries } from '$lib/server/delivery/worker';
import { resetMailTransport } from '$lib/server/mail';
import { toActor, toSessionUser } from '$lib/server/users';
import {
	actions,
	load
} from '../../src/routes/(app)/cases/[caseId]/record-correction/+page.server';
import { migratedDb, queryOne } from '../support/db';
import { startFhirFake, type FhirFake } from '../support/fhir-fake.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp';
import { createDecisionWorld, proposal } from './decisions-fixtures';
import { validateDecision } from '$lib/server/decision-validation';

/**
 * « Compléter pour le DMP »: a decision whose Fiche RCP (CDA) was held back is corrected after
 * the meeting by the pathway's coordinator (audited, the proposal untouched), then « Renvoyer
 * avec la fiche CDA » sends it, valid for the ANS validators when they are on the machine.
 */

const db = await migratedDb();
const world = await createDecisionWorld(db);
// A second pathway: its coordinator is a stranger to the first one's cases.
const other = await createDecisionWorld(db);
const checker = resolve(process.cwd(), '../shared/validators/cda/check-cda');
const saxon = '/usr/share/java/Saxon-HE.jar';
const haveChecker = existsSync(checker) && existsSync(saxon);
if (!haveChecker) {
	console.warn(
		`[cda-correction.test] ANS validators skipped: ${existsSync(checker) ? `${saxon} missing (apt-get install libsaxonhe-java libxml2-utils)` : `${checker} not found (../shared absent)`}.`
	);
}
const dir = mkdtempSync(join(tmpdir(), 'pluri-cda-fix-'));

let fhir: FhirFake;
let smtp: SmtpCatcher;
beforeAll(async () => {
	fhir = await startFhirFake();
	smtp = await startSmtpCatcher();
	process.env.FHIR_BASE_URL = fhir.url;
	process.env.SMTP_URL = smtp.url;
	resetMailTransport();
});
afterAll(async () => {
	delete process.env.FHIR_BASE_URL;
	delete process.env.SMTP_URL;
	resetMailTransport();
	await fhir.close();
	await smtp.close();
	rmSync(dir, { recursive: true, force: true });
});

const policy = { baseMs: 1000, capMs: 8000, maxAttempts: 4 };
const noTnm = {
	primarySite: 'C20',
	histology: 'Adénocarcinome',
	phase: 'initial',
	cT: '',
	cN: '',
	cM: '',
	who: '1'
};

async function localsOf(userId: string): Promise<App.Locals> {
	const u = (await queryOne(db.select().from(users).where(eq(users.id, userId))))!;
	const user = await toSessionUser(u);
	return {
		user,
		actor: toActor(user),
		audit: { actorType: 'user', actorId: u.id, ip: '192.0.2.7' }
	} as unknown as App.Locals;
}

type ActionEvent = Parameters<(typeof actions)['tumour']>[0];
type LoadEvent = Parameters<typeof load>[0];

async function event(caseId: string, userId: string, body?: Record<string, string>) {
	const url = new URL(`http://pluri.test/cases/${caseId}/record-correction`);
	const request = new Request(url, {
		method: body ? 'POST' : 'GET',
		...(body ? { body: new URLSearchParams(body) } : {})
	});
	return { params: { caseId }, locals: await localsOf(userId), request, url };
}

async function act(
	name: 'tumour' | 'identity',
	caseId: string,
	userId: string,
	body: Record<string, string>
) {
	return actions[name]!((await event(caseId, userId, body)) as unknown as ActionEvent);
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

async function decided(pathwayData: Record<string, string>) {
	const m = await world.newMeeting();
	const caseId = await world.newCase(m, { pathwayData });
	await world.checkIn(m, world.quorumPeople);
	const r = await validateDecision(caseId, m, proposal(), world.chair);
	if (!r.ok) throw new Error(r.message);
	return { caseId, decisionId: r.decisionId };
}

const auditOf = async (action: string, objectId: string) =>
	await db
		.select()
		.from(auditEvents)
		.where(and(eq(auditEvents.action, action), eq(auditEvents.objectId, objectId)));

describe('completing a decided case for the DMP, then resending with the CDA', () => {
	it('missing TNM → the coordinator completes it → « renvoyer » carries a CDA the validators accept', async () => {
		const { caseId, decisionId } = await decided(noTnm);
		await drainDeliveries({ policy });
		const rowsOf = async () =>
			await db.select().from(outbox).where(eq(outbox.decisionId, decisionId));
		expect((await rowsOf()).length).toBeGreaterThanOrEqual(2);
		expect((await rowsOf()).every((r) => /stade TNM clinique/.test(r.cdaWithheld ?? ''))).toBe(
			true
		);
		const dataOf = async () =>
			(await queryOne(db.select().from(cases).where(eq(cases.id, caseId))))!.pathwayData;
		const before = JSON.stringify(await dataOf());

		// A member of the pathway, another pathway's coordinator: 403, nothing changes.
		for (const stranger of [world.surgeonId, world.chairId, other.coordinatorId]) {
			expect(
				await statusOf(async () => load((await event(caseId, stranger)) as unknown as LoadEvent))
			).toBe(403);
			expect(
				await statusOf(() => act('tumour', caseId, stranger, { primarySite: 'C20', cT: 'T3' }))
			).toBe(403);
			expect(
				await statusOf(() => act('identity', caseId, stranger, { identityStatus: 'provisional' }))
			).toBe(403);
		}
		expect(JSON.stringify(await dataOf())).toBe(before);
		expect(await auditOf('case.record_correction', caseId)).toHaveLength(0);
		expect(
			(await queryOne(db.select().from(patients).where(eq(patients.id, world.patientId))))!
				.identityStatus
		).toBe('qualified');

		// The coordinator sees what is missing and that it is theirs to fix.
		const page = (await load(
			(await event(caseId, world.coordinatorId)) as unknown as LoadEvent
		)) as {
			corrections: NonNullable<Awaited<ReturnType<typeof describeCdaCorrections>>>;
		};
		expect(page.corrections.staging).toBe(true);
		expect(page.corrections.identity).toBe(false);
		expect(page.corrections.elsewhere).toEqual([]);
		expect(page.corrections.reasons.join(' ')).toMatch(/stade TNM clinique/);

		// Bad input: the form comes back with the values and a French message on the field.
		const bad = await act('tumour', caseId, world.coordinatorId, { primarySite: 'C20', cT: 'T9' });
		expect(isActionFailure(bad)).toBe(true);
		const failure = bad as unknown as {
			status: number;
			data: { values: Record<string, string>; errors: Record<string, string> };
		};
		expect(failure.status).toBe(400);
		expect(failure.data.values.cT).toBe('T9');
		expect(failure.data.errors.cT).toMatch(/n’est pas une valeur possible/);
		const none = (await act('tumour', caseId, world.coordinatorId, {
			primarySite: 'C20'
		})) as unknown as { data: { errors: Record<string, string> } };
		expect(none.data.errors.cT).toMatch(/au moins un élément du stade TNM/);
		expect(JSON.stringify(await dataOf())).toBe(before);

		const ok = await act('tumour', caseId, world.coordinatorId, {
			primarySite: 'c20',
			cT: 't3',
			cN: 'N1',
			cM: 'M0'
		});
		expect(ok).toMatchObject({ action: 'tumour', success: expect.stringMatching(/enregistrés/) });
		expect(await dataOf()).toMatchObject({
			primarySite: 'C20',
			cT: 'T3',
			cN: 'N1',
			cM: 'M0',
			who: '1'
		});
		const [row] = await auditOf('case.record_correction', caseId);
		expect(row).toBeDefined();
		expect(row!.actorId).toBe(world.coordinatorId);
		expect(row!.patientId).toBe(world.patientId);
		expect(JSON.stringify(row!.detail)).toContain(decisionId);
		expect((await describeCdaCorrections(caseId))!.reasons).toEqual([]);

		for (const r of await rowsOf()) {
			expect(await resendWithCda(r.id, world.pathwayId, world.coordinator)).toEqual({ ok: true });
		}
		await drainDeliveries({ policy });
		expect((await rowsOf()).every((r) => r.status === 'delivered' && r.cdaWithheld === null)).toBe(
			true
		);
		const mailRow = (await rowsOf()).find((r) => r.channel === 'mail')!;
		const resent = smtp.mails.find(
			(m) => m.messageId === `<decision-${mailRow.id}@pluri.localhost>`
		);
		expect(resent).toBeDefined();
		const zip = resent!.attachments.find((a) => a.contentType === 'application/zip')!;
		const cda = unzipSync(new Uint8Array(zip.content))['IHE_XDM/SUBSET01/DOC0001.XML'];
		expect(cda).toBeDefined();
		const xml = new TextDecoder().decode(cda);
		expect(xml).toContain('code="T3"');
		const [doc] = fhir.findByIdentifier(`urn:ietf:rfc:3986|urn:uuid:${decisionId}`) as unknown as {
			content: { attachment: { contentType: string } }[];
		}[];
		expect(doc!.content.map((c) => c.attachment.contentType)).toContain('text/xml');

		if (!haveChecker) return;
		const file = join(dir, 'corrected-tnm.xml');
		writeFileSync(file, xml);
		const out = await promisify(execFile)(checker, [file], { maxBuffer: 16 * 1024 * 1024 }).then(
			(r) => ({ code: 0, text: r.stdout }),
			(e: { code: number; stdout: string }) => ({ code: e.code, text: e.stdout })
		);
		console.info(`[cda-correction.test] ANS validators: ${out.text.trim().split('\n').at(-1)}`);
		expect(out.text).not.toMatch(/FAIL|XSD:/);
		expect(out.code).toBe(0);
	}, 300_000);

	it('an identity not qualified: the coordinator qualifies it, audited; the chair’s RPPS is for the administrator', async () => {
		const { caseId, decisionId } = await decided({ ...noTnm, cT: 'T3', cN: 'N1', cM: 'M0' });
		await db
			.update(patients)
			.set({ identityStatus: 'validated' })
			.where(eq(patients.id, world.patientId));
		const view = (await describeCdaCorrections(caseId))!;
		expect(view.identity).toBe(true);
		expect(view.staging).toBe(false);
		expect(view.reasons.join(' ')).toMatch(/identité du patient n’est pas qualifiée/);

		expect(
			await statusOf(() =>
				act('identity', caseId, world.surgeonId, { identityStatus: 'qualified' })
			)
		).toBe(403);
		expect(
			(await queryOne(db.select().from(patients).where(eq(patients.id, world.patientId))))!
				.identityStatus
		).toBe('validated');
		const ok = await act('identity', caseId, world.coordinatorId, { identityStatus: 'qualified' });
		expect(ok).toMatchObject({ action: 'identity' });
		expect(
			(await queryOne(db.select().from(patients).where(eq(patients.id, world.patientId))))!
				.identityStatus
		).toBe('qualified');
		const [row] = await auditOf('patient.identity_correction', world.patientId);
		expect(row).toMatchObject({ actorId: world.coordinatorId, patientId: world.patientId });
		expect(JSON.parse(String(row!.detail))).toMatchObject({
			from: 'validated',
			to: 'qualified',
			caseId,
			decisionId
		});
		expect((await describeCdaCorrections(caseId))!.reasons).toEqual([]);

		// What only the administrator can fix is said so, not offered as a form.
		await db.update(users).set({ rpps: null }).where(eq(users.id, world.chairId));
		try {
			const staff = (await describeCdaCorrections(caseId))!;
			expect(staff.reasons.join(' ')).toMatch(/RPPS/);
			expect(staff.elsewhere.join(' ')).toMatch(/RPPS.*administrateur/);
			expect(staff.identity || staff.staging).toBe(false);
		} finally {
			await db
				.update(users)
				.set({ rpps: `1009900${String(1).padStart(2, '0')}01` })
				.where(eq(users.id, world.chairId));
		}
	});

	it('a case still being prepared is not corrected here (the case page edits it)', async () => {
		const m = await world.newMeeting('scheduled');
		const caseId = await world.newCase(m, { pathwayData: noTnm });
		expect(
			await statusOf(() =>
				act('tumour', caseId, world.coordinatorId, { primarySite: 'C20', cT: 'T3' })
			)
		).toBe(403);
	});
});
