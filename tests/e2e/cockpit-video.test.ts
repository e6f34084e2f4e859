import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import config from '../../playwright.config';
import { expectAccessible, login } from '../support/e2e';
import { createLiveMeeting, requireLivekit, type LiveMeetingFixture } from '../support/live-e2e';

/**
 * The video of the cockpit as LiveKit Meet's users expect it, against LiveKit's own server with
 * three participants (chair, member, GP guest): every tile says how good its connection is, a
 * shared screen takes the stage with the cameras in a strip and the chosen layout comes back
 * when it stops, and the guest's raised hand is lowered once the chair moves on from her case.
 */

test.describe.configure({ mode: 'serial' });

/**
 * Chromium's fake microphone beeps too briefly for LiveKit to call anyone a speaker: here every
 * participant's microphone plays a steady tone instead (a WAV written now, looped by Chromium).
 */
function writeToneWav(path: string, seconds = 4, rate = 16_000): string {
	const samples = seconds * rate;
	const wav = Buffer.alloc(44 + samples * 2);
	wav.write('RIFF', 0);
	wav.writeUInt32LE(36 + samples * 2, 4);
	wav.write('WAVEfmt ', 8);
	wav.writeUInt32LE(16, 16);
	wav.writeUInt16LE(1, 20); // PCM
	wav.writeUInt16LE(1, 22); // mono
	wav.writeUInt32LE(rate, 24);
	wav.writeUInt32LE(rate * 2, 28);
	wav.writeUInt16LE(2, 32);
	wav.writeUInt16LE(16, 34);
	wav.write('data', 36);
	wav.writeUInt32LE(samples * 2, 40);
	for (let i = 0; i < samples; i++) {
		wav.writeInt16LE(Math.round(12_000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
	}
	writeFileSync(path, wav);
	return path;
}
const tone = writeToneWav(join(tmpdir(), `pluri-e2e-tone-${process.env.E2E_PORT ?? '4317'}.wav`));
const launch = config.use?.launchOptions ?? {};
test.use({
	launchOptions: {
		...launch,
		args: [...(launch.args ?? []), `--use-file-for-fake-audio-capture=${tone}`]
	}
});

let fx: LiveMeetingFixture;
test.beforeAll(async () => {
	fx = await createLiveMeeting();
});

const room = () => `/meetings/${fx.meetingId}/room`;
const shots = process.env.COCKPIT_SHOTS ?? 'test-results/cockpit';
const QUALITY = /^Connexion (excellente|bonne|faible|perdue)$/;

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

/** Every camera tile (the viewer's own included) says its connection quality in words. */
async function expectQualityOnEveryTile(page: Page, participants: number): Promise<void> {
	const tiles = page.locator('li.tile[data-kind="camera"]');
	await expect(tiles).toHaveCount(participants, { timeout: 15_000 });
	await expect
		.poll(
			() =>
				tiles.evaluateAll((lis) =>
					lis.map((li) => li.querySelector('[data-testid="connection-quality"]')?.textContent)
				),
			// LiveKit rates a newcomer's link after its first stats: seconds, more on a busy machine.
			{ timeout: 45_000 }
		)
		.toEqual(Array.from({ length: participants }, () => expect.stringMatching(QUALITY)));
	const own = tiles.filter({ hasText: '(vous)' });
	await expect(own.getByTestId('connection-quality')).toHaveText(QUALITY);
	// Words and a shape, not a colour: the icon is hidden from screen readers, the text is not.
	const quality = own.locator('.quality');
	await expect(quality).toHaveAttribute('title', QUALITY);
	await expect(quality.locator('svg')).toHaveAttribute('aria-hidden', 'true');
}

/** Frames decoded from the shared screen, on the stage. */
async function expectShareOnStage(page: Page, sharer: string, participants: number) {
	const focus = page.getByTestId('video-focus');
	await expect(focus).toBeVisible({ timeout: 15_000 });
	const stage = focus.locator('ul.stage > li.tile');
	await expect(stage).toHaveCount(1);
	await expect(stage).toHaveAttribute('data-kind', 'screen');
	await expect(stage).toHaveAttribute('data-identity', sharer);
	await expect
		.poll(
			() =>
				stage
					.locator('video')
					.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames),
			{ timeout: 15_000 }
		)
		.toBeGreaterThan(3);
	const strip = focus.locator('ul.filmstrip > li.tile[data-kind="camera"]');
	await expect(strip).toHaveCount(participants);
	// The share is the large tile: wider than two strip tiles together.
	const big = (await stage.boundingBox())!;
	const small = (await strip.first().boundingBox())!;
	expect(big.width).toBeGreaterThan(2 * small.width);
	expect(big.height).toBeGreaterThan(2 * small.height);
	await expect(stage.getByTestId('connection-quality')).toHaveText(QUALITY);
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

test('qualité de connexion sur chaque vignette, écran partagé en grand, main de l’invitée baissée au dossier suivant', async ({
	browser
}) => {
	requireLivekit();
	test.setTimeout(240_000);
	mkdirSync(shots, { recursive: true });
	const moreau = `user:${fx.userIds['j.moreau']}`;
	const [chairCtx, chair] = await newUserPage(browser, 'h.rousseau');
	const [memberCtx, member] = await newUserPage(browser, 'j.moreau');
	const guestCtx = await browser.newContext({ permissions: ['camera', 'microphone'] });
	const guest = await guestCtx.newPage();
	try {
		await chair.goto(room());
		await chair.getByRole('button', { name: 'Ouvrir la séance' }).click();
		await expect(chair.getByText('La séance est ouverte.')).toBeVisible();
		await joinVideo(chair);
		await member.goto(room());
		await joinVideo(member);
		// Case 2 is the GP guest's: she joins from her link.
		await chair.getByRole('button', { name: 'Dossier suivant →' }).click();
		await expect(chair.getByText('Dossier 2 sur 3').first()).toBeVisible();
		await guest.goto(`/invitation/${fx.guestToken}/room`);
		await joinVideo(guest);

		for (const page of [chair, member, guest]) await expectQualityOnEveryTile(page, 3);

		// Who speaks is outlined and said (« Parle »), on every screen; a muted speaker is not.
		for (const page of [chair, guest]) {
			await expect(page.locator('li.tile.speaking[data-kind="camera"]').first()).toBeVisible({
				timeout: 20_000
			});
			await expect(
				page.locator('li.tile.speaking').first().locator('[data-flag="speaking"]')
			).toHaveText('Parle');
		}
		const memberTile = chair.locator(`li.tile[data-identity="${moreau}"][data-kind="camera"]`);
		await member.getByRole('button', { name: 'Couper mon micro' }).click();
		await expect(memberTile.locator('[data-flag="muted"]')).toHaveText('Micro coupé');
		await expect(memberTile).not.toHaveClass(/speaking/, { timeout: 15_000 });
		await member.getByRole('button', { name: 'Activer mon micro' }).click();
		await expect(memberTile.locator('[data-flag="muted"]')).toHaveCount(0);

		// The GP guest and Dr Moreau raise their hands; the chair sees both.
		await guest.getByTestId('raise-hand').click();
		await expect(guest.getByTestId('raise-hand')).toHaveAttribute('aria-pressed', 'true');
		await member.getByTestId('raise-hand').click();
		const hands = chair.getByTestId('raised-hands');
		await expect(hands.locator('li')).toHaveCount(2);
		await expect(hands).toContainText('Dr Pierre Renaud');

		// Dr Moreau shares his screen (imaging): everyone sees it large, the cameras in a strip.
		await expect(chair.locator('.cockpit')).toHaveAttribute('data-layout', 'strip');
		await member.getByRole('button', { name: 'Partager mon écran' }).click();
		for (const page of [chair, guest, member]) await expectShareOnStage(page, moreau, 3);
		await expect(chair.locator('.cockpit')).toHaveAttribute('data-layout', 'focus');
		await chair.screenshot({ path: `${shots}/share-chair-1280x800.png` });
		await guest.screenshot({ path: `${shots}/share-guest-1280x800.png` });
		await expectAccessible(chair);
		await expectAccessible(guest);
		for (const page of [chair, guest]) {
			await expectNoHorizontalOverflow(page, 768, 1024);
			await expectNoHorizontalOverflow(page, 390, 844);
		}
		await chair.setViewportSize({ width: 390, height: 844 });
		await chair.screenshot({ path: `${shots}/share-chair-390.png`, fullPage: true });
		await chair.setViewportSize({ width: 1280, height: 800 });
		await guest.setViewportSize({ width: 1280, height: 800 });

		// The chair may put the video back in its column while the share lasts, and bring it back.
		const layouts = chair.getByRole('group', { name: 'Disposition de la vidéo' });
		await layouts.getByRole('button', { name: 'en bandeau' }).click();
		await expect(chair.locator('.cockpit')).toHaveAttribute('data-layout', 'strip');
		await expect(chair.getByTestId('video-focus')).toHaveCount(0);
		await layouts.getByRole('button', { name: 'écran partagé en grand' }).click();
		await expectShareOnStage(chair, moreau, 3);

		// The share stops: the layout chosen before comes back everywhere.
		await member.getByRole('button', { name: 'Arrêter le partage d’écran' }).click();
		await expect(chair.locator('.cockpit')).toHaveAttribute('data-layout', 'strip');
		for (const page of [chair, guest, member]) {
			await expect(page.getByTestId('video-focus')).toHaveCount(0);
			await expect(page.locator('li.tile[data-kind="screen"]')).toHaveCount(0);
			await expect(page.locator('li.tile[data-kind="camera"]')).toHaveCount(3);
		}
		await expect(layouts.getByRole('button', { name: 'écran partagé en grand' })).toHaveCount(0);
		await expect(layouts.getByRole('button', { name: 'en bandeau' })).toHaveAttribute(
			'aria-pressed',
			'true'
		);

		// The chair moves on: the guest's case is over, her hand goes down; Dr Moreau's stays.
		await chair.getByRole('button', { name: 'Dossier suivant →' }).click();
		await expect(chair.getByText('Dossier 3 sur 3').first()).toBeVisible();
		await expect(hands.locator('li')).toHaveCount(1);
		await expect(hands).toContainText('Julien Moreau');
		await expect(hands).not.toContainText('Dr Pierre Renaud');
		await expect(
			guest.getByText('La présentation du dossier de votre patient est terminée').first()
		).toBeVisible();
		await expect(guest.getByTestId('raise-hand')).toHaveCount(0);
		await expect(member.getByTestId('raise-hand')).toHaveAttribute('aria-pressed', 'true');
		await expectAccessible(chair);

		// A network cut: the member's tiles say « reconnexion en cours… », then it comes back.
		await memberCtx.setOffline(true);
		await expect(member.locator('section.video .notice')).toContainText('reconnexion en cours…', {
			timeout: 20_000
		});
		await memberCtx.setOffline(false);
		await expect(member.locator('section.video .notice')).toContainText('Connexion rétablie', {
			timeout: 30_000
		});
	} finally {
		await Promise.all([chairCtx.close(), memberCtx.close(), guestCtx.close()]);
	}
});
