// The built server (`node build`, production mode, demo network) that the authorization matrix
// and the fuzzer attack. Background jobs are off so any change in the database comes from the
// requests under test.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { matrixDatabasePath, matrixPort } from './paths.js';

export const origin = `http://127.0.0.1:${matrixPort}`;

let child: ChildProcess | undefined;

export async function startMatrixServer(): Promise<void> {
	const build = resolve(process.env.PLURI_BUILD_DIR ?? 'build', 'index.js');
	if (!existsSync(build)) throw new Error(`Run \`npx vite build\` first: ${build} is missing.`);
	const busy = await fetch(`${origin}/health`).then(
		() => true,
		() => false
	);
	if (busy) throw new Error(`Port ${matrixPort} is taken (a server left over?): set MATRIX_PORT.`);
	const dir = dirname(matrixDatabasePath);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	child = spawn(process.execPath, [build], {
		env: {
			...process.env,
			NODE_ENV: 'production',
			PORT: String(matrixPort),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			DATABASE_URL: matrixDatabasePath,
			PLURI_DATA_DIR: dir,
			PLURI_DEMO: '1',
			PLURI_WORKER: '0',
			PLURI_CALENDAR_UPKEEP: '0',
			PLURI_AUDIT_VERIFY: '0',
			BODY_SIZE_LIMIT: '21M',
			SMTP_URL: '',
			// A LiveKit nobody listens to: tokens and webhook signatures work, nothing is reached.
			LIVEKIT_URL: 'ws://127.0.0.1:9',
			LIVEKIT_API_KEY: 'matrix-key',
			LIVEKIT_API_SECRET: 'matrix-secret-0123456789-abcdefghijklmnop',
			LIVEKIT_API_TIMEOUT: '1',
			FHIR_BASE_URL: '',
			OIDC_ISSUER: ''
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let log = '';
	child.stdout?.on('data', (d) => (log += d));
	child.stderr?.on('data', (d) => (log += d));
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`The server stopped:\n${log}`);
		try {
			if ((await fetch(`${origin}/health`)).ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`The server did not start in time:\n${log}`);
}

export async function stopMatrixServer(): Promise<void> {
	if (!child || child.exitCode !== null) return;
	const exited = new Promise((r) => child!.once('exit', r));
	child.kill('SIGTERM');
	await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
	if (child.exitCode === null) child.kill('SIGKILL');
}
