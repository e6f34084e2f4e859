import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

// Each test file runs in its own module graph, so each gets a fresh database with the real
// migrations applied by the first getDb() user (see tests/support/db.ts): a SQLite file, or on
// the PostgreSQL run (`integration-pg` project) a database of its own in the run's cluster.
const dir = mkdtempSync(join(tmpdir(), 'pluri-it-'));
process.env.DATABASE_URL = join(dir, 'pluri.db');
process.env.PLURI_DATA_DIR = dir;
process.env.UPLOAD_DIR = join(dir, 'uploads');
delete process.env.PLURI_DEMO;
delete process.env.SMTP_URL;
delete process.env.LIVEKIT_URL;
delete process.env.FHIR_BASE_URL;

if (process.env.PLURI_TEST_ENGINE === 'postgres') {
	const cluster = new URL(inject('pgClusterUrl'));
	const name = `it_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
	const admin = new pg.Client({ connectionString: cluster.href });
	await admin.connect();
	await admin.query(`CREATE DATABASE ${name}`);
	await admin.end();
	cluster.pathname = `/${name}`;
	process.env.DATABASE_URL = cluster.href;
}

// What the server's start-up wires: the reactions to recorded decisions (live, deliveries).
// Imported once DATABASE_URL is set: the schema picks the engine's tables when first loaded.
const { wireDecisionReactions } = await import('../../src/lib/server/decision-reactions');
wireDecisionReactions();

// Each file closes its database (PostgreSQL: its pool, before the run's cluster stops).
afterAll(async () => {
	const { closeDb } = await import('../../src/lib/server/db/index');
	await closeDb();
});
