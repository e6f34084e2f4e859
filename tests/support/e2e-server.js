// Starts the built server (`node build`) in production mode on a fresh database with the demo
// network, as a hospital would run it: ORIGIN set, so SvelteKit's CSRF check is on.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const port = process.env.E2E_PORT ?? '4317';
const dir = mkdtempSync(join(tmpdir(), 'pluri-e2e-'));
const env = {
	...process.env,
	NODE_ENV: 'production',
	PORT: port,
	HOST: '127.0.0.1',
	ORIGIN: `http://127.0.0.1:${port}`,
	DATABASE_URL: join(dir, 'pluri.db'),
	PLURI_DATA_DIR: dir,
	PLURI_DEMO: '1'
};
const server = spawn(process.execPath, [`${process.env.PLURI_BUILD_DIR ?? 'build'}/index.js`], {
	stdio: 'inherit',
	env
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
