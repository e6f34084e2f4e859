// `npm start`: build when needed, then serve Pluri with the demo network on the embedded SQLite.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describeMissingLivekit, findLivekitBinary, startLivekit } from './livekit-server.js';

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
	// Case documents go up to 20 MiB (src/lib/domain/file-signature.ts), plus the form around them.
	BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT ?? '21M',
	NODE_ENV: 'production'
};

// Video on one machine: LiveKit's own server, when it has been built (`npm run livekit:install`)
// and no other LiveKit is configured.
let livekit = null;
if (!process.env.LIVEKIT_URL) {
	if (findLivekitBinary()) {
		try {
			livekit = await startLivekit({
				port: Number(process.env.LIVEKIT_PORT ?? 7880),
				apiKey: process.env.LIVEKIT_API_KEY || 'devkey',
				apiSecret: process.env.LIVEKIT_API_SECRET || 'secret',
				// Straight to this server, not through the public origin (a proxy may sit there).
				webhookUrl: `http://${['0.0.0.0', '::'].includes(host) ? '127.0.0.1' : host}:${port}/api/livekit/webhook`,
				quiet: true
			});
			Object.assign(env, {
				LIVEKIT_URL: livekit.url,
				LIVEKIT_API_KEY: livekit.apiKey,
				LIVEKIT_API_SECRET: livekit.apiSecret
			});
			console.log(`Visioconférence : serveur LiveKit local sur ${livekit.url}`);
		} catch (error) {
			console.log(`Visioconférence désactivée : ${error.message}`);
		}
	} else {
		console.log(
			`Visioconférence désactivée (${describeMissingLivekit()}) ; les séances se tiennent en salle.`
		);
	}
}

const server = spawn(process.execPath, ['build/index.js'], {
	stdio: ['inherit', 'pipe', 'inherit'],
	env
});
server.stdout.on('data', (chunk) => {
	const text = chunk.toString();
	process.stdout.write(text.replace(/Listening on .*/g, `Pluri est prêt : ${origin}`));
});
for (const signal of ['SIGINT', 'SIGTERM'])
	process.on(signal, () => {
		void livekit?.stop();
		server.kill(signal);
	});
server.on('exit', (code) => {
	void (livekit?.stop() ?? Promise.resolve()).then(() => process.exit(code ?? 0));
});
