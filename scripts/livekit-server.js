// Starts LiveKit's own server (built by `npm run livekit:install`) for Pluri: loopback only,
// dev-mode keys unless given, webhooks to Pluri. Used by `npm run livekit`, `npm start`, the
// end-to-end harness and the benchmark.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The server binary: LIVEKIT_SERVER_BIN, else `server` in Go's bin folder; null when absent. */
export function findLivekitBinary() {
	const candidates = [];
	if (process.env.LIVEKIT_SERVER_BIN) candidates.push(process.env.LIVEKIT_SERVER_BIN);
	const gopath = spawnSync('go', ['env', 'GOPATH'], { encoding: 'utf8' });
	if (gopath.status === 0 && gopath.stdout.trim())
		candidates.push(join(gopath.stdout.trim(), 'bin', 'server'));
	candidates.push(join(homedir(), 'go', 'bin', 'server'));
	return candidates.find((p) => existsSync(p)) ?? null;
}

/** Why there is no local video server, in one French sentence (for skipped tests and logs). */
export function describeMissingLivekit() {
	const go = spawnSync('go', ['version'], { encoding: 'utf8' });
	return go.status === 0
		? 'le serveur LiveKit n’est pas construit : lancez `npm run livekit:install`'
		: 'Go n’est pas installé : le serveur LiveKit ne peut pas être construit sur cette machine';
}

/** @param {number} port */
function isFree(port, host = '127.0.0.1') {
	return new Promise((resolve) => {
		const probe = createServer();
		probe.once('error', () => resolve(false));
		probe.listen(port, host, () => probe.close(() => resolve(true)));
	});
}

/**
 * Three consecutive free ports from `start` (HTTP/WebSocket, ICE/TCP, ICE/UDP).
 * @param {number} start
 * @returns {Promise<[number, number, number]>}
 */
export async function findLivekitPorts(start) {
	for (let port = start; port < start + 300; port += 3) {
		if ((await isFree(port)) && (await isFree(port + 1))) return [port, port + 1, port + 2];
	}
	throw new Error(`Aucun port libre pour LiveKit à partir de ${start}`);
}

/** @param {{ port: number, apiKey: string, apiSecret: string, webhookUrl?: string, redis?: string }} options */
function buildConfig({ port, apiKey, apiSecret, webhookUrl, redis }) {
	// JSON is valid YAML: no quoting pitfalls with keys or URLs.
	return JSON.stringify({
		port,
		bind_addresses: ['127.0.0.1'],
		rtc: { tcp_port: port + 1, udp_port: port + 2, use_external_ip: false, node_ip: '127.0.0.1' },
		keys: { [apiKey]: apiSecret },
		webhook: webhookUrl ? { api_key: apiKey, urls: [webhookUrl] } : undefined,
		// Several nodes on one Redis form one cluster: a room lives on one node, participants
		// reach it through whichever node they connect to (LiveKit's multi-node routing).
		redis: redis ? { address: redis } : undefined,
		logging: { level: process.env.LIVEKIT_LOG_LEVEL ?? 'warn' }
	});
}

/**
 * @param {string} url
 * @param {import('node:child_process').ChildProcess} child
 */
async function waitUntilUp(url, child, timeoutMs = 20_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`LiveKit s’est arrêté (code ${child.exitCode})`);
		try {
			const res = await fetch(url);
			if (res.ok) return;
		} catch {
			// not listening yet
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error('LiveKit n’a pas démarré à temps');
}

/**
 * @typedef {object} LivekitOptions
 * @property {string} [binary] the server binary (default: findLivekitBinary())
 * @property {string} [apiKey]
 * @property {string} [apiSecret]
 * @property {number} [port] a fixed port (then port + 1 and + 2 for media)
 * @property {number} [portFrom] else the first free trio from here
 * @property {string} [webhookUrl] where LiveKit sends its webhooks
 * @property {boolean} [quiet] no server output
 * @property {string} [redis] host:port of a Redis server: multi-node mode
 */

/**
 * Starts the server; resolves once it answers. Returns its URL and credentials (to pass to
 * Pluri as LIVEKIT_*), and stop().
 * @param {LivekitOptions} options
 */
export async function startLivekit(options = {}) {
	const binary = options.binary ?? findLivekitBinary();
	if (!binary) throw new Error(describeMissingLivekit());
	const apiKey = options.apiKey ?? 'devkey';
	const apiSecret = options.apiSecret ?? 'secret';
	const port = options.port ?? (await findLivekitPorts(options.portFrom ?? 7890))[0];
	if (options.port && !(await isFree(port))) {
		throw new Error(`le port ${port} est déjà occupé (un serveur LiveKit tourne peut-être déjà)`);
	}
	const config = buildConfig({
		port,
		apiKey,
		apiSecret,
		webhookUrl: options.webhookUrl,
		redis: options.redis
	});
	const child = spawn(binary, ['--dev', '--bind', '127.0.0.1', '--config-body', config], {
		stdio: ['ignore', options.quiet ? 'ignore' : 'inherit', options.quiet ? 'ignore' : 'inherit']
	});
	const url = `ws://127.0.0.1:${port}`;
	await waitUntilUp(`http://127.0.0.1:${port}/`, child);
	let stopped = false;
	return {
		url,
		apiKey,
		apiSecret,
		port,
		child,
		/** SIGINT ends it at once (SIGTERM starts a slow drain); SIGKILL if it lingers. */
		stop() {
			if (!stopped && child.exitCode === null) {
				stopped = true;
				child.kill('SIGINT');
				setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 3000).unref();
			}
			return child.exitCode !== null
				? Promise.resolve()
				: new Promise((resolve) => child.once('exit', () => resolve(undefined)));
		}
	};
}

// `node scripts/livekit-server.js --foreground`: what `npm run livekit` runs.
if (process.argv.includes('--foreground')) {
	const pluri = process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? '3000'}`;
	const port = Number(process.env.LIVEKIT_PORT ?? 7880);
	try {
		const lk = await startLivekit({
			port,
			apiKey: process.env.LIVEKIT_API_KEY || 'devkey',
			apiSecret: process.env.LIVEKIT_API_SECRET || 'secret',
			webhookUrl: new URL('/api/livekit/webhook', pluri).href
		});
		console.log(`LiveKit est prêt : ${lk.url} (webhooks vers ${pluri}/api/livekit/webhook).`);
		console.log(
			`Lancez Pluri avec LIVEKIT_URL=${lk.url} LIVEKIT_API_KEY=${lk.apiKey} LIVEKIT_API_SECRET=…`
		);
		for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => lk.stop());
		lk.child.on('exit', (code) => process.exit(code ?? 0));
	} catch (error) {
		console.error(`LiveKit : ${error instanceof Error ? error.message : error}`);
		process.exit(1);
	}
}
