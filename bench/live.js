// `npm run bench:live`: the live meeting's figures, against LiveKit's own server on loopback.
//   - server time of the video token request and of the room page (sequential, median / p95);
//   - the JavaScript the room page loads, gzip (goal ≤ 250 KB; DESIGN P3 aims at 180 KB);
//   - from « Rejoindre » to the first remote video frame decoded (goal ≤ 2 s);
//   - a case change reaching 100 Server-Sent Events clients (DESIGN P4, goal ≤ 100 ms).
// Needs a build (`npx vite build`, or PLURI_BUILD_DIR) and the LiveKit server
// (`npm run livekit:install`); Chromium from Debian for the browser part.
import Database from 'better-sqlite3';
import { chromium } from '@playwright/test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
	describeMissingLivekit,
	findLivekitBinary,
	startLivekit
} from '../scripts/livekit-server.js';
import { loginCookie, startBenchServer } from './server.js';

const buildDir = process.env.PLURI_BUILD_DIR ?? 'build';
if (!existsSync(join(buildDir, 'index.js'))) {
	console.error(
		`Construisez d’abord l’application (npx vite build) : ${buildDir}/index.js manque.`
	);
	process.exit(1);
}
if (!findLivekitBinary()) {
	console.error(`Banc vidéo impossible : ${describeMissingLivekit()}.`);
	process.exit(1);
}
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const JOINS = Number(process.env.BENCH_JOINS ?? 5);
const port = Number(process.env.BENCH_PORT ?? 4392);
const email = (key) => `${key}@demo.pluri.fr`;

const livekit = await startLivekit({
	portFrom: 8290,
	apiKey: 'bench-key',
	apiSecret: 'bench-secret-0123456789-abcdefghijkl',
	webhookUrl: `http://127.0.0.1:${port}/api/livekit/webhook`,
	quiet: true
});
const server = await startBenchServer({
	port,
	env: {
		LIVEKIT_URL: livekit.url,
		LIVEKIT_API_KEY: livekit.apiKey,
		LIVEKIT_API_SECRET: livekit.apiSecret
	}
});
const { origin } = server;

/** A meeting of the digestive pathway starting now, chaired by Dr Rousseau, Dr Moreau invited, 10 cases. */
function prepareMeeting() {
	const db = new Database(server.databasePath);
	db.pragma('busy_timeout = 5000');
	const one = (sql, ...args) => db.prepare(sql).get(...args);
	const pathway = one(`select id from pathway where code = 'onco-digestive'`).id;
	const chair = one(`select id from user where email = ?`, email('h.rousseau')).id;
	const member = one(`select id from user where email = ?`, email('j.moreau')).id;
	const now = Date.now();
	const meetingId = crypto.randomUUID();
	db.prepare(
		`insert into meeting (id, pathway_id, starts_at, ends_at, chair_id, deadline_at, place, created_at)
		 values (?, ?, ?, ?, ?, ?, 'Salle de staff', ?)`
	).run(meetingId, pathway, now, now + 90 * 60_000, chair, now - 86_400_000, now);
	db.prepare(
		`insert into invitation (id, meeting_id, user_id, reply, created_at) values (?, ?, ?, 'accepted', ?)`
	).run(crypto.randomUUID(), meetingId, member, now);
	const patients = db.prepare(`select id from patient limit 10`).all();
	patients.forEach((p, i) =>
		db
			.prepare(
				`insert into rcp_case (id, patient_id, pathway_id, meeting_id, requester_id, question, summary,
				 status, agenda_position, estimated_minutes, created_at)
				 values (?, ?, ?, ?, ?, ?, ?, 'scheduled', ?, 10, ?)`
			)
			.run(
				crypto.randomUUID(),
				p.id,
				pathway,
				meetingId,
				member,
				`Question ${i + 1}`,
				`Résumé ${i + 1}`,
				i + 1,
				now
			)
	);
	db.close();
	return meetingId;
}

function stats(samples) {
	const sorted = [...samples].sort((a, b) => a - b);
	const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
	return { median: at(0.5), p95: at(0.95) };
}

async function timeRequests(label, make) {
	for (let i = 0; i < 20; i++) await make(); // warm-up
	const samples = [];
	for (let i = 0; i < REQUESTS; i++) {
		const t0 = performance.now();
		const res = await make();
		if (!res.ok) throw new Error(`${label}: HTTP ${res.status}`);
		await res.arrayBuffer();
		samples.push(performance.now() - t0);
	}
	const { median, p95 } = stats(samples);
	console.log(
		`${label.padEnd(42)} médiane ${median.toFixed(2)} ms   p95 ${p95.toFixed(2)} ms   (${REQUESTS} requêtes)`
	);
	return { median, p95 };
}

/** Opens `count` event streams, moves to the next case, and times each stream's first new state. */
async function measureFanout(meetingId, chairCookie, viewerCookie, count) {
	const streams = await Promise.all(
		Array.from({ length: count }, async () => {
			const controller = new AbortController();
			const res = await fetch(`${origin}/api/meetings/${meetingId}/events`, {
				headers: { cookie: viewerCookie, accept: 'text/event-stream' },
				signal: controller.signal
			});
			const reader = res.body.getReader();
			const decoder = new TextDecoder();
			let buffer = '';
			/** Resolves with the time the next `event: state` block arrives. */
			const nextState = async () => {
				for (;;) {
					const end = buffer.indexOf('\n\n');
					if (end !== -1) {
						const block = buffer.slice(0, end);
						buffer = buffer.slice(end + 2);
						if (block.startsWith('event: state')) return performance.now();
						continue;
					}
					const { value, done } = await reader.read();
					if (done) throw new Error('stream closed');
					buffer += decoder.decode(value, { stream: true });
				}
			};
			await nextState(); // the state sent on connection
			return { controller, nextState };
		})
	);
	const waiting = streams.map((s) => s.nextState());
	const t0 = performance.now();
	const moved = await fetch(`${origin}/meetings/${meetingId}/room?/next`, {
		method: 'POST',
		headers: { cookie: chairCookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
		body: ''
	});
	if (!moved.ok) throw new Error(`dossier suivant : HTTP ${moved.status}`);
	const times = (await Promise.all(waiting)).map((t) => t - t0);
	for (const s of streams) s.controller.abort();
	return { last: Math.max(...times), median: stats(times).median };
}

const figures = {};
const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	args: ['--no-sandbox', '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']
});
try {
	const meetingId = prepareMeeting();
	const chairCookie = await loginCookie(origin, email('h.rousseau'));
	const memberCookie = await loginCookie(origin, email('j.moreau'));
	const opened = await fetch(`${origin}/meetings/${meetingId}/room?/open`, {
		method: 'POST',
		headers: { cookie: chairCookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
		body: ''
	});
	if (!opened.ok) throw new Error(`ouverture de la séance : HTTP ${opened.status}`);

	console.log('\nTemps serveur (boucle locale, séquentiel)');
	figures.token = await timeRequests('POST /api/meetings/…/token (jeton vidéo)', () =>
		fetch(`${origin}/api/meetings/${meetingId}/token`, {
			method: 'POST',
			headers: { cookie: memberCookie, 'content-type': 'application/json' },
			body: '{}'
		})
	);
	figures.room = await timeRequests('GET /meetings/…/room (page de séance)', () =>
		fetch(`${origin}/meetings/${meetingId}/room`, { headers: { cookie: memberCookie } })
	);
	figures.login = await timeRequests('GET /login (page minimale, repère)', () =>
		fetch(`${origin}/login`)
	);

	// P4 (DESIGN §9): a case change reaches 100 SSE clients (goal ≤ 100 ms).
	figures.fanout = await measureFanout(meetingId, chairCookie, memberCookie, 100);
	console.log('\nChangement de dossier → 100 clients SSE');
	console.log(
		`dernier client servi en ${figures.fanout.last.toFixed(1)} ms (médiane ${figures.fanout.median.toFixed(1)} ms ; objectif ≤ 100 ms)`
	);

	const contextFor = async (cookie) => {
		const context = await browser.newContext({
			permissions: ['camera', 'microphone'],
			viewport: { width: 1280, height: 800 }
		});
		const [name, value] = cookie.split('=');
		await context.addCookies([{ name, value, url: origin }]);
		return context;
	};

	// JavaScript of the room page, everything it loads up to the pre-join screen (livekit-client included).
	const memberCtx = await contextFor(memberCookie);
	const member = await memberCtx.newPage();
	const scripts = new Map();
	member.on('response', async (res) => {
		if (res.request().resourceType() !== 'script') return;
		try {
			scripts.set(res.url(), await res.body());
		} catch {
			// a navigation may discard it; measured again below
		}
	});
	await member.goto(`${origin}/meetings/${meetingId}/room`);
	await member.getByRole('button', { name: 'Rejoindre la visioconférence' }).waitFor();
	await member.waitForLoadState('networkidle');
	const raw = [...scripts.values()].reduce((n, b) => n + b.length, 0);
	const gzip = [...scripts.values()].reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
	figures.js = { files: scripts.size, raw, gzip };
	console.log('\nJavaScript de la page de séance (jusqu’à l’écran d’avant-connexion)');
	console.log(
		`${scripts.size} fichiers, ${(raw / 1024).toFixed(1)} Ko bruts, ${(gzip / 1024).toFixed(1)} Ko gzip (objectif ≤ 250 Ko)`
	);

	// The chair is in the room first; then the member joins, several times.
	const chairCtx = await contextFor(chairCookie);
	const chair = await chairCtx.newPage();
	await chair.goto(`${origin}/meetings/${meetingId}/room`);
	await chair.getByRole('button', { name: 'Rejoindre la visioconférence' }).click();
	await chair.getByRole('button', { name: 'Quitter la visioconférence' }).waitFor();
	const chairIdentity = await chair.locator('li.tile').first().getAttribute('data-identity');

	const joins = [];
	for (let i = 0; i < JOINS; i++) {
		if (i > 0) {
			await member.reload();
		}
		const join = member.getByRole('button', { name: 'Rejoindre la visioconférence' });
		await join.waitFor();
		await member.waitForFunction(() => !document.querySelector('#lk-camera')?.disabled);
		const ms = await member.evaluate(async (identity) => {
			const button = [...document.querySelectorAll('button')].find(
				(b) => b.textContent?.trim() === 'Rejoindre la visioconférence'
			);
			const t0 = performance.now();
			button.click();
			return new Promise((resolve) => {
				const check = () => {
					const video = document.querySelector(`li.tile[data-identity="${identity}"] video`);
					if (video && video.getVideoPlaybackQuality().totalVideoFrames > 0)
						resolve(performance.now() - t0);
					else requestAnimationFrame(check);
				};
				check();
			});
		}, chairIdentity);
		joins.push(ms);
	}
	figures.join = stats(joins);
	console.log('\n« Rejoindre » → première image distante décodée (LiveKit local)');
	console.log(
		`${joins.map((j) => `${Math.round(j)} ms`).join(', ')} — médiane ${Math.round(figures.join.median)} ms (objectif ≤ 2000 ms)`
	);
	await Promise.all([memberCtx.close(), chairCtx.close()]);
} finally {
	await browser.close();
	server.stop();
	await livekit.stop();
}
const ok =
	figures.js.gzip <= 250 * 1024 && figures.join.median <= 2000 && figures.fanout.last <= 100;
console.log(`\nObjectifs ${ok ? 'atteints' : 'NON atteints'}.`);
process.exit(ok ? 0 : 1);
