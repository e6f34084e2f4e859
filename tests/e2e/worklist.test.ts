import { expect, test, type Page } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { computeInsKey } from '../../src/lib/domain/ins';
import { cases, meetings, pathways, patients, users } from '../../src/lib/server/db/schema';
import { expectAccessible, login } from '../support/e2e';
import { openE2eDb } from '../support/e2e-db';
import { queryOne } from '../../src/lib/server/db/index';

// Issue #15 « the coordinator's week »: 15 requests of the thoracic RCP inscribed in one bulk
// action, presenters set inline, the agenda reordered without JavaScript, the requester reminded
// once before the deadline however often the upkeep runs.
test.describe.configure({ mode: 'serial' });

const port = process.env.E2E_PORT ?? '4317';
const dir = join(tmpdir(), `pluri-e2e-${port}`);
const db = () => openE2eDb();
const userId = async (key: string): Promise<string> =>
	(await queryOne(
		db()
			.select()
			.from(users)
			.where(eq(users.email, `${key}@demo.pluri.fr`))
	))!.id;

interface CaughtMail {
	to: string;
	subject: string;
	text: string;
}
const caughtMails = async (): Promise<CaughtMail[]> => {
	const info = JSON.parse(readFileSync(join(dir, 'delivery.json'), 'utf8')) as {
		mailApiUrl: string;
	};
	return (await (await fetch(`${info.mailApiUrl}/mails`)).json()) as CaughtMail[];
};

let pathwayId = '';
let meetingId = '';
const caseIds: string[] = [];
const names: string[] = [];

/** A thoracic meeting in five days, its deadline tomorrow, and 15 requests waiting for it. */
async function prepare(): Promise<void> {
	if (meetingId) return;
	pathwayId = (await queryOne(
		db().select().from(pathways).where(eq(pathways.code, 'onco-thoracic'))
	))!.id;
	const now = Date.now();
	meetingId = crypto.randomUUID();
	await db()
		.insert(meetings)
		.values({
			id: meetingId,
			pathwayId,
			startsAt: new Date(now + 5 * 86_400_000),
			endsAt: new Date(now + 5 * 86_400_000 + 90 * 60_000),
			deadlineAt: new Date(now + 24 * 3_600_000),
			status: 'scheduled',
			chairId: await userId('h.rousseau'),
			place: 'Salle de staff 2 (semaine de test)'
		});
	const requester = await userId('a.lefevre');
	for (let i = 0; i < 15; i++) {
		const first13 = `1${String(50 + i)}0371076${String(800 + i)}`;
		const patientId = crypto.randomUUID();
		const name = `SEMAINE${String.fromCharCode(65 + i)}`;
		await db()
			.insert(patients)
			.values({
				id: patientId,
				insMatricule: first13 + computeInsKey(first13),
				insOid: '1.2.250.1.213.1.4.10',
				birthName: name,
				firstNames: ['Paul'],
				sex: 'M',
				birthDate: `19${50 + i}-03-10`,
				birthplaceCode: '71076',
				identityStatus: 'validated'
			});
		const id = crypto.randomUUID();
		await db()
			.insert(cases)
			.values({
				id,
				patientId,
				pathwayId,
				meetingId,
				requesterId: requester,
				question: 'Lobectomie ou radiothérapie stéréotaxique ?',
				summary: 'Nodule pulmonaire du lobe supérieur droit.',
				pathwayData: { primarySite: 'C34.1', phase: 'initial' },
				status: 'submitted',
				submittedAt: new Date(now - (20 - i) * 3_600_000)
			});
		caseIds.push(id);
		names.push(name);
	}
}

/** One run of the calendar upkeep, as the server does every six hours (the built app, alone). */
async function runUpkeep(): Promise<string> {
	const info = JSON.parse(readFileSync(join(dir, 'delivery.json'), 'utf8')) as { smtpUrl: string };
	const child = spawn(
		process.execPath,
		[
			'--input-type=module',
			'-e',
			`await import(${JSON.stringify(resolve(process.env.PLURI_BUILD_DIR ?? 'build', 'handler.js'))});`
		],
		{
			env: {
				...process.env,
				NODE_ENV: 'production',
				DATABASE_URL: join(dir, 'pluri.db'),
				PLURI_DATA_DIR: dir,
				ORIGIN: `http://127.0.0.1:${port}`,
				SMTP_URL: info.smtpUrl,
				PLURI_WORKER: '0',
				PLURI_DEMO: ''
			},
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	let out = '';
	try {
		return await new Promise<string>((done, fail) => {
			const timer = setTimeout(() => fail(new Error(`upkeep silent: ${out}`)), 20_000);
			const read = (chunk: Buffer) => {
				out += chunk.toString();
				const line = /\[relances\][^\n]*/.exec(out);
				if (line) {
					clearTimeout(timer);
					done(line[0]);
				}
			};
			child.stdout.on('data', read);
			child.stderr.on('data', read);
		});
	} finally {
		child.kill('SIGTERM');
	}
}

const shots = process.env.WORKLIST_SHOTS ?? 'test-results/pw-w';

/**
 * No horizontal scrolling at 1280, 768 and 390 px: the page never, and at 1280 and 768 px the
 * worklist table fits without scrolling in its own box either (its last column, « Durée », in
 * view). At 390 px the table may scroll inside its box, never the page.
 */
async function expectNoHorizontalScroll(page: Page, name: string): Promise<void> {
	for (const width of [1280, 768, 390]) {
		await page.setViewportSize({ width, height: 900 });
		const { overflow, innerOverflow, culprits, tableOverflow } = await page.evaluate(() => {
			const limit = document.documentElement.clientWidth;
			// The outermost elements sticking out, outside any scrolling container of their own.
			const culprits = [...document.querySelectorAll('body *')]
				.filter((el) => el.getBoundingClientRect().right > limit + 1)
				.filter((el) => !el.closest('.table-wrap'))
				.slice(0, 5)
				.map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
			const wrap = document.querySelector('table.worklist')?.closest('.table-wrap');
			return {
				overflow: document.documentElement.scrollWidth - limit,
				innerOverflow: document.documentElement.scrollWidth - window.innerWidth,
				culprits,
				tableOverflow: wrap ? wrap.scrollWidth - wrap.clientWidth : 0
			};
		});
		await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
		expect
			.soft(overflow, `horizontal overflow at ${width} px: ${culprits.join(', ')}`)
			.toBeLessThanOrEqual(0);
		expect.soft(innerOverflow, `scrollWidth > innerWidth at ${width} px`).toBeLessThanOrEqual(0);
		if (width >= 768)
			expect
				.soft(tableOverflow, `the worklist table scrolls sideways at ${width} px`)
				.toBeLessThanOrEqual(0);
	}
	await page.setViewportSize({ width: 1280, height: 900 });
}

test('la coordination inscrit 15 demandes en une action et désigne les présentateurs en ligne', async ({
	page
}) => {
	await prepare();
	let clicks = 0;
	await login(page, 'coordination');
	await page.getByRole('link', { name: 'Dossiers' }).click();
	await page.getByRole('link', { name: 'RCP oncologie thoracique' }).click();
	clicks += 2;
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Liste de travail — RCP oncologie thoracique'
	);
	// Filter on the requested meeting (a GET form).
	await page.getByLabel('Séance', { exact: true }).selectOption(meetingId);
	await page.getByRole('button', { name: 'Filtrer' }).click();
	clicks += 2;
	const table = page.getByRole('table', { name: /15 dossiers — Demande soumise/ });
	await expect(table.locator('tbody tr')).toHaveCount(15);
	await expectAccessible(page);
	await page.getByRole('link', { name: 'Tout cocher' }).click();
	clicks += 1;
	await expect(page.getByRole('checkbox', { name: /^Cocher SEMAINE/, checked: true })).toHaveCount(
		15
	);
	await page.getByLabel('Séance où inscrire').selectOption(meetingId);
	await page.getByRole('button', { name: 'Inscrire à la séance' }).click();
	clicks += 2;
	await expect(page.getByRole('status')).toContainText(
		/^15 dossiers inscrits à la séance du .+\.$/
	);
	await expect(table.locator('tbody tr')).toHaveCount(0);

	// The same meeting's agenda, inscribed: presenter and time on each line, saved at once.
	await page.getByLabel('Statut').selectOption('scheduled');
	await page.getByRole('button', { name: 'Filtrer' }).click();
	clicks += 2;
	const rows = page.getByRole('table', { name: /15 dossiers — Inscrit/ }).locator('tbody tr');
	await expect(rows).toHaveCount(15);
	// Each line's completeness says only what the case lacks (documents, fields), not the replies.
	await expect(rows.first()).toContainText(/À compléter \(\d+\s+points\)/);
	await rows.first().getByText('Voir').click();
	await expect(rows.first()).toContainText('Aucune imagerie jointe.');
	await expect(rows.first()).not.toContainText('Quorum');
	for (let i = 0; i < 15; i++) {
		await page
			.getByLabel(`Présentateur du dossier de ${names[i]}`, { exact: false })
			.selectOption({ label: 'Dr Anne Lefèvre' });
		clicks += 1;
	}
	await page
		.getByLabel(`Durée estimée en minutes du dossier de ${names[0]}`, { exact: false })
		.fill('0');
	await page.getByRole('button', { name: 'Enregistrer les présentateurs et durées' }).click();
	// A wrong duration keeps every value and says which line.
	await expect(
		page.getByText('La durée estimée est un nombre entier de minutes entre 1 et 240.')
	).toBeVisible();
	await expect(
		page.getByLabel(`Présentateur du dossier de ${names[3]}`, { exact: false })
	).toHaveValue(await userId('a.lefevre'));
	await page
		.getByLabel(`Durée estimée en minutes du dossier de ${names[0]}`, { exact: false })
		.fill('20');
	await page.getByRole('button', { name: 'Enregistrer les présentateurs et durées' }).click();
	clicks += 1;
	await expect(page.getByRole('status')).toContainText(
		'Présentateurs et durées enregistrés pour 15 dossiers.'
	);
	await expectAccessible(page);
	await expectNoHorizontalScroll(page, 'worklist');
	console.log(`Clics de la coordination pour préparer la séance de 15 dossiers : ${clicks}`);

	await page.goto(`/meetings/${meetingId}/agenda`);
	const items = page
		.getByRole('list', { name: 'Dossiers dans l’ordre de passage' })
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { level: 3 }) });
	await expect(items).toHaveCount(15);
	await expect(items.filter({ hasText: 'Dr Anne Lefèvre' })).toHaveCount(15);
	await expect(items.first()).toContainText('20 min');
	// The meeting's own problems are said once, for the meeting.
	await expect(page.getByRole('group', { name: 'Préparation de la séance' })).toContainText(
		/invitations? sans réponse|Quorum/
	);
	await expectAccessible(page);
	await expectNoHorizontalScroll(page, 'agenda');
});

test('le demandeur est relancé une seule fois, même si l’entretien du calendrier tourne deux fois', async () => {
	await prepare();
	const ours = (mails: CaughtMail[]) =>
		mails.filter(
			(m) => m.subject.startsWith('Dossier à compléter') && m.text.includes(`/cases/${caseIds[0]}`)
		);
	expect(ours(await caughtMails())).toHaveLength(0);
	const first = await runUpkeep();
	expect(first).toMatch(/\[relances\] \d+ demandeur\(s\) relancé\(s\)/);
	await expect.poll(async () => ours(await caughtMails()).length).toBe(1);
	const second = await runUpkeep();
	expect(second).toMatch(/\[relances\] 0 demandeur\(s\) relancé\(s\)/);
	await new Promise((r) => setTimeout(r, 500));
	const mails = await caughtMails();
	expect(ours(mails)).toHaveLength(1);
	for (const id of caseIds) {
		expect(
			mails.filter(
				(m) => m.text.includes(`/cases/${id}`) && m.subject.startsWith('Dossier à compléter')
			)
		).toHaveLength(1);
	}
	const mail = ours(mails)[0]!;
	expect(mail.to).toContain('a.lefevre');
	expect(mail.text).toContain('Aucune imagerie jointe.');
	expect(mail.text).toContain('RCP oncologie thoracique');
	expect(mail.text).not.toContain('SEMAINE');
});

test.describe('sans JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('l’ordre du jour se réordonne et le demandeur se relance sans JavaScript', async ({
		page
	}) => {
		await prepare();
		await login(page, 'coordination');
		await page.goto(`/meetings/${meetingId}/agenda`);
		const items = page
			.getByRole('list', { name: 'Dossiers dans l’ordre de passage' })
			.getByRole('listitem')
			.filter({ has: page.getByRole('heading', { level: 3 }) });
		await expect(items.first()).toContainText(names[0]!);
		await page
			.getByRole('button', { name: new RegExp(`^Descendre le dossier ${names[0]}`) })
			.click();
		await expect(
			page.getByText(`Dossier de ${names[0]} Paul, né le 10/03/1950, déplacé en position 2 sur 15.`)
		).toBeVisible();
		await expect(items.nth(1)).toContainText(names[0]!);
		await expect(items.first()).toContainText(names[1]!);

		// « Relancer le demandeur » from the worklist: at once, and not twice from a double click.
		await page.goto(`/pathways/${pathwayId}/worklist?status=scheduled&meeting=${meetingId}`);
		await page.getByRole('checkbox', { name: `Cocher ${names[2]}`, exact: false }).check();
		await page.getByRole('button', { name: 'Relancer le demandeur' }).click();
		await expect(page.getByRole('status')).toContainText('1 demandeur relancé.');
		await page.getByRole('checkbox', { name: `Cocher ${names[2]}`, exact: false }).check();
		await page.getByRole('button', { name: 'Relancer le demandeur' }).click();
		await expect(page.getByRole('alert')).toContainText('vient d’être relancé');
		const relaunched = (await caughtMails()).filter(
			(m) => m.subject.startsWith('Dossier à compléter') && m.text.includes(`/cases/${caseIds[2]}`)
		);
		expect(relaunched).toHaveLength(2); // the upkeep's, then one manual

		// Refusing needs its reason, and the checked lines stay checked.
		await page.getByRole('checkbox', { name: `Cocher ${names[4]}`, exact: false }).check();
		await page.getByText('Refuser…').click();
		await page.getByRole('button', { name: 'Refuser les dossiers cochés' }).click();
		await expect(page.getByText('Le motif du refus est obligatoire.')).toBeVisible();
		await expect(
			page.getByRole('checkbox', { name: `Cocher ${names[4]}`, exact: false })
		).toBeChecked();
		// (axe needs JavaScript: the same pages are checked with it in the first test.)
	});
});

test('l’ordre du jour se réordonne au clavier seul, chaque déplacement annoncé', async ({
	page
}) => {
	await prepare();
	await login(page, 'coordination');
	await page.goto(`/meetings/${meetingId}/agenda`);
	const items = page
		.getByRole('list', { name: 'Dossiers dans l’ordre de passage' })
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { level: 3 }) });
	const headings = items.getByRole('heading', { level: 3 });
	await expect(items).toHaveCount(15);
	// Whatever the tests above left: the case in third place moves.
	const before = (await headings.allInnerTexts()).map((t) => t.trim());
	const moved = before[2]!;
	expect(moved).toMatch(/^SEMAINE[A-O] Paul, né le \d{2}\/03\/19\d{2}$/);
	const up = page.getByRole('button', { name: `Monter le dossier ${moved}`, exact: true });
	const down = page.getByRole('button', { name: `Descendre le dossier ${moved}`, exact: true });
	const announced = page.locator('[aria-live="polite"]').filter({ hasText: 'déplacé en position' });

	// From the case's link, Tab reaches what it lacks, then its buttons; Space and Enter press them.
	await items.nth(2).getByRole('link', { name: moved, exact: true }).focus();
	await page.keyboard.press('Tab');
	await expect(items.nth(2).locator('summary', { hasText: 'Voir' })).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(up).toBeFocused();
	await page.keyboard.press('Tab');
	await expect(down).toBeFocused();
	await page.keyboard.press('Space');
	await expect(announced).toHaveText(`Dossier de ${moved}, déplacé en position 4 sur 15.`);
	await expect(items.nth(3)).toContainText(moved);
	// The focus stays on the moved case's button: the same key moves it again.
	await expect(down).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(announced).toHaveText(`Dossier de ${moved}, déplacé en position 5 sur 15.`);
	await expect(down).toBeFocused();
	await page.keyboard.press('Shift+Tab');
	await expect(up).toBeFocused();
	await page.keyboard.press('Space');
	await expect(announced).toHaveText(`Dossier de ${moved}, déplacé en position 4 sur 15.`);
	await expect(up).toBeFocused();
	await page.screenshot({ path: `${shots}/agenda-keyboard-moved.png` });
	await expectAccessible(page);

	// The new order is saved: after a reload, the case is fourth and the others kept their order.
	const expected = before.filter((t) => t !== moved);
	expected.splice(3, 0, moved);
	await page.reload();
	await expect(headings).toHaveText(expected);
	await expect(announced).toHaveCount(0);
});
