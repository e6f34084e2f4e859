import { expect, test, type Browser, type Page } from '@playwright/test';
import { and, eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	attendance,
	cases,
	decisions,
	invitations,
	meetings,
	outbox,
	pathways,
	patients,
	users
} from '../../src/lib/server/db/schema/index';
import { openE2eDb } from '../support/e2e-db';
import { expectAccessible, login } from '../support/e2e';
import { queryOne } from '../../src/lib/server/db/index';

/**
 * The decision, end to end: the chair types it during an open meeting (autosave), validates it
 * under quorum; the fiche opens; the record (FHIR fake) holds one DocumentReference; the
 * referring doctor and the GP get the mail with both attachments; the requester, the GP's link
 * and the coordination read it. The meeting is made here, apart from the demo's agendas.
 */

interface Fakes {
	fhirUrl: string;
	mailApiUrl: string;
}
/** The record's next creates fail this way (see tests/support/fhir-fake.js). */
const failFhirNext = async (...faults: unknown[]) =>
	fetch(`${fakes().mailApiUrl}/fhir/fail`, { method: 'POST', body: JSON.stringify(faults) });
interface CaughtMail {
	to: string;
	subject: string;
	messageId: string;
	headers: Record<string, string>;
	attachments: { filename: string; contentType: string; content: string }[];
}

const fakes = (): Fakes =>
	JSON.parse(
		readFileSync(
			join(tmpdir(), `pluri-e2e-${process.env.E2E_PORT ?? '4317'}`, 'delivery.json'),
			'utf8'
		)
	) as Fakes;

const db = () => openE2eDb();
const userId = async (key: string) =>
	(await queryOne(
		db()
			.select()
			.from(users)
			.where(eq(users.email, `${key}@demo.pluri.fr`))
	))!.id;

interface Setup {
	meetingId: string;
	caseIds: string[];
	guestToken: string;
	pathwayId: string;
}

/** An open digestive meeting chaired by Dr Rousseau, two cases, the quorum present, a GP's link. */
async function prepareMeeting(): Promise<Setup> {
	const pathwayId = (await queryOne(
		db().select().from(pathways).where(eq(pathways.code, 'onco-digestive'))
	))!.id;
	const chairId = await userId('h.rousseau');
	const now = Date.now();
	const meetingId = crypto.randomUUID();
	await db()
		.insert(meetings)
		.values({
			id: meetingId,
			pathwayId,
			startsAt: new Date(now - 10 * 60_000),
			endsAt: new Date(now + 80 * 60_000),
			deadlineAt: new Date(now - 48 * 3_600_000),
			status: 'open',
			openedAt: new Date(now - 9 * 60_000),
			chairId,
			place: 'Salle de staff 3 (séance de test)'
		});
	const patientIds = (
		await db()
			.select({ id: patients.id })
			.from(patients)
			.where(and(eq(patients.birthName, 'DURAND'), eq(patients.identityStatus, 'qualified')))
	).map((p) => p.id);
	const caseIds = await Promise.all(
		[0, 1, 2].map(async (i) => {
			const id = crypto.randomUUID();
			await db()
				.insert(cases)
				.values({
					id,
					patientId: patientIds[0]!,
					pathwayId,
					meetingId,
					requesterId: await userId('j.moreau'),
					presenterId: await userId('j.moreau'),
					gpName: 'Dr Pierre Renaud',
					gpRpps: '10099000159',
					gpEmail: 'p.renaud@demo.mssante.fr',
					question:
						i === 0
							? 'Chirurgie d’emblée ou traitement néoadjuvant ?'
							: 'Surveillance après résection endoscopique ?',
					summary: 'Adénocarcinome du rectum découvert sur rectorragies.',
					pathwayData: {
						primarySite: 'C20',
						histology: 'Adénocarcinome',
						phase: 'initial',
						cT: 'T3',
						cN: 'N1',
						cM: 'M0',
						who: '0'
					},
					status: i === 0 ? 'presented' : 'scheduled',
					agendaPosition: i + 1,
					submittedAt: new Date(now - 5 * 86_400_000)
				});
			return id;
		})
	);
	await db().update(meetings).set({ currentCaseId: caseIds[0] }).where(eq(meetings.id, meetingId));
	for (const key of ['h.rousseau', 'j.moreau', 'n.garnier']) {
		const u = (await queryOne(
			db()
				.select()
				.from(users)
				.where(eq(users.email, `${key}@demo.pluri.fr`))
		))!;
		await db()
			.insert(attendance)
			.values({
				meetingId,
				userId: u.id,
				identity: `checkin:user:${u.id}`,
				displayName: `${u.title} ${u.firstName} ${u.lastName}`,
				specialty: u.specialty,
				joinedAt: new Date(now - 8 * 60_000),
				source: 'check_in'
			});
	}
	const guestToken = `e2e-decision-${crypto.randomUUID().replace(/-/g, '')}`;
	await db()
		.insert(invitations)
		.values({
			meetingId,
			caseId: caseIds[0],
			guestName: 'Dr Pierre Renaud',
			guestEmail: 'p.renaud@demo.mssante.fr',
			tokenHash: createHash('sha256').update(guestToken).digest('hex'),
			reply: 'accepted',
			sentAt: new Date(),
			expiresAt: new Date(now + 30 * 86_400_000),
			createdBy: await userId('coordination')
		});
	return { meetingId, caseIds, guestToken, pathwayId };
}

async function as(browser: Browser, key: string): Promise<Page> {
	const page = await (await browser.newContext()).newPage();
	await login(page, key);
	return page;
}

async function mails(): Promise<CaughtMail[]> {
	return (await (await fetch(`${fakes().mailApiUrl}/mails`)).json()) as CaughtMail[];
}

test.describe.configure({ mode: 'serial' });

let setup: Setup;
test.beforeAll(async () => {
	setup = await prepareMeeting();
});

test('le président rédige et valide la proposition ; elle part au dossier patient et aux médecins', async ({
	page,
	browser
}) => {
	test.setTimeout(60_000);
	const [caseId] = setup.caseIds;
	const formUrl = `/meetings/${setup.meetingId}/cases/${caseId}/decision`;
	await login(page, 'h.rousseau');
	await page.goto(formUrl);
	await expect(
		page.getByRole('heading', { name: 'Proposition thérapeutique', level: 1 })
	).toBeVisible();
	await expect(page.getByText('Quorum atteint', { exact: true })).toBeVisible();
	await expectAccessible(page);

	// Typed live: the draft is saved without a click, and the room sees it.
	await page.getByRole('checkbox', { name: 'Radiothérapie' }).check();
	await page.getByRole('checkbox', { name: 'Chirurgie' }).check();
	await page
		.getByLabel('Proposition thérapeutique')
		.fill('Radiochimiothérapie préopératoire puis résection antérieure du rectum.');
	await expect(page.getByText(/Brouillon enregistré à/)).toBeVisible();
	const coordination = await as(browser, 'coordination');
	await coordination.goto(formUrl);
	await expect(
		coordination.getByText('Radiochimiothérapie préopératoire puis résection')
	).toBeVisible();
	await expect(coordination.getByRole('button', { name: 'Valider la proposition' })).toHaveCount(0);

	// A non-chair cannot validate, even by posting the form.
	const forged = await coordination.request.post(`${formUrl}?/validate`, {
		form: { proposalTypes: 'surgery', text: 'Autre', conformity: 'conform' },
		headers: { origin: new URL(page.url()).origin }
	});
	expect(forged.status()).toBe(403);

	// Validation: the conformity is missing first, then given.
	await page.getByRole('button', { name: 'Valider la proposition' }).click();
	await expect(
		page.getByText('Indiquez si la proposition est conforme au référentiel.').first()
	).toBeVisible();
	await page.getByRole('radio', { name: 'Conforme au référentiel' }).check();
	await page.getByRole('button', { name: 'Valider la proposition' }).click();
	// Before anything is recorded, the chair sees what will be: here a decision (quorum reached).
	await expect(page.getByTestId('validation-preview')).toHaveAttribute('data-outcome', 'validated');
	await expectAccessible(page);
	await page.getByRole('button', { name: 'Confirmer la validation' }).click();
	await expect(page.getByText('La proposition thérapeutique est validée')).toBeVisible();
	await expectAccessible(page);

	const decision = (await queryOne(
		db().select().from(decisions).where(eq(decisions.caseId, caseId!))
	))!;
	expect(decision).toMatchObject({ status: 'validated', quorumReached: true, version: 1 });

	// The fiche opens: a PDF, inline.
	const pdfHref = await page
		.getByRole('link', { name: 'Télécharger la fiche RCP (PDF)' })
		.getAttribute('href');
	const pdf = await page.request.get(pdfHref!);
	expect(pdf.headers()['content-type']).toBe('application/pdf');
	expect(pdf.headers()['content-disposition']).toMatch(/^inline/);
	const pdfBytes = await pdf.body();
	expect(pdfBytes.subarray(0, 5).toString()).toBe('%PDF-');

	// The record holds exactly one DocumentReference for this version.
	const identifier = encodeURIComponent(`urn:ietf:rfc:3986|urn:uuid:${decision.id}`);
	await expect
		.poll(
			async () =>
				(
					(await (
						await fetch(`${fakes().fhirUrl}/DocumentReference?identifier=${identifier}`)
					).json()) as {
						total: number;
					}
				).total,
			{ timeout: 15_000 }
		)
		.toBe(1);

	// The referring doctor and the GP each got the mail, with the PDF and the XDM zip.
	const withOurPdf = async () =>
		(await mails()).filter((m) =>
			m.attachments.some((a) => Buffer.from(a.content, 'base64').equals(pdfBytes))
		);
	await expect.poll(async () => (await withOurPdf()).length, { timeout: 15_000 }).toBe(2);
	const ours = await withOurPdf();
	expect(ours.map((m) => m.to).sort()).toEqual([
		'j.moreau@demo.mssante.fr',
		'p.renaud@demo.mssante.fr'
	]);
	for (const mail of ours) {
		expect(mail.headers['x-mss-codecda']).toContain('34794-8');
		const zip = mail.attachments.find((a) => a.contentType === 'application/zip')!;
		const files = Object.keys(unzipSync(new Uint8Array(Buffer.from(zip.content, 'base64'))));
		expect(files).toEqual(
			expect.arrayContaining([
				'README.TXT',
				'INDEX.HTM',
				'IHE_XDM/SUBSET01/METADATA.XML',
				// The CI-SIS Fiche RCP (CDA) first, then the PDF.
				'IHE_XDM/SUBSET01/DOC0001.XML',
				'IHE_XDM/SUBSET01/DOC0002.PDF'
			])
		);
	}

	// Validated means locked: the form is gone, an amendment is offered instead.
	await page.reload();
	await expect(page.getByRole('button', { name: 'Valider la proposition' })).toHaveCount(0);
	await expect(page.getByRole('heading', { name: 'Amender la proposition validée' })).toBeVisible();
});

test('le demandeur, le lien du médecin traitant et la coordination lisent la proposition et sa transmission', async ({
	page,
	browser
}) => {
	const [caseId] = setup.caseIds;
	await login(page, 'j.moreau');
	await page.goto(`/cases/${caseId}`);
	await page
		.getByRole('link', { name: /Voir la proposition, sa transmission et la fiche RCP/ })
		.click();
	await expect(
		page.getByRole('heading', { name: /Proposition en vigueur \(version 1\)/ })
	).toBeVisible();
	await expect(
		page.getByText('Radiochimiothérapie préopératoire puis résection antérieure du rectum.')
	).toBeVisible();
	await expect(async () => {
		await page.reload();
		await expect(page.getByText('Transmis', { exact: true })).toHaveCount(3);
	}).toPass({ timeout: 15_000 });
	await expectAccessible(page);

	const guest = await (await browser.newContext()).newPage();
	await guest.goto(`/invitation/${setup.guestToken}/decision`);
	await expect(guest.getByRole('heading', { name: /Proposition en vigueur/ })).toBeVisible();
	await expectAccessible(guest);
	const href = await guest
		.getByRole('link', { name: 'Télécharger la fiche RCP (PDF)' })
		.getAttribute('href');
	expect((await guest.request.get(href!)).headers()['content-type']).toBe('application/pdf');
	// The link opens its own case only.
	expect(
		(await guest.request.get(`/cases/${setup.caseIds[1]}/decision`, { maxRedirects: 0 })).status()
	).toBe(303);

	const coordination = await as(browser, 'coordination');
	await coordination.goto(`/pathways/${setup.pathwayId}/deliveries?statut=delivered`);
	await expect(
		coordination.getByRole('heading', { name: 'Transmission des propositions' })
	).toBeVisible();
	await expect(coordination.getByRole('link', { name: /DURAND Jean/ }).first()).toBeVisible();
	await expectAccessible(coordination);
	const minutes = await coordination.request.get(`/meetings/${setup.meetingId}/minutes`);
	expect(minutes.headers()['content-type']).toBe('application/pdf');
	const requester = await as(browser, 'j.moreau');
	expect((await requester.request.get(`/meetings/${setup.meetingId}/minutes`)).status()).toBe(403);
});

test('sans JavaScript, le président enregistre puis valide une proposition hors référentiel', async ({
	browser
}) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await login(page, 'h.rousseau');
	await page.goto(`/meetings/${setup.meetingId}/cases/${setup.caseIds[1]}/decision`);
	await page.getByRole('checkbox', { name: 'Surveillance simple' }).check();
	await page.getByLabel('Proposition thérapeutique').fill('Surveillance endoscopique à un an.');
	await page.getByRole('radio', { name: 'Hors référentiel' }).check();
	await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
	await expect(page.getByLabel('Proposition thérapeutique')).toHaveValue(
		'Surveillance endoscopique à un an.'
	);
	await page.getByRole('button', { name: 'Valider la proposition' }).click();
	// One error, named once in the summary (no extra line counted as a second error).
	await expect(page.getByRole('alert')).toHaveText('Justifiez une proposition hors référentiel.');
	await page
		.getByLabel('Justification (obligatoire hors référentiel)')
		.fill('Marges à 1 mm, patient de 88 ans.');
	await page.getByRole('button', { name: 'Valider la proposition' }).click();
	await page.getByRole('button', { name: 'Confirmer la validation' }).click();
	await expect(page.getByText('La proposition thérapeutique est validée')).toBeVisible();
	await context.close();
});

test('le dossier patient refuse l’envoi : la coordination voit l’erreur et relance', async ({
	page,
	browser
}) => {
	const caseId = setup.caseIds[2]!;
	// Earlier sends are done, so the fault hits this decision's.
	await expect
		.poll(
			async () => (await db().select().from(outbox).where(eq(outbox.status, 'pending'))).length,
			{
				timeout: 15_000
			}
		)
		.toBe(0);
	await failFhirNext({ status: 412 });
	await login(page, 'h.rousseau');
	await page.goto(`/meetings/${setup.meetingId}/cases/${caseId}/decision`);
	await page.getByRole('checkbox', { name: 'Surveillance simple' }).check();
	await page.getByLabel('Proposition thérapeutique').fill('Surveillance clinique et biologique.');
	await page.getByRole('radio', { name: 'Conforme au référentiel' }).check();
	await page.getByRole('button', { name: 'Valider la proposition' }).click();
	await page.getByRole('button', { name: 'Confirmer la validation' }).click();
	await expect(page.getByText('La proposition thérapeutique est validée')).toBeVisible();

	const coordination = await as(browser, 'coordination');
	const retry = coordination.getByRole('button', { name: /Relancer l’envoi à http/ });
	await expect(async () => {
		await coordination.goto(`/pathways/${setup.pathwayId}/deliveries?statut=failed`);
		await expect(retry).toHaveCount(1);
	}).toPass({ timeout: 15_000 });
	await expect(
		coordination.getByText(
			/plusieurs documents pour cette décision \(412\) : vérification manuelle nécessaire : Erreur injectée 412\.$/
		)
	).toBeVisible();
	await expectAccessible(coordination);
	await retry.click();
	await expect(coordination.getByText('L’envoi est relancé')).toBeVisible();
	const decision = (await queryOne(
		db().select().from(decisions).where(eq(decisions.caseId, caseId))
	))!;
	await expect
		.poll(
			async () =>
				(
					await queryOne(
						db()
							.select()
							.from(outbox)
							.where(and(eq(outbox.decisionId, decision.id), eq(outbox.channel, 'fhir')))
					)
				)?.status,
			{ timeout: 15_000 }
		)
		.toBe('delivered');
	await coordination.goto(`/cases/${caseId}/decision`);
	await expect(coordination.getByText('Transmis', { exact: true })).toHaveCount(3);
});
