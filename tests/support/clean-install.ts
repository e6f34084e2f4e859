import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDatabase, type Db, closeDatabase } from '../../src/lib/server/db/index';

export const CLEAN_ADMIN_EMAIL = 'admin@reseau.example.fr';
export const CLEAN_ADMIN_PASSWORD = 'Premiere-Mise-En-Route-2026';

export interface CleanInstall {
	baseURL: string;
	dir: string;
	/** The server's database, for states the pages cannot reach in a test's time. */
	db(): Db;
	stop(): Promise<void>;
}

/**
 * A second server, started as a network would start it (no PLURI_DEMO, first admin from the
 * environment), on its own port and empty database: the demo server of e2e-server.js stays
 * untouched. The port defaults to E2E_PORT + 20.
 */
export async function startCleanInstall(
	port = Number(process.env.E2E_PORT ?? 4317) + 20
): Promise<CleanInstall> {
	const dir = join(tmpdir(), `pluri-e2e-clean-${port}`);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const baseURL = `http://127.0.0.1:${port}`;
	const env: NodeJS.ProcessEnv = {
		...process.env,
		NODE_ENV: 'production',
		PORT: String(port),
		HOST: '127.0.0.1',
		ORIGIN: baseURL,
		DATABASE_URL: join(dir, 'pluri.db'),
		PLURI_DATA_DIR: dir,
		PLURI_ADMIN_EMAIL: CLEAN_ADMIN_EMAIL,
		PLURI_ADMIN_PASSWORD: CLEAN_ADMIN_PASSWORD,
		BODY_SIZE_LIMIT: '21M'
	};
	for (const k of ['PLURI_DEMO', 'SMTP_URL', 'LIVEKIT_URL', 'FHIR_BASE_URL', 'OIDC_ISSUER'])
		delete env[k];
	// Started from its data folder, not the checkout: the built server finds its own migrations.
	const child: ChildProcess = spawn(
		process.execPath,
		[resolve(process.env.PLURI_BUILD_DIR ?? 'build', 'index.js')],
		{ env, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let output = '';
	child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
	child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`Le serveur s’est arrêté :\n${output}`);
		try {
			if ((await fetch(`${baseURL}/login`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGTERM');
			throw new Error(`Le serveur ne répond pas sur ${baseURL} :\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	let db: Db | undefined;
	return {
		baseURL,
		dir,
		db: () => (db ??= openDatabase(join(dir, 'pluri.db'))),
		stop: async () => {
			if (db) await closeDatabase(db);
			if (child.exitCode !== null) return;
			const exited = new Promise<void>((r) => child.once('exit', () => r()));
			child.kill('SIGTERM');
			await exited;
		}
	};
}
