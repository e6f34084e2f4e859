import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { AccessToken } from 'livekit-server-sdk';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
	describeMissingPostgres,
	findPostgresBin,
	startPostgresCluster
} from '../../scripts/postgres-cluster.js';
import { startDeliveryFakes } from '../support/delivery-fakes.js';
import { demoEmail, DEMO_PASSWORD } from '../support/e2e';
import { startInstance, type Instance } from '../support/instances';
import type { LiveMeetingFixture } from '../support/live-e2e';

/**
 * Two Pluri instances on one PostgreSQL, as a regional network runs them behind a load
 * balancer: what one instance writes or hears reaches the people on the other one. Runs in its
 * own Playwright project (its own worker), so this process opens the database as PostgreSQL.
 */

test.describe.configure({ mode: 'serial' });
const missing = findPostgresBin() ? null : describeMissingPostgres();

const port = Number(process.env.E2E_PORT ?? 4317) + 40;
const KEY = 'instances-key';
const SECRET = 'instances-secret-0123456789-abcdefghij';
let cluster: Awaited<ReturnType<typeof startPostgresCluster>>;
let sql: pg.Client;
let a: Instance;
let b: Instance;
let fx: LiveMeetingFixture;
let mailApi: string;
let stopFakes: () => Promise<void> = async () => {};

test.beforeAll(async () => {
	// PostgreSQL is a real part of this test (.ci/run installs it): missing, the test fails and says so.
	if (missing !== null) throw new Error(missing);
	test.setTimeout(180_000);
	cluster = await startPostgresCluster();
	const dir = mkdtempSync(join(tmpdir(), 'pluri-instances-'));
	const fakes = await startDeliveryFakes(dir);
	stopFakes = fakes.stop;
	mailApi = (JSON.parse(readFileSync(join(dir, 'delivery.json'), 'utf8')) as { mailApiUrl: string })
		.mailApiUrl;
	const env = {
		...fakes.env,
		PLURI_DEMO: '1',
		// Both instances share the document folder (docs/operations.md).
		UPLOAD_DIR: join(dir, 'uploads'),
		// No LiveKit server listens there: the meeting is held in the room (opening warns that
		// the video is unavailable), and LiveKit's webhooks, signed with the key, still count.
		LIVEKIT_URL: 'ws://127.0.0.1:9',
		LIVEKIT_API_KEY: KEY,
		LIVEKIT_API_SECRET: SECRET
	};
	// A migrates and seeds the demo network; B finds it there.
	a = await startInstance({ port, databaseUrl: cluster.url, dataDir: dir, env });
	b = await startInstance({ port: port + 1, databaseUrl: cluster.url, dataDir: dir, env });
	// This worker's own database handle, on PostgreSQL (tables picked from DATABASE_URL).
	process.env.DATABASE_URL = cluster.url;
	const { openDatabase } = await import('../../src/lib/server/db/index');
	const { createLiveMeeting } = await import('../support/live-e2e');
	fx = await createLiveMeeting({ db: openDatabase(cluster.url), uploadDir: join(dir, 'uploads') });
	sql = new pg.Client({ connectionString: cluster.url });
	await sql.connect();
});

test.afterAll(async () => {
	await sql?.end();
	await Promise.all([a?.stop(), b?.stop()]);
	await stopFakes();
	cluster?.stop();
});

async function userOn(
	browser: Browser,
	instance: Instance,
	key: string
): Promise<[BrowserContext, Page]> {
	const context = await browser.newContext({ baseURL: instance.baseURL });
	const page = await context.newPage();
	await page.goto('/login');
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Adresse électronique').fill(demoEmail(key));
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
	return [context, page];
}

async function signedWebhook(body: string): Promise<string> {
	const token = new AccessToken(KEY, SECRET, { ttl: '5m' });
	token.sha256 = createHash('sha256').update(body).digest('base64');
	return token.toJwt();
}

test('le compteur de tentatives de connexion vaut pour les deux instances', async ({ browser }) => {
	const email = demoEmail('c.faure');
	const attempt = async (instance: Instance, password: string): Promise<Page> => {
		const context = await browser.newContext({ baseURL: instance.baseURL });
		const page = await context.newPage();
		await page.goto('/login');
		await page.waitForLoadState('networkidle');
		await page.getByLabel('Adresse électronique').fill(email);
		await page.getByLabel('Mot de passe').fill(password);
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await expect(page.getByRole('alert').first()).toBeVisible();
		return page;
	};
	// Five wrong passwords, alternately on A and B (a round-robin proxy would do just that).
	for (let i = 0; i < 5; i++) {
		const page = await attempt(i % 2 ? b : a, 'pas-le-bon-mot-de-passe');
		await page.context().close();
	}
	// The right password is now refused on both, for the wait the rule sets.
	for (const instance of [a, b]) {
		const page = await attempt(instance, DEMO_PASSWORD);
		await expect(page.getByText(/Trop de tentatives de connexion/)).toBeVisible();
		await page.context().close();
	}
});

test('avec deux envois en parallèle (un par instance), chaque courriel part une seule fois', async () => {
	// Decisions of the demo network to send again: their mail rows back to « à envoyer ».
	const { rows } = await sql.query<{ id: string }>(
		`UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = now(),
			delivered_at = NULL, claimed_by = NULL, claimed_until = NULL, remote_id = NULL
		 WHERE id IN (SELECT id FROM outbox WHERE channel = 'mail' ORDER BY id LIMIT 20)
		 RETURNING id`
	);
	// The demo network has a handful of them.
	expect(rows.length).toBeGreaterThanOrEqual(5);
	const ids = rows.map((r) => r.id);
	await sql.query(`DELETE FROM mail_message WHERE message_id LIKE ANY ($1)`, [
		ids.map((id) => `<decision-${id}%`)
	]);
	await expect
		.poll(
			async () =>
				(
					await sql.query<{ n: number }>(
						`SELECT count(*)::int AS n FROM outbox WHERE id = ANY ($1) AND status = 'delivered'`,
						[ids]
					)
				).rows[0]!.n,
			{ timeout: 30_000 }
		)
		.toBe(ids.length);
	const mails = (await (await fetch(`${mailApi}/mails`)).json()) as { messageId: string }[];
	const sent = ids.map(
		(id) => mails.filter((m) => m.messageId.startsWith(`<decision-${id}`)).length
	);
	expect(sent).toEqual(ids.map(() => 1));
	// Both instances took part (each worker claimed some of the rows).
	const { rows: by } = await sql.query<{ n: number }>(
		`SELECT count(DISTINCT detail::jsonb ->> 'worker')::int AS n FROM audit_event
		 WHERE action = 'delivery.delivered' AND object_id = ANY ($1)`,
		[ids]
	);
	console.log(`[instances] envois répartis entre ${by[0]?.n ?? '?'} travailleur(s)`);
});

test('le président sur A, un membre sur B : chaque dossier suit en moins d’une seconde, un webhook reçu par B compte sur A, B continue sans A', async ({
	browser
}) => {
	const room = `/meetings/${fx.meetingId}/room`;
	const [chairCtx, chair] = await userOn(browser, a, 'h.rousseau');
	const [memberCtx, member] = await userOn(browser, b, 'j.moreau');
	try {
		const live = member.waitForResponse((r) => r.url().endsWith('/events'));
		await member.goto(room);
		await live;
		await chair.goto(room);
		await chair.getByRole('button', { name: 'Ouvrir la séance' }).click();
		await expect(chair.getByText('La séance est ouverte.')).toBeVisible();
		await expect(member.getByText('Dossier 1 sur 3').first()).toBeVisible({ timeout: 2_000 });

		// Each case change made on A is on the member's screen on B within a second.
		for (const n of [2, 3]) {
			await chair.getByRole('button', { name: 'Dossier suivant →' }).click();
			const shown = Date.now();
			await expect(member.getByText(`Dossier ${n} sur 3`).first()).toBeVisible({
				timeout: 1_000
			});
			console.log(`[instances] dossier ${n} sur B : ${Date.now() - shown} ms après le clic sur A`);
		}

		// LiveKit's webhook lands on B; the chair's presence list on A counts Dr Garnier.
		const presence = chair.getByRole('heading', { name: /^Présents/ });
		await expect(presence).toHaveText('Présents (0)');
		const body = JSON.stringify({
			event: 'participant_joined',
			id: `EV_${crypto.randomUUID()}`,
			createdAt: String(Math.floor(Date.now() / 1000)),
			room: { sid: 'RM_1', name: `pluri-${fx.meetingId}` },
			participant: {
				sid: 'PA_1',
				identity: `user:${fx.userIds['n.garnier']}`,
				name: 'x',
				state: 'ACTIVE'
			}
		});
		const hook = await fetch(`${b.baseURL}/api/livekit/webhook`, {
			method: 'POST',
			headers: {
				'content-type': 'application/webhook+json',
				authorization: await signedWebhook(body)
			},
			body
		});
		expect(hook.status).toBe(200);
		await expect(presence).toHaveText('Présents (1)', { timeout: 2_000 });
		await expect(chair.getByText('Nicolas Garnier').first()).toBeVisible();

		// A dies mid-meeting: the member on B goes on, the chair logs in again on B.
		await a.kill();
		await chairCtx.close();
		const [chairOnB, chairB] = await userOn(browser, b, 'h.rousseau');
		try {
			await chairB.goto(room);
			await expect(chairB.getByText('Dossier 3 sur 3').first()).toBeVisible();
			await chairB.getByRole('button', { name: '← Dossier précédent' }).click();
			await expect(member.getByText('Dossier 2 sur 3').first()).toBeVisible({ timeout: 1_000 });
		} finally {
			await chairOnB.close();
		}
	} finally {
		await Promise.all([chairCtx.close().catch(() => {}), memberCtx.close()]);
	}
});
