import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { RoomServiceClient } from 'livekit-server-sdk';
import { findLivekitBinary, startLivekit } from '../../scripts/livekit-server.js';
import { findRedisBinary, startRedis } from '../../scripts/redis-server.js';
import { login } from '../support/e2e';
import { createLiveMeeting, requireLivekit, type LiveMeetingFixture } from '../support/live-e2e';

/**
 * Video beyond one node: two LiveKit servers in multi-node mode on one Redis (LiveKit's own
 * `redis` setting, Debian's redis-server) serve one Pluri meeting. The chair's browser is sent
 * to node A and the member's to node B, as a load balancer in front of the nodes would; they
 * see each other's video, both nodes list both participants, and the webhooks of both nodes
 * reach Pluri (the presence list shows both).
 */

test.describe.configure({ mode: 'serial' });

type Node = Awaited<ReturnType<typeof startLivekit>>;
let fx: LiveMeetingFixture;
let redis: Awaited<ReturnType<typeof startRedis>> | undefined;
let nodes: Node[] = [];

const port = Number(process.env.E2E_PORT ?? 4317);
test.beforeAll(async () => {
	// Both real parts are part of the test toolchain (`.ci/run` installs redis-server, `npm test`
	// builds LiveKit): missing, the test fails saying which.
	const keys = requireLivekit();
	if (!findRedisBinary())
		throw new Error('Ce test a besoin de redis-server (paquet Debian `redis-server`)');
	fx = await createLiveMeeting();
	redis = await startRedis();
	for (const offset of [150, 160]) {
		nodes.push(
			await startLivekit({
				binary: findLivekitBinary()!,
				portFrom: 7890 + (port % 100) * 3 + offset * 3,
				apiKey: keys.apiKey,
				apiSecret: keys.apiSecret,
				webhookUrl: `http://127.0.0.1:${port}/api/livekit/webhook`,
				redis: redis.address,
				quiet: true
			})
		);
	}
});

test.afterAll(async () => {
	await Promise.all(nodes.map((n) => n.stop()));
	nodes = [];
	redis?.stop();
});

/** A logged-in page whose video token points at the given node, as a balancer would route it. */
async function pageOnNode(
	browser: Browser,
	key: string,
	node: Node
): Promise<[BrowserContext, Page, { room: string | null }]> {
	// In production LIVEKIT_URL names the balancer in front of the nodes (and the page's policy
	// allows it); here each browser is sent to its node directly, so the policy is bypassed.
	const context = await browser.newContext({
		permissions: ['camera', 'microphone'],
		bypassCSP: true
	});
	const seen = { room: null as string | null };
	await context.route('**/api/meetings/*/token', async (route) => {
		const response = await route.fetch();
		const body = (await response.json()) as { url?: string; token?: string };
		if (body.token) {
			body.url = node.url;
			const payload = JSON.parse(Buffer.from(body.token.split('.')[1]!, 'base64url').toString());
			seen.room = payload.video?.room ?? null;
		}
		await route.fulfill({ response, json: body });
	});
	const page = await context.newPage();
	await login(page, key);
	return [context, page, seen];
}

async function joinVideo(page: Page): Promise<void> {
	await expect(page.getByLabel('Caméra', { exact: true })).toBeEnabled({ timeout: 30_000 });
	await page.getByRole('button', { name: 'Rejoindre la visioconférence' }).click();
	await expect(page.getByRole('button', { name: 'Quitter la visioconférence' })).toBeVisible({
		timeout: 30_000
	});
}

async function expectFrames(page: Page, identity: string): Promise<void> {
	const video = page.locator(`li.tile[data-identity="${identity}"][data-kind="camera"] video`);
	await expect(video).toBeVisible({ timeout: 30_000 });
	await video.scrollIntoViewIfNeeded();
	await expect
		.poll(
			() => video.evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames),
			{ timeout: 30_000 }
		)
		.toBeGreaterThan(3);
}

test('deux nœuds LiveKit sur un même Redis servent une même séance', async ({ browser }) => {
	test.setTimeout(120_000);
	const [a, b] = nodes as [Node, Node];
	const room = `/meetings/${fx.meetingId}/room`;
	const who = (key: string): string => `user:${fx.userIds[key]}`;
	const [chairCtx, chair, chairSeen] = await pageOnNode(browser, 'h.rousseau', a);
	const [memberCtx, member] = await pageOnNode(browser, 'j.moreau', b);
	try {
		await chair.goto(room);
		await chair.getByRole('button', { name: 'Ouvrir la séance' }).click();
		await expect(chair.getByText('La séance est ouverte.')).toBeVisible();
		await joinVideo(chair);
		await member.goto(room);
		await joinVideo(member);

		// Media flows both ways although each browser talks to its own node.
		await expectFrames(chair, who('j.moreau'));
		await expectFrames(member, who('h.rousseau'));

		// One room for the cluster: each node lists both participants.
		expect(chairSeen.room).toBeTruthy();
		for (const node of [a, b]) {
			const service = new RoomServiceClient(
				node.url.replace(/^ws/, 'http'),
				node.apiKey,
				node.apiSecret
			);
			const identities = (await service.listParticipants(chairSeen.room!)).map((p) => p.identity);
			expect(identities.sort()).toEqual([who('h.rousseau'), who('j.moreau')].sort());
		}

		// Both nodes' webhooks reach Pluri: the presence list names both doctors.
		const presence = chair.getByRole('region', { name: /Présents/ });
		await expect(presence.getByText('Dr Julien Moreau', { exact: true })).toBeVisible({
			timeout: 30_000
		});
		await expect(presence.getByText('Dr Hélène Rousseau', { exact: true })).toBeVisible();
	} finally {
		await chairCtx.close();
		await memberCtx.close();
	}
});
