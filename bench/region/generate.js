// A region's ten years of RCP, for the benchmarks: four pathways of unequal size, ≈ 5,000
// meetings, 100k patients, 300k cases (most patients 1–3), their documents' metadata,
// decisions, deliveries, mails and a 2M-row keyed audit chain — deterministic for a given seed.
//
//   node bench/region/generate.js [--scale 1] [--out data/region.db] [--seed 20261202]
//
// Rows are written with prepared statements in large transactions (not through the app's data
// layer) so ten years take about a minute. The database is built by the app's own migrations;
// the audit chain is keyed with the app secret stored in it and verifies with `npm run
// audit:verify`. Every account shares BENCH_PASSWORD.
import { hash } from '@node-rs/argon2';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { buildPeople, buildMeetings, buildPathways } from './network.js';
import { createRandom } from './random.js';
import { writeAudit, writeCases } from './records.js';

export const BENCH_PASSWORD = 'Banc-Essai-Region-2026';
export const BENCH_SECRET = 'bench-region-secret-0123456789-abcdefghijklmnop';

/** Ten years back from the generation day, so « today » has current and next meetings. */
const YEARS = 10;

/**
 * @param {{ file: string, scale?: number, seed?: number, now?: Date, log?: (s: string) => void }} o
 * @returns {Promise<Record<string, number>>} rows written per table
 */
export async function generateRegion(o) {
	const scale = o.scale ?? 1;
	const log = o.log ?? (() => {});
	const now = o.now ?? new Date();
	const rand = createRandom(o.seed ?? 20261202);
	rmSync(o.file, { force: true });
	for (const suffix of ['-wal', '-shm']) rmSync(o.file + suffix, { force: true });
	mkdirSync(dirname(o.file), { recursive: true });
	const sqlite = new Database(o.file);
	sqlite.pragma('journal_mode = WAL');
	migrate(drizzle(sqlite), { migrationsFolder: resolve('drizzle') });
	// Bulk load: no fsync, no foreign-key checks per row (checked once at the end).
	sqlite.pragma('synchronous = OFF');
	sqlite.pragma('foreign_keys = OFF');

	const counts = {};
	const writer = createWriter(sqlite, counts);
	writer.insert('setting', [{ key: 'app_secret', value: BENCH_SECRET }]);

	const passwordHash = await hash(BENCH_PASSWORD, { memoryCost: 19456, timeCost: 2 });
	const since = new Date(now.getTime() - YEARS * 365.25 * 86_400_000);
	const pathways = buildPathways(rand, since);
	const people = buildPeople(rand, pathways, passwordHash, since);
	writer.insert('establishment', people.establishments);
	writer.insert(
		'pathway',
		pathways.map((p) => p.row)
	);
	writer.insert('pathway_establishment', people.pathwayEstablishments);
	writer.insert('user', people.users);
	writer.insert('membership', people.memberships);
	log(`réseau : ${people.users.length} comptes, ${pathways.length} RCP`);

	const meetings = buildMeetings(rand, pathways, people, since, now, scale);
	writer.insert('meeting_series', meetings.series);
	writer.insert('meeting', meetings.rows);
	writer.insert('invitation', meetings.invitations);
	writer.insert('attendance', meetings.attendance);
	log(`séances : ${meetings.rows.length}`);

	writeCases({ rand, writer, pathways, people, meetings, now, scale, log });
	writeAudit({ rand, writer, people, since, now, scale, secret: BENCH_SECRET, log });

	const violations = sqlite.prepare('PRAGMA foreign_key_check').all();
	if (violations.length) throw new Error(`foreign keys broken: ${JSON.stringify(violations[0])}`);
	sqlite.exec('ANALYZE');
	sqlite.pragma('wal_checkpoint(TRUNCATE)');
	sqlite.close();
	return counts;
}

/**
 * Batched inserts: one prepared statement per table and column set, 20k rows per transaction.
 * @param {Database.Database} sqlite
 * @param {Record<string, number>} counts
 */
function createWriter(sqlite, counts) {
	const statements = new Map();
	const encode = (v) =>
		v instanceof Date
			? v.getTime()
			: typeof v === 'boolean'
				? Number(v)
				: v !== null && typeof v === 'object'
					? JSON.stringify(v)
					: (v ?? null);
	const statementFor = (table, columns) => {
		const key = `${table}|${columns.join(',')}`;
		let stmt = statements.get(key);
		if (!stmt) {
			const names = columns.map((c) => `"${c}"`).join(', ');
			stmt = sqlite.prepare(
				`INSERT INTO "${table}" (${names}) VALUES (${columns.map(() => '?').join(', ')})`
			);
			statements.set(key, stmt);
		}
		return stmt;
	};
	const insertBatch = sqlite.transaction((table, rows) => {
		for (const row of rows) {
			const columns = Object.keys(row);
			statementFor(table, columns).run(columns.map((c) => encode(row[c])));
		}
	});
	return {
		/** @param {string} table @param {Iterable<Record<string, unknown>>} rows */
		insert(table, rows) {
			let batch = [];
			let n = 0;
			for (const row of rows) {
				n += 1;
				batch.push(row);
				if (batch.length === 20_000) {
					insertBatch(table, batch);
					batch = [];
				}
			}
			if (batch.length) insertBatch(table, batch);
			counts[table] = (counts[table] ?? 0) + n;
		}
	};
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const arg = (name, fallback) => {
		const i = process.argv.indexOf(`--${name}`);
		return i === -1 ? fallback : process.argv[i + 1];
	};
	const file = resolve(arg('out', 'data/region.db'));
	const scale = Number(arg('scale', '1'));
	const started = Date.now();
	const counts = await generateRegion({
		file,
		scale,
		seed: Number(arg('seed', '20261202')),
		log: (s) => console.log(`  ${s} (${((Date.now() - started) / 1000).toFixed(0)} s)`)
	});
	console.log(`\nBase du banc d’essai : ${file}`);
	for (const [table, n] of Object.entries(counts)) console.log(`  ${table.padEnd(24)} ${n}`);
	console.log(
		`  taille : ${(statSync(file).size / 1024 / 1024).toFixed(0)} Mio, ${((Date.now() - started) / 1000).toFixed(0)} s`
	);
	console.log(`  comptes : coordination.<rcp>@region.example.fr… mot de passe ${BENCH_PASSWORD}`);
}
