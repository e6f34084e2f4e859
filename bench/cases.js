// Server time of the case-preparation pages on the demo data: the coordinator's worklist and
// the meeting agenda (the demo’s 15 cases, and 40 cases), against the health page (one query)
// as the anchor. Starts the built server on a fresh demo database (bench/server.js).
//
//   npx vite build && npm run bench:cases        (PLURI_BUILD_DIR picks another build)
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loginCookie, startBenchServer } from './server.js';

const buildDir = process.env.PLURI_BUILD_DIR ?? 'build';
if (!existsSync(join(buildDir, 'index.js'))) {
	console.error(
		`Construisez d’abord l’application (npx vite build) : ${buildDir}/index.js manque.`
	);
	process.exit(1);
}
const SEQUENTIAL = Number(process.env.BENCH_REQUESTS ?? 300);
const CONCURRENCY = 10;

/** Puts 40 cases on the digestive meeting after next, copying the demo's prepared ones. */
function prepareFortyCaseAgenda(db) {
	const pathway = db.prepare("select id from pathway where code = 'onco-digestive'").get();
	const meetings = db
		.prepare(
			"select id from meeting where pathway_id = ? and status = 'scheduled' and starts_at > ? order by starts_at limit 2"
		)
		.all(pathway.id, Date.now());
	const [demo, target] = meetings;
	const source = db
		.prepare('select * from rcp_case where meeting_id = ? order by agenda_position')
		.all(demo.id);
	const existing = db
		.prepare('select count(*) as n from rcp_case where meeting_id = ?')
		.get(target.id).n;
	const insertCase = db.prepare(
		`insert into rcp_case (id, patient_id, pathway_id, meeting_id, requester_id, referring_name, referring_rpps,
			referring_email, gp_name, gp_rpps, gp_email, question, summary, pathway_data, status, wants_next_meeting,
			agenda_position, estimated_minutes, presenter_id, needed_specialties, submitted_at, created_at)
		 values (@id, @patient_id, @pathway_id, @meeting_id, @requester_id, @referring_name, @referring_rpps,
			@referring_email, @gp_name, @gp_rpps, @gp_email, @question, @summary, @pathway_data, @status, 0,
			@agenda_position, @estimated_minutes, @presenter_id, @needed_specialties, @submitted_at, @created_at)`
	);
	const copyDocs = db.prepare(
		`insert into document (id, case_id, kind, file_name, content_type, size, sha256, stored_path, document_date, uploaded_by, uploaded_at)
		 select lower(hex(randomblob(16))), ?, kind, file_name, content_type, size, sha256, stored_path, document_date, uploaded_by, uploaded_at
		 from document where case_id = ?`
	);
	db.transaction(() => {
		for (let i = existing; i < 40; i++) {
			const c = source[i % source.length];
			const id = crypto.randomUUID();
			insertCase.run({ ...c, id, meeting_id: target.id, agenda_position: i + 1 });
			copyDocs.run(id, c.id);
		}
	})();
	return { pathwayId: pathway.id, demoMeeting: demo.id, fortyMeeting: target.id };
}

let lastSize = 0;

async function timed(url, cookie) {
	const start = performance.now();
	const res = await fetch(url, { headers: cookie ? { cookie } : {} });
	lastSize = (await res.arrayBuffer()).byteLength;
	if (res.status !== 200) throw new Error(`${url} → ${res.status}`);
	return performance.now() - start;
}

function percentile(sorted, p) {
	return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(label, url, cookie) {
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
	const rps = (SEQUENTIAL / (performance.now() - started)) * 1000;
	return {
		page: label,
		'p50 (ms)': percentile(times, 50).toFixed(1),
		'p95 (ms)': percentile(times, 95).toFixed(1),
		'p99 (ms)': percentile(times, 99).toFixed(1),
		[`req/s (${CONCURRENCY} conn.)`]: Math.round(rps),
		'HTML (KB)': Math.round(lastSize / 1024)
	};
}

const server = await startBenchServer({ port: Number(process.env.BENCH_PORT ?? 4394) });
const { origin } = server;
try {
	const db = new Database(server.databasePath);
	const ids = prepareFortyCaseAgenda(db);
	db.close();
	const cookie = await loginCookie(origin, 'coordination@demo.pluri.fr');
	const rows = [];
	rows.push(await measure('health page (anchor: one query, no session)', `${origin}/health`, null));
	rows.push(await measure('login page (no session)', `${origin}/login`, null));
	rows.push(
		await measure(
			'worklist (submitted requests)',
			`${origin}/pathways/${ids.pathwayId}/worklist`,
			cookie
		)
	);
	rows.push(
		await measure(
			'worklist (57 scheduled cases)',
			`${origin}/pathways/${ids.pathwayId}/worklist?status=scheduled`,
			cookie
		)
	);
	rows.push(
		await measure('agenda, 15 cases (demo)', `${origin}/meetings/${ids.demoMeeting}/agenda`, cookie)
	);
	rows.push(
		await measure('agenda, 40 cases', `${origin}/meetings/${ids.fortyMeeting}/agenda`, cookie)
	);
	console.log(
		`Pluri — case preparation pages, ${SEQUENTIAL} sequential requests each (then ${CONCURRENCY} at a time)`
	);
	console.table(rows);
} finally {
	server.stop();
}
