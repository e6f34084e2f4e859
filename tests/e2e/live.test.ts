import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { attendance } from '../../src/lib/server/db/schema';
import { openE2eDb } from '../support/e2e-db';
import { expectAccessible, login } from '../support/e2e';
import { createLiveMeeting, readLivekitInfo, type LiveMeetingFixture } from '../support/live-e2e';

/**
 * The live meeting, end to end: a chair, a member and a GP guest in three Chromium contexts
 * with fake camera and microphone, through Pluri's pages, against LiveKit's own server started
 * by the test harness (tests/support/e2e-server.js). Without that server, the video tests are
 * skipped with the reason; the rest runs.
 */

test.describe.configure({ mode: 'serial' });

let fx: LiveMeetingFixture;
test.beforeAll(async () => {
	fx = await createLiveMeeting();
});

const room = () => `/meetings/${fx.meetingId}/room`;
const guestRoom = () => `/invitation/${fx.guestToken}/room`;
const who = (key: string) => `user:${fx.userIds[key]}`;

async function newUserPage(
	browser: Browser,
	key: string,
	options = {}
): Promise<[BrowserContext, Page]> {
	const context = await browser.newContext({ permissions: ['camera', 'microphone'], ...options });
	const page = await context.newPage();
	await login(page, key);
	return [context, page];
}

/** Frames decoded in the browser, not just a track listed. */
async function expectFrames(page: Page, identity: string, kind: 'camera' | 'screen' = 'camera') {
	const video = page.locator(`li.tile[data-identity="${identity}"][data-kind="${kind}"] video`);
	await expect(video).toBeVisible({ timeout: 15_000 });
	// adaptiveStream pauses videos out of view: look at the tile, as a participant would.
	await video.scrollIntoViewIfNeeded();
	await expect
		.poll(
			() =>
				video.evaluate((v: HTMLVideoElement) => ({
					frames: v.getVideoPlaybackQuality().totalVideoFrames,
					width: v.videoWidth
				})),
			{ timeout: 15_000 }
		)
		.toMatchObject({ frames: expect.any(Number), width: expect.any(Number) });
	await expect
		.poll(
			() => video.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames),
			{
				timeout: 15_000
			}
		)
		.toBeGreaterThan(3);
	expect(await video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
}

async function joinVideo(page: Page): Promise<void> {
	await expect(page.getByLabel('Caméra', { exact: true })).toBeEnabled({ timeout: 15_000 });
	await page.getByRole('button', { name: 'Rejoindre la visioconférence' }).click();
	await expect(page.getByRole('button', { name: 'Quitter la visioconférence' })).toBeVisible({
		timeout: 15_000
	});
}

test('un médecin qui ne pourra pas venir donne un avis écrit avant la séance', async ({ page }) => {
	await login(page, 'n.garnier');
	await page.goto(`/cases/${fx.caseIds[0]}/opinion`);
	await expect(page.getByRole('heading', { name: 'Avis écrit', level: 1 })).toBeVisible();
	await page.getByRole('button', { name: 'Enregistrer l’avis écrit' }).click();
	await expect(
		page.getByText('Votre avis doit compter au moins 10 caractères.').first()
	).toBeVisible();
	await expect(page.getByRole('textbox', { name: 'Votre avis' })).toHaveAttribute(
		'aria-invalid',
		'true'
	);
	await page
		.getByRole('textbox', { name: 'Votre avis' })
		.fill('Radiothérapie préopératoire à discuter si cT3 confirmé.');
	await page.getByRole('button', { name: 'Enregistrer l’avis écrit' }).click();
	await expect(page.getByText('Votre avis écrit est enregistré.')).toBeVisible();
	await expect(page.getByText('Dr Nicolas Garnier — Oncologie radiothérapie')).toBeVisible();
	await expectAccessible(page);
});

test('la séance est refusée à qui n’y est pas invité, jeton compris', async ({ page }) => {
	await login(page, 'c.faure'); // member of the pathway, not invited to this meeting
	const response = await page.goto(room());
	expect(response?.status()).toBe(403);
	await expect(page.getByText('Vous n’êtes pas invité(e) à cette séance.')).toBeVisible();
	const token = await page.request.post(`/api/meetings/${fx.meetingId}/token`, { data: {} });
	expect(token.status()).toBe(403);
	expect(await token.json()).toEqual({ message: 'Vous n’êtes pas invité(e) à cette séance.' });
	const events = await page.request.get(`/api/meetings/${fx.meetingId}/events`);
	expect(events.status()).toBe(403);
});

test('la séance en direct avec le vrai serveur LiveKit', async ({ browser }) => {
	// Read when the test runs: the harness has started (or not) LiveKit by then.
	const livekit = readLivekitInfo();
	if (livekit.url === null) console.log(`Tests vidéo ignorés : ${livekit.reason}`);
	test.skip(livekit.url === null, `Tests vidéo ignorés : ${livekit.reason}`);
	test.setTimeout(150_000);
	const [chairCtx, chair] = await newUserPage(browser, 'h.rousseau');
	const [memberCtx, member] = await newUserPage(browser, 'j.moreau');
	const guestCtx = await browser.newContext({ permissions: ['camera', 'microphone'] });
	const guest = await guestCtx.newPage();
	try {
		// The chair opens the meeting; the first case is on screen.
		await chair.goto(room());
		await expect(chair.getByText('La séance n’est pas encore ouverte.')).toBeVisible();
		await expectAccessible(chair);
		await chair.getByRole('button', { name: 'Ouvrir la séance' }).click();
		await expect(chair.getByText('La séance est ouverte.')).toBeVisible();
		await expect(chair.getByText('Dossier 1 sur 3').first()).toBeVisible();
		await expect(chair.getByRole('heading', { name: new RegExp(fx.patients[0]!) })).toBeVisible();

		// Pre-join: the fake devices are listed, the preview runs.
		const cameras = chair.getByLabel('Caméra', { exact: true }).locator('option');
		await expect(cameras.first()).not.toHaveText('Sans caméra', { timeout: 15_000 });
		expect(await cameras.allTextContents()).toEqual(
			expect.arrayContaining([expect.stringMatching(/fake/i)])
		);
		expect(
			await chair.getByLabel('Micro', { exact: true }).locator('option').allTextContents()
		).toEqual(expect.arrayContaining([expect.stringMatching(/fake/i)]));
		await expect
			.poll(() =>
				chair.getByLabel('Aperçu de votre caméra').evaluate((v: HTMLVideoElement) => v.videoWidth)
			)
			.toBeGreaterThan(0);
		await expectAccessible(chair);
		await joinVideo(chair);

		await member.goto(room());
		await expect(member.getByText('Dossier 1 sur 3').first()).toBeVisible();
		await joinVideo(member);
		await expectFrames(chair, who('j.moreau'));
		await expectFrames(member, who('h.rousseau'));
		await expect(chair.locator(`li.tile[data-identity="${who('j.moreau')}"]`)).toContainText(
			'Chirurgie viscérale et digestive'
		);

		// LiveKit's own webhooks reach Pluri: presence and quorum update on every page.
		const presence = chair.getByRole('region', { name: /Présents/ });
		await expect(presence.getByText('Dr Julien Moreau', { exact: true })).toBeVisible({
			timeout: 15_000
		});
		await expect(presence.getByText('Dr Hélène Rousseau', { exact: true })).toBeVisible();
		const quorum = member.getByRole('region', { name: 'Quorum' });
		await expect(quorum.getByText('Quorum atteint', { exact: true })).toBeVisible();
		await expect(quorum.locator('[data-list="opinion"]')).toHaveText('Oncologie radiothérapie');
		await expect(
			member.getByText('Radiothérapie préopératoire à discuter si cT3 confirmé.')
		).toBeVisible();

		// Documents are shown in the page: the PDF in a frame, the image inline.
		await chair.getByRole('button', { name: 'Afficher « compte-rendu-scanner.pdf »' }).click();
		const frame = chair.locator('iframe[title="Document : compte-rendu-scanner.pdf"]');
		await expect(frame).toBeVisible();
		const pdf = await chair.request.get(room() + `/documents/${fx.documents.pdf}`);
		expect(pdf.status()).toBe(200);
		expect(pdf.headers()['content-type']).toBe('application/pdf');
		expect(pdf.headers()['content-disposition']).toMatch(/^inline;/);
		expect(pdf.headers()['x-frame-options']).toBe('SAMEORIGIN');
		await chair.getByRole('button', { name: 'Afficher « coupe-scanner.png »' }).click();
		const image = chair.getByRole('img', { name: 'Document : coupe-scanner.png' });
		await expect.poll(() => image.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBe(64);
		await chair.getByRole('button', { name: 'Masquer « coupe-scanner.png »' }).click();

		// The GP waits for their patient's case.
		await guest.goto(guestRoom());
		await expect(
			guest.getByText('Le dossier de votre patient passera après 1 dossier.')
		).toBeVisible();
		await expect(guest.getByText(fx.patients[0]!)).toHaveCount(0);
		await expectAccessible(guest);

		// The coordinator, without JavaScript, checks in someone present in the room.
		const [coordCtx, coord] = await newUserPage(browser, 'coordination', {
			javaScriptEnabled: false
		});
		await coord.goto(room());
		await coord
			.getByLabel('Présent(e) en salle, sans visio')
			.selectOption({ label: 'Dr Nicolas Garnier — Oncologie radiothérapie' });
		await coord.getByRole('button', { name: 'Enregistrer la présence' }).click();
		await expect(
			coord.getByText('Dr Nicolas Garnier est enregistré(e) présent(e) en salle.')
		).toBeVisible();
		// (axe needs JavaScript; the same page and form were checked on the chair's screen.)
		await coordCtx.close();
		await expect(presence.locator('li', { hasText: 'Dr Nicolas Garnier' })).toContainText(
			'En salle'
		);
		await expect(quorum.locator('[data-list="present"]')).toContainText('Oncologie radiothérapie');

		// Next case: everyone follows; the GP's page becomes the room.
		await chair.getByRole('button', { name: 'Dossier suivant →' }).click();
		await expect(member.getByText('Dossier 2 sur 3').first()).toBeVisible();
		await expect(member.getByRole('heading', { name: new RegExp(fx.patients[1]!) })).toBeVisible();
		await expect(guest.getByText('C’est le tour du dossier de votre patient')).toBeVisible();
		await expect(guest.getByRole('heading', { name: new RegExp(fx.patients[1]!) })).toBeVisible();
		await expect(guest.getByRole('region', { name: 'Ordre du jour' })).toHaveCount(0);
		await joinVideo(guest);
		const guestIdentity = await guest
			.locator('li.tile')
			.filter({ hasText: '(vous)' })
			.getAttribute('data-identity');
		expect(guestIdentity).toMatch(/^guest:/);
		await expectFrames(guest, who('h.rousseau'));
		await expectFrames(guest, who('j.moreau'));
		await expectFrames(chair, guestIdentity!);
		await expectFrames(member, guestIdentity!);
		await expect(guest.getByRole('button', { name: 'Partager mon écran' })).toHaveCount(0);
		await expectAccessible(guest);

		// A screen share (imaging) reaches the others.
		await member.getByRole('button', { name: 'Partager mon écran' }).click();
		await expectFrames(chair, who('j.moreau'), 'screen');
		await expectFrames(guest, who('j.moreau'), 'screen');

		// The chair mutes the member: muted on the member's page and on everyone else's.
		await expect(member.getByRole('button', { name: 'Couper mon micro' })).toBeVisible();
		await presence.getByRole('button', { name: 'Couper son micro (Dr Julien Moreau)' }).click();
		await expect(chair.getByText('Son micro est coupé.')).toBeVisible();
		await expect(member.getByRole('button', { name: 'Activer mon micro' })).toBeVisible();
		await expect(member.getByText('Le président de séance a coupé votre micro.')).toBeVisible();
		for (const page of [chair, guest]) {
			await expect(
				page.locator(
					`li.tile[data-identity="${who('j.moreau')}"][data-kind="camera"] [data-flag="muted"]`
				)
			).toBeVisible();
		}

		// Each failure gets its own French message (here for Dr Garnier): devices denied, a token
		// LiveKit refuses, an unreachable LiveKit address.
		const [lateCtx, late] = await newUserPage(browser, 'n.garnier');
		await late.addInitScript(() => {
			navigator.mediaDevices.getUserMedia = () =>
				Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
		});
		let forge: 'token' | 'url' = 'token';
		await late.route('**/api/meetings/*/token', async (route) => {
			const response = await route.fetch();
			const body = await response.json();
			const json =
				forge === 'token'
					? { ...body, token: 'forged.jwt.token' }
					: { ...body, url: 'ws://127.0.0.1:9' };
			await route.fulfill({ response, json });
		});
		await late.goto(room());
		await expect(
			late.getByRole('alert').filter({ hasText: 'refuse l’accès à la caméra et au micro' })
		).toBeVisible({
			timeout: 15_000
		});
		await late.getByRole('button', { name: 'Rejoindre sans caméra ni micro' }).click();
		await expect(late.getByLabel('Caméra', { exact: true })).toHaveValue('none');
		await expect(late.getByLabel('Micro', { exact: true })).toHaveValue('none');
		await late.getByRole('button', { name: 'Rejoindre la visioconférence' }).click();
		await expect(
			late.getByRole('alert').filter({ hasText: 'a refusé votre jeton d’accès' })
		).toBeVisible({
			timeout: 20_000
		});
		forge = 'url';
		await late.getByRole('button', { name: 'Rejoindre la visioconférence' }).click();
		await expect(late.getByRole('alert').filter({ hasText: 'est injoignable' })).toBeVisible({
			timeout: 20_000
		});
		await expect(late.getByRole('button', { name: 'Rejoindre la visioconférence' })).toBeEnabled();
		await expectAccessible(late);
		await lateCtx.close();

		// The chair moves on: the GP leaves the video room, their page says why.
		await chair.getByRole('button', { name: 'Dossier suivant →' }).click();
		await expect(
			guest.getByText('La présentation du dossier de votre patient est terminée').first()
		).toBeVisible();
		await expect(guest.getByRole('button', { name: 'Quitter la visioconférence' })).toHaveCount(0);
		await expect(guest.getByRole('heading', { name: new RegExp(fx.patients[1]!) })).toHaveCount(0);
		await expect(chair.locator(`li.tile[data-identity="${guestIdentity}"]`)).toHaveCount(0, {
			timeout: 15_000
		});

		// Removing a participant disconnects them.
		await presence.getByRole('button', { name: 'Retirer de la visio (Dr Julien Moreau)' }).click();
		await expect(
			member.getByText('Le président de séance vous a retiré de la visioconférence.')
		).toBeVisible({
			timeout: 15_000
		});
		await expect(chair.locator(`li.tile[data-identity="${who('j.moreau')}"]`)).toHaveCount(0, {
			timeout: 15_000
		});
		await expect(presence.locator('li', { hasText: 'Dr Julien Moreau' })).toHaveCount(0, {
			timeout: 15_000
		});

		// The chair ends the meeting for everyone.
		await chair.getByText('Terminer la séance…').click();
		await chair.getByRole('button', { name: 'Terminer la séance pour tous' }).click();
		await expect(chair.getByText(/La séance est terminée\./).first()).toBeVisible();
		await expect(member.getByText('La séance est terminée.').first()).toBeVisible();
		const db = openE2eDb();
		const rows = await db.select().from(attendance).where(eq(attendance.meetingId, fx.meetingId));
		expect(rows.length).toBeGreaterThanOrEqual(4);
		expect(rows.every((r) => r.leftAt !== null)).toBe(true);
	} finally {
		await Promise.all([chairCtx.close(), memberCtx.close(), guestCtx.close()]);
	}
});

test('sans LiveKit, la séance se tient en salle et la page dit comment activer la vidéo', async ({
	page
}) => {
	const livekit = readLivekitInfo();
	test.skip(livekit.url !== null, 'LiveKit tourne : ce cas est couvert par le test vidéo');
	await login(page, 'h.rousseau');
	await page.goto(room());
	await page.getByRole('button', { name: 'Ouvrir la séance' }).click();
	await expect(
		page.getByText('La visioconférence n’est pas configurée sur ce serveur')
	).toBeVisible();
	await expect(page.getByText('npm run livekit')).toBeVisible();
	await expect(page.getByText('Dossier 1 sur 3').first()).toBeVisible();
	await expectAccessible(page);
	const token = await page.request.post(`/api/meetings/${fx.meetingId}/token`, { data: {} });
	expect(token.status()).toBe(503);
});

test('au clavier, le président garde sa place ; un flux d’état refusé reprend seul', async ({
	browser
}) => {
	const own = await createLiveMeeting();
	const ownRoom = `/meetings/${own.meetingId}/room`;
	const [chairCtx, chair] = await newUserPage(browser, 'h.rousseau');
	const [memberCtx, member] = await newUserPage(browser, 'j.moreau');
	try {
		// The member's state stream is refused (a proxy's 503 while the server restarts).
		let refused = 0;
		await member.route('**/events', (route) => {
			refused++;
			return route.fulfill({ status: 503, body: 'Service indisponible' });
		});
		await member.goto(ownRoom);
		await expect(member.getByTestId('feed-status')).toContainText('reconnexion en cours');
		await member.unroute('**/events');
		expect(refused).toBeGreaterThan(0);

		// Keyboard only: the focus stays in the chair's bar from one case to the next.
		// The state stream opens once the page is live (hydrated): a key press before would post
		// the form the plain HTML way.
		const live = chair.waitForResponse((r) => r.url().endsWith('/events'));
		await chair.goto(ownRoom);
		await live;
		const open = chair.getByRole('button', { name: 'Ouvrir la séance' });
		await open.focus();
		await chair.keyboard.press('Enter');
		await expect(chair.getByText('La séance est ouverte.')).toBeVisible();
		const next = chair.getByRole('button', { name: 'Dossier suivant →' });
		await expect(next).toBeFocused();
		await chair.keyboard.press('Enter');
		await expect(chair.getByText('Dossier 2 à l’écran.')).toBeVisible();
		await expect(next).toBeFocused();
		await chair.keyboard.press('Enter');
		await expect(chair.getByText('Dossier 3 à l’écran.')).toBeVisible();
		// The last case: « suivant » is disabled, the focus moves to « précédent ».
		await expect(next).toBeDisabled();
		await expect(chair.getByRole('button', { name: '← Dossier précédent' })).toBeFocused();
		await expectAccessible(chair);

		// The member's page came back by itself and follows the meeting.
		await expect(member.getByText('Dossier 3 sur 3').first()).toBeVisible({ timeout: 10_000 });
		await expect(member.getByTestId('feed-status')).toHaveText('');
		await expect(member.getByTestId('announce')).toContainText('Dossier 3 sur 3 à l’écran');
	} finally {
		await Promise.all([chairCtx.close(), memberCtx.close()]);
	}
});
