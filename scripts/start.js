// `npm start`: build when needed, then serve Pluri with the demo network on the embedded SQLite.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

function newestMtime(path) {
	const s = statSync(path);
	if (!s.isDirectory()) return s.mtimeMs;
	let newest = s.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

function needsBuild() {
	if (!existsSync('build/index.js')) return true;
	const built = statSync('build/index.js').mtimeMs;
	const inputs = ['src', 'static', 'package-lock.json', 'svelte.config.js', 'vite.config.ts'];
	return inputs.some((p) => existsSync(p) && newestMtime(p) > built);
}

if (needsBuild()) {
	console.log('Construction de Pluri (première fois ou sources modifiées)…');
	const result = spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

const port = process.env.PORT ?? '3000';
const host = process.env.HOST ?? '127.0.0.1';
const origin = process.env.ORIGIN ?? `http://localhost:${port}`;
const env = {
	...process.env,
	PORT: port,
	HOST: host,
	ORIGIN: origin,
	PLURI_DEMO: process.env.PLURI_DEMO ?? '1',
	NODE_ENV: 'production'
};

const server = spawn(process.execPath, ['build/index.js'], {
	stdio: ['inherit', 'pipe', 'inherit'],
	env
});
server.stdout.on('data', (chunk) => {
	const text = chunk.toString();
	process.stdout.write(text.replace(/Listening on .*/g, `Pluri est prêt : ${origin}`));
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
