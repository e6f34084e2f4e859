// The same pages on both engines, side by side: a built Pluri on the demo network, once on its
// embedded SQLite file and once on PostgreSQL (a throw-away cluster, Debian's package), each
// page measured after a warm-up, sequentially and then 10 at a time.
//
//   npx vite build && npm run bench:engines
import { startPostgresCluster } from '../scripts/postgres-cluster.js';
import { loginCookie, startBenchServer } from './server.js';

const SEQUENTIAL = Number(process.env.BENCH_REQUESTS ?? 200);
const CONCURRENCY = 10;

let lastStatements = 0;

async function timed(url, cookie) {
	const start = performance.now();
	const res = await fetch(url, { headers: cookie ? { cookie } : {} });
	await res.arrayBuffer();
	if (res.status !== 200) throw new Error(`${url} → ${res.status}`);
	lastStatements = Number(res.headers.get('x-pluri-sql-statements') ?? NaN);
	return performance.now() - start;
}

const percentile = (sorted, p) =>
	sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function measure(url, cookie) {
	for (let i = 0; i < 20; i++) await timed(url, cookie);
	const times = [];
	for (let i = 0; i < SEQUENTIAL; i++) times.push(await timed(url, cookie));
	times.sort((a, b) => a - b);
	const started = performance.now();
	let done = 0;
	await Promise.all(
		Array.from({ length: CONCURRENCY }, async () => {
			while (done < SEQUENTIAL) {
				done++;
				await timed(url, cookie);
			}
		})
	);
	return {
		statements: lastStatements,
		p50: percentile(times, 50),
		p95: percentile(times, 95),
		rps: (SEQUENTIAL / (performance.now() - started)) * 1000
	};
}

async function pagesOf(origin) {
	const cookie = await loginCookie(origin, 'coordination@demo.pluri.fr');
	const read = async (path) => (await fetch(`${origin}${path}`, { headers: { cookie } })).text();
	const pathway = /\/pathways\/([\w-]{36})/.exec(await read('/pathways'))?.[1];
	const worklist = await read(`/pathways/${pathway}/worklist?status=scheduled`);
	const meeting = /\/meetings\/([\w-]{36})/.exec(worklist)?.[1];
	if (!pathway || !meeting) throw new Error('Filière ou séance de démonstration introuvable.');
	return [
		['santé (/health, une requête)', `${origin}/health`, null],
		['accueil', `${origin}/`, cookie],
		['liste de travail', `${origin}/pathways/${pathway}/worklist`, cookie],
		['dossiers inscrits', `${origin}/pathways/${pathway}/worklist?status=scheduled`, cookie],
		['calendrier des séances', `${origin}/calendar`, cookie],
		['dossiers', `${origin}/cases`, cookie],
		['ordre du jour', `${origin}/meetings/${meeting}/agenda`, cookie],
		['recherche « mar »', `${origin}/search?q=mar`, cookie]
	];
}

async function run(engine, env) {
	const server = await startBenchServer({
		port: engine === 'sqlite' ? 4396 : 4397,
		env: { ...env, PLURI_SQL_COUNT: '1' }
	});
	try {
		const results = new Map();
		for (const [label, url, cookie] of await pagesOf(server.origin))
			results.set(label, await measure(url, cookie));
		return results;
	} finally {
		server.stop();
	}
}

const sqlite = await run('sqlite', {});
const cluster = await startPostgresCluster();
let postgres;
try {
	postgres = await run('postgres', { DATABASE_URL: cluster.url });
} finally {
	cluster.stop();
}
const rows = [...sqlite.keys()].map((label) => {
	const s = sqlite.get(label);
	const p = postgres.get(label);
	return {
		page: label,
		'SQL/page': s.statements === p.statements ? s.statements : `${s.statements}/${p.statements}`,
		'SQLite p50': s.p50.toFixed(1),
		'PG p50': p.p50.toFixed(1),
		'SQLite p95': s.p95.toFixed(1),
		'PG p95': p.p95.toFixed(1),
		'PG/SQLite (p50)': (p.p50 / s.p50).toFixed(2),
		'SQLite req/s': Math.round(s.rps),
		'PG req/s': Math.round(p.rps)
	};
});
console.log(
	`Pluri — server time (ms) on the demo network, ${SEQUENTIAL} sequential requests per page, then ${CONCURRENCY} at a time`
);
console.table(rows);
