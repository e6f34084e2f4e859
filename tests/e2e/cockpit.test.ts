import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { and, eq } from 'drizzle-orm';
import { mkdirSync } from 'node:fs';
import { attendance, decisions, outbox } from '../../src/lib/server/db/schema';
import { openE2eDb } from '../support/e2e-db';
import { expectAccessible, login } from '../support/e2e';
import { createLiveMeeting, readLivekitInfo, type LiveMeetingFixture } from '../support/live-e2e';
import { readCapturedMails } from '../support/smtp';
import { queryOne } from '../../src/lib/server/db/index';

/**
 * The room as the chair's cockpit, against LiveKit's own server: the chair types and validates
 * the decision inline without leaving the call, members watch the draft arrive, a member who
 * reloads keeps counting (grace period), a provisional opinion is a warning, and the GP guest
 * gets the decision by mail and through her link.
 */

test.describe.configure({ mode: 'serial' });

let fx: LiveMeetingFixture;
test.beforeAll(async () => {
	fx = await createLiveMeeting();
});

const room = () => `/meetings/${fx.meetingId}/room`;
const shots = process.env.COCKPIT_SHOTS ?? 'test-results/cockpit';

async function newUserPage(browser: Browser, key: string): Promise<[BrowserContext, Page]> {
	const context = await browser.newContext({ permissions: ['camera', 'microphone'] });
	const page = await context.newPage();
	await login(page, key);
	return [context, page];
}

async function joinVideo(page: Page): Promise<void> {
	await expect(page.getByLabel('Caméra', { exact: true })).toBeEnabled({ timeout: 15_000 });
	await page.getByRole('button', { name: 'Rejoindre la visioconférence' }).click();
	await expect(page.getByRole('button', { name: 'Quitter la visioconférence' })).toBeVisible({
		timeout: 15_000
	});
}

async function expectNoHorizontalOverflow(page: Page, width: number, height: number) {
	await page.setViewportSize({ width, height });
	await expect
		.poll(() =>
			page.evaluate(
				() => document.documentElement.scrollWidth - document.documentElement.clientWidth
			)
		)
		.toBeLessThanOrEqual(0);
}

test('le président décide dans la salle sans quitter la visio ; le médecin traitant reçoit la décision', async ({
	browser
}) => {
	const livekit = readLivekitInfo();
	test.skip(livekit.url === null, `Tests vidéo ignorés : ${livekit.reason}`);
	test.setTimeout(180_000);
	mkdirSync(shots, { recursive: true });
	const db = openE2eDb();
	// Dr Garnier (radiation oncology) is in the room without video: checked in.
	await db.insert(attendance).values({
		meetingId: fx.meetingId,
		identity: `checkin:user:${fx.userIds['n.garnier']}`,
		userId: fx.userIds['n.garnier'],
		displayName: 'Dr Nicolas Garnier',
		specialty: 'radiation_oncology',
		joinedAt: new Date(),
		source: 'check_in'
	});
	const [chairCtx, chair] = await newUserPage(browser, 'h.rousseau');
	const [memberCtx, member] = await newUserPage(browser, 'j.moreau');
	try {
		await chair.goto(room());
		await chair.getByRole('button', { name: 'Ouvrir la séance' }).click();
		await expect(chair.getByText('La séance est ouverte.')).toBeVisible();
		await joinVideo(chair);
		await member.goto(room());
		await joinVideo(member);
		const chairQuorum = chair.getByRole('region', { name: 'Quorum' });
		await expect(chairQuorum.getByText('Quorum atteint', { exact: true })).toBeVisible({
			timeout: 15_000
		});

		// The chair types in the room; the member sees the draft arrive, and cannot edit it.
		const panel = chair.getByTestId('decision-panel');
		await panel.getByRole('checkbox', { name: 'Chirurgie' }).check();
		const draft = 'Résection antérieure du rectum après radiochimiothérapie.';
		await panel.getByLabel('Proposition thérapeutique').fill(draft);
		await expect(panel.getByTestId('autosave-status')).toContainText('Brouillon enregistré à');
		await expect(member.getByTestId('decision-panel').locator('[data-decision]')).toHaveText(draft);
		await expect(member.getByTestId('decision-panel').getByRole('textbox')).toHaveCount(0);
		const forged = await member.request.post(`${room()}?/saveDraft&case=${fx.caseIds[0]}`, {
			form: { proposalTypes: 'surgery', text: 'Autre', conformity: 'conform', revision: '9' },
			headers: { origin: new URL(member.url()).origin }
		});
		expect(forged.status()).toBe(403);

		// The validate button lies in the 1280×800 viewport, the page not scrolled.
		const validate = panel.getByRole('button', { name: 'Valider la proposition…' });
		await chair.screenshot({ path: `${shots}/cockpit-chair-1280x800.png` });
		await member.screenshot({ path: `${shots}/cockpit-member-1280x800.png` });
		const box = (await validate.boundingBox())!;
		expect(box.y + box.height).toBeLessThanOrEqual(800);
		expect(box.x + box.width).toBeLessThanOrEqual(1280);
		expect(await chair.evaluate(() => window.scrollY)).toBe(0);
		await expectAccessible(chair);
		await expectAccessible(member);

		// A member who reloads keeps counting through the grace period.
		await member.reload();
		const moreau = chair.getByRole('region', { name: /Présents/ }).locator('li', {
			hasText: 'Dr Julien Moreau'
		});
		await expect(moreau.locator('[data-presence="grace"]')).toBeVisible({ timeout: 15_000 });
		await expect(chairQuorum.getByText('Quorum atteint', { exact: true })).toBeVisible();
		await joinVideo(member);
		await expect(moreau.locator('[data-presence="grace"]')).toHaveCount(0, { timeout: 15_000 });

		// Validate: first what will be recorded, then confirm; the chair is still in the call.
		await panel.getByRole('radio', { name: 'Conforme au référentiel' }).check();
		await validate.click();
		const preview = chair.getByTestId('validation-preview');
		await expect(preview).toHaveAttribute('data-outcome', 'validated');
		await expect(preview).toContainText('Sera enregistrée : la décision de la RCP');
		await expectAccessible(chair);
		await preview.getByRole('button', { name: 'Confirmer la validation' }).click();
		await expect(panel.getByTestId('decision-outcome')).toContainText('Proposition validée.');
		await expect(chair.getByRole('button', { name: 'Quitter la visioconférence' })).toBeVisible();
		await expect(chairQuorum.getByText('Quorum atteint', { exact: true })).toBeVisible();
		await expect(member.getByTestId('decision-outcome')).toContainText('Proposition validée.');
		const first = (await queryOne(
			db.select().from(decisions).where(eq(decisions.caseId, fx.caseIds[0]!))
		))!;
		expect(first).toMatchObject({ status: 'validated', quorumReached: true });

		// The GP guest waits for her turn, live, and tests her camera and microphone meanwhile.
		const guestCtx = await browser.newContext({ permissions: ['camera', 'microphone'] });
		const waiting = await guestCtx.newPage();
		await waiting.goto(`/invitation/${fx.guestToken}/room`);
		await expect(waiting.getByText('passera après 1 dossier')).toBeVisible();
		await waiting.getByRole('button', { name: 'Tester ma caméra et mon micro' }).click();
		await expect
			.poll(
				() =>
					waiting
						.getByLabel('Aperçu de votre caméra')
						.evaluate((v: HTMLVideoElement) => v.videoWidth),
				{ timeout: 15_000 }
			)
			.toBeGreaterThan(0);
		await expect(waiting.getByLabel('Niveau du micro')).toBeVisible();
		await expect(waiting.getByRole('button', { name: 'Rejoindre la visioconférence' })).toHaveCount(
			0
		);
		await expectAccessible(waiting);

		// Case 2, the GP guest's: validated in the room; she receives the decision.
		await chair.getByRole('button', { name: 'Dossier suivant →' }).click();
		await expect(waiting.getByText('C’est le tour du dossier de votre patient')).toBeVisible();
		await expect(waiting.getByRole('button', { name: 'Rejoindre la visioconférence' })).toBeVisible(
			{
				timeout: 15_000
			}
		);
		await guestCtx.close();
		await expect(chair.getByText('Dossier 2 sur 3').first()).toBeVisible();
		await panel.getByRole('checkbox', { name: 'Surveillance simple' }).check();
		await panel.getByLabel('Proposition thérapeutique').fill('Surveillance simple à six mois.');
		await panel.getByRole('radio', { name: 'Conforme au référentiel' }).check();
		const validatedAt = Date.now();
		await panel.getByRole('button', { name: 'Valider la proposition…' }).click();
		const confirm = chair.getByRole('button', { name: 'Confirmer la validation' });
		await expect(confirm).toBeVisible();
		const confirmedAt = Date.now();
		await confirm.click();
		await expect(panel.getByTestId('decision-outcome')).toContainText('Proposition validée.');
		const second = (await queryOne(
			db.select().from(decisions).where(eq(decisions.caseId, fx.caseIds[1]!))
		))!;
		const gpRow = async () =>
			await queryOne(
				db
					.select()
					.from(outbox)
					.where(
						and(eq(outbox.decisionId, second.id), eq(outbox.recipient, 'p.renaud@demo.mssante.fr'))
					)
			);
		expect(await gpRow()).toBeDefined();
		// Polled every 50 ms: the figure is the mail's, not the poll's.
		await expect
			.poll(
				async () =>
					(await readCapturedMails()).some((m) => m.to.includes('p.renaud@demo.mssante.fr')),
				{ timeout: 20_000, intervals: [50] }
			)
			.toBe(true);
		const mailSeen = Date.now();
		await expect.poll(async () => (await gpRow())?.deliveredAt).toBeTruthy();
		const serverMs = (await gpRow())!.deliveredAt!.getTime() - second.validatedAt!.getTime();
		console.log(
			`Validation → mail au médecin traitant : ${mailSeen - confirmedAt} ms depuis « Confirmer la validation » (${mailSeen - validatedAt} ms depuis « Valider la proposition… ») ; côté serveur, validée → envoi enregistré : ${serverMs} ms`
		);
		// The worker is woken by the rows enqueued: the mail does not wait for its next poll.
		expect(mailSeen - confirmedAt).toBeLessThan(2_500);
		const guest = await browser.newPage();
		await guest.goto(`/invitation/${fx.guestToken}/decision`);
		await expect(guest.getByText('Surveillance simple à six mois.')).toBeVisible();
		await guest.close();

		// Case 3 without quorum (Dr Garnier has left the room): a provisional opinion, a warning.
		await db
			.update(attendance)
			.set({ leftAt: new Date() })
			.where(eq(attendance.identity, `checkin:user:${fx.userIds['n.garnier']}`));
		await chair.getByRole('button', { name: 'Dossier suivant →' }).click();
		await expect(chair.getByText('Dossier 3 sur 3').first()).toBeVisible();
		await panel.getByRole('checkbox', { name: 'Chimiothérapie' }).check();
		await panel.getByLabel('Proposition thérapeutique').fill('Chimiothérapie à discuter.');
		await panel.getByRole('radio', { name: 'Conforme au référentiel' }).check();
		await panel.getByRole('button', { name: 'Valider la proposition…' }).click();
		await expect(preview).toHaveAttribute('data-outcome', 'provisional');
		await expect(preview).toContainText('un avis provisoire, pas une décision');
		await expect(preview).toContainText('Oncologie radiothérapie');
		await chair.getByRole('button', { name: 'Confirmer l’avis provisoire' }).click();
		const outcome = panel.getByTestId('decision-outcome');
		await expect(outcome).toContainText('Avis provisoire enregistré — pas de décision.');
		await expect(outcome).toHaveClass(/warning/);
		await expect(chair.locator('.alert.success', { hasText: /provisoire/ })).toHaveCount(0);
		await expectAccessible(chair);

		// Tablet and phone widths: no horizontal scrolling.
		for (const page of [chair, member]) {
			await expectNoHorizontalOverflow(page, 768, 1024);
			await expectNoHorizontalOverflow(page, 390, 844);
		}
		await chair.setViewportSize({ width: 390, height: 844 });
		await chair.screenshot({ path: `${shots}/cockpit-chair-390.png`, fullPage: true });
	} finally {
		await Promise.all([chairCtx.close(), memberCtx.close()]);
	}
});
