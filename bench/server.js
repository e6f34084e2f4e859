// Shared by the benchmark scripts: a built Pluri on a fresh demo database, and logged-in cookies.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export async function startBenchServer({ port = 4390, env = {} } = {}) {
	const dir = join(tmpdir(), `pluri-bench-${port}`);
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	const origin = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, [`${process.env.PLURI_BUILD_DIR ?? 'build'}/index.js`], {
		stdio: ['ignore', 'pipe', 'inherit'],
		env: {
			...process.env,
			NODE_ENV: 'production',
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			DATABASE_URL: join(dir, 'pluri.db'),
			PLURI_DATA_DIR: dir,
			PLURI_DEMO: '1',
			PLURI_WORKER: '0',
			...env
		}
	});
	await new Promise((resolve, reject) => {
		child.stdout.on('data', (b) => String(b).includes('Listening') && resolve(undefined));
		child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
	});
	// Demo seeding happens at start-up, before the first page answers.
	for (let i = 0; i < 300; i++) {
		const res = await fetch(`${origin}/login`).catch(() => null);
		if (res?.ok) break;
		await new Promise((r) => setTimeout(r, 200));
	}
	return {
		origin,
		dir,
		databasePath: join(dir, 'pluri.db'),
		stop: () => child.kill('SIGTERM')
	};
}

/** Logs in through the real form and returns the session cookie header. */
export async function loginCookie(origin, email, password = 'Demo-Pluri-2026') {
	const body = new URLSearchParams({ email, password });
	const res = await fetch(`${origin}/login`, {
		method: 'POST',
		body,
		redirect: 'manual',
		headers: { origin, 'content-type': 'application/x-www-form-urlencoded' }
	});
	const cookie = res.headers
		.getSetCookie()
		.find((c) => c.startsWith('pluri_session='))
		?.split(';')[0];
	if (!cookie) throw new Error(`login failed for ${email} (${res.status})`);
	return cookie;
}
