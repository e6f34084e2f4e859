// `npm run backup` on both engines: the copy opens, holds what was written, and (PostgreSQL)
// restores into an empty database with pg_restore.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { backupDatabase } from '../../scripts/backup.js';
import {
	describeMissingPostgres,
	findPostgresBin,
	startPostgresCluster
} from '../../scripts/postgres-cluster.js';
import { establishments } from '../../src/lib/server/db/schema';
import { migratedDb } from '../support/db';

// The PostgreSQL run of the suite (integration-pg) has no SQLite file to copy; the SQLite run
// covers it, and both runs cover pg_dump below.
const onPostgresRun = process.env.PLURI_TEST_ENGINE === 'postgres';
if (onPostgresRun)
	console.log('[backup] copie SQLite ignorée : cette exécution est sur PostgreSQL');

describe.skipIf(onPostgresRun)('sauvegarde SQLite', () => {
	it('copies a live database into a consistent file', async () => {
		const db = await migratedDb();
		await db
			.insert(establishments)
			.values({ finess: '750000001', name: 'CHU de test', city: 'Paris', kind: 'hospital' });
		const folder = mkdtempSync(join(tmpdir(), 'pluri-backup-'));
		const result = await backupDatabase({ folder });
		expect(result.file.startsWith(folder)).toBe(true);
		const copy = new Database(result.file, { readonly: true });
		const rows = copy.prepare('SELECT name FROM establishment').all();
		copy.close();
		expect(rows).toEqual([{ name: 'CHU de test' }]);
	});

	it('says in French when the database does not exist', async () => {
		await expect(backupDatabase({ url: '/nonexistent/pluri.db' })).rejects.toThrow(
			'Base introuvable'
		);
	});
});

const missing = findPostgresBin() ? null : describeMissingPostgres();
if (missing) console.log(`[backup] PostgreSQL ignoré : ${missing}`);

describe.skipIf(missing !== null)('sauvegarde PostgreSQL', () => {
	it('dumps with pg_dump and restores with pg_restore', async () => {
		const cluster = await startPostgresCluster();
		try {
			const client = new pg.Client({ connectionString: cluster.url });
			await client.connect();
			await migrate(drizzle(client), { migrationsFolder: resolve('drizzle-pg') });
			await client.query(
				`INSERT INTO establishment (id, finess, name, city, kind, level, created_at)
				 VALUES ('e1', '750000001', 'CHU de test', 'Paris', 'hospital', 'legal_entity', now())`
			);
			const folder = mkdtempSync(join(tmpdir(), 'pluri-backup-pg-'));
			const result = await backupDatabase({ url: cluster.url, folder });
			expect(result.bytes).toBeGreaterThan(1000);
			await client.query('CREATE DATABASE restored');
			await client.end();
			const restoredUrl = cluster.url.replace(/\/pluri$/, '/restored');
			const r = spawnSync(
				join(findPostgresBin()!, 'pg_restore'),
				['--no-owner', '-d', restoredUrl, result.file],
				{ encoding: 'utf8' }
			);
			expect(r.stderr).toBe('');
			const restored = new pg.Client({ connectionString: restoredUrl });
			await restored.connect();
			const { rows } = await restored.query('SELECT name FROM establishment');
			const specialties = await restored.query('SELECT count(*)::int AS n FROM specialty');
			await restored.end();
			expect(rows).toEqual([{ name: 'CHU de test' }]);
			expect(specialties.rows[0].n).toBeGreaterThan(30);
		} finally {
			cluster.stop();
		}
	}, 60_000);
});
