// The benchmark's ten-year region, generated small: it is a database the app itself reads —
// built by the real migrations, its audit chain verified by the app's verifier with the secret
// stored in it — and the same seed gives the same region.
import Database from 'better-sqlite3';
import { count, eq } from 'drizzle-orm';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '../../src/lib/server/audit';
import { getDb, queryOne } from '../../src/lib/server/db';
import { cases, decisions, patients, pathways } from '../../src/lib/server/db/schema';

const SCALE = 0.004;
// A plain Node script outside the app's type-checked sources: imported by path, not followed.
const generatorPath: string = '../../bench/region/generate.js';
const { generateRegion } = (await import(generatorPath)) as {
	generateRegion(o: { file: string; scale: number; now: Date }): Promise<Record<string, number>>;
};
// The generator writes a SQLite file: the PostgreSQL run of the suite leaves it to the SQLite one.
const onPostgresRun = process.env.PLURI_TEST_ENGINE === 'postgres';
if (onPostgresRun) console.log('[bench-region] ignoré : le générateur écrit un fichier SQLite');
let counts: Record<string, number> = {};
const n = (table: string): number => counts[table] ?? 0;

beforeAll(async () => {
	if (onPostgresRun) return;
	delete process.env.APP_SECRET;
	// The file the app's getDb() opens in this test (tests/integration/setup.ts).
	counts = await generateRegion({
		file: process.env.DATABASE_URL!,
		scale: SCALE,
		now: new Date('2026-12-02T08:00:00Z')
	});
}, 120_000);

describe.skipIf(onPostgresRun)('la région du banc d’essai', () => {
	it('has the proportions of a region (patients, 3 cases each on average, decisions, deliveries)', () => {
		expect(n('patient')).toBeGreaterThanOrEqual(400);
		expect(n('rcp_case')).toBeGreaterThanOrEqual(1200);
		expect(n('rcp_case') / n('patient')).toBeGreaterThan(1.8);
		expect(n('decision')).toBeGreaterThan(n('rcp_case') * 0.5);
		expect(n('outbox')).toBeGreaterThan(n('decision') * 2);
		expect(n('audit_event')).toBe(8000);
		expect(n('pathway')).toBe(4);
	});

	it('is read by the app: four pathways, the biggest with the most cases', async () => {
		const db = getDb();
		const perPathway = await db
			.select({ code: pathways.code, n: count(cases.id) })
			.from(pathways)
			.leftJoin(cases, eq(cases.pathwayId, pathways.id))
			.groupBy(pathways.code);
		const byCode = Object.fromEntries(perPathway.map((r) => [r.code, r.n]));
		expect(byCode['onco-digestive']).toBeGreaterThan(byCode['ic-sud-bourgogne']!);
		const validated = (await queryOne(
			db.select({ n: count() }).from(decisions).where(eq(decisions.status, 'validated'))
		))!.n;
		expect(validated).toBeGreaterThan(0);
		const p = (await queryOne(db.select().from(patients).limit(1)))!;
		expect(p.firstNames.length).toBe(1);
		expect(p.insMatricule).toMatch(/^[12]\d{14}$/);
	});

	it('carries an audit chain the app verifies', async () => {
		expect(await verifyAuditTrail()).toEqual({ ok: true, count: 8000 });
	});

	it('is the same region for the same seed', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'pluri-region-')), 'again.db');
		await generateRegion({ file, scale: SCALE, now: new Date('2026-12-02T08:00:00Z') });
		const last = async (path: string): Promise<unknown> => {
			const d = new Database(path, { readonly: true });
			const row = d.prepare('SELECT hash FROM audit_event ORDER BY seq DESC LIMIT 1').get();
			const c = d.prepare('SELECT id, question FROM rcp_case ORDER BY id LIMIT 3').all();
			d.close();
			return { row, c };
		};
		expect(await last(file)).toEqual(await last(process.env.DATABASE_URL!));
	}, 60_000);
});
