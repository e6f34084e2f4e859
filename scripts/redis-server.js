// A throw-away Redis (Debian's `redis-server`) for LiveKit's multi-node mode in tests and the
// documented cluster procedure: loopback only, nothing written to disk, on a free port.
import { spawn, spawnSync } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

/** The redis-server binary, or null when the Debian package is absent. */
export function findRedisBinary() {
	const r = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
	return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : null;
}

function freePort() {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
		});
	});
}

/** @param {number} port */
function answersPing(port) {
	return new Promise((resolve) => {
		const socket = createConnection({ port, host: '127.0.0.1' }, () => socket.write('PING\r\n'));
		socket.once('data', (b) => {
			socket.destroy();
			resolve(b.toString().startsWith('+PONG'));
		});
		socket.once('error', () => resolve(false));
	});
}

/** @returns {Promise<{ address: string, stop: () => void }>} */
export async function startRedis() {
	const binary = findRedisBinary();
	if (!binary) throw new Error('redis-server n’est pas installé (paquet Debian `redis-server`)');
	const port = await freePort();
	const child = spawn(
		binary,
		['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
		{ stdio: 'ignore' }
	);
	const deadline = Date.now() + 10_000;
	while (!(await answersPing(port))) {
		if (child.exitCode !== null || Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error('redis-server n’a pas démarré');
		}
		await new Promise((r) => setTimeout(r, 50));
	}
	return {
		address: `127.0.0.1:${port}`,
		stop: () => {
			if (child.exitCode === null) child.kill('SIGTERM');
		}
	};
}
