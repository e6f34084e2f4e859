import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export interface Instance {
	baseURL: string;
	output(): string;
	/** SIGTERM and wait: the graceful stop a load balancer's drain ends with. */
	stop(): Promise<void>;
	/** SIGKILL: the instance dies mid-meeting. */
	kill(): Promise<void>;
}

/**
 * One Pluri instance of a several-instance deployment: the built server in production mode,
 * on its own port, sharing the database (PostgreSQL) and the document folder with the others.
 */
export async function startInstance(options: {
	port: number;
	databaseUrl: string;
	dataDir: string;
	env?: NodeJS.ProcessEnv;
}): Promise<Instance> {
	const baseURL = `http://127.0.0.1:${options.port}`;
	const env: NodeJS.ProcessEnv = {
		...process.env,
		NODE_ENV: 'production',
		PORT: String(options.port),
		HOST: '127.0.0.1',
		ORIGIN: baseURL,
		DATABASE_URL: options.databaseUrl,
		PLURI_DATA_DIR: options.dataDir,
		...options.env
	};
	for (const k of ['LIVEKIT_URL', 'OIDC_ISSUER']) if (!options.env?.[k]) delete env[k];
	const child: ChildProcess = spawn(
		process.execPath,
		[resolve(process.env.PLURI_BUILD_DIR ?? 'build', 'index.js')],
		{ env, cwd: options.dataDir, stdio: ['ignore', 'pipe', 'pipe'] }
	);
	let output = '';
	child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
	child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	const deadline = Date.now() + 60_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`L’instance s’est arrêtée :\n${output}`);
		try {
			if ((await fetch(`${baseURL}/health`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			throw new Error(`L’instance ne répond pas sur ${baseURL} :\n${output}`);
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	const end = async (signal: NodeJS.Signals): Promise<void> => {
		if (child.exitCode !== null || child.signalCode !== null) return;
		child.kill(signal);
		await exited;
	};
	return {
		baseURL,
		output: () => output,
		stop: () => end('SIGTERM'),
		kill: () => end('SIGKILL')
	};
}
