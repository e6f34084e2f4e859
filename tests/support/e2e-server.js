// Starts the built server (`node build`) in production mode on a fresh database with the demo
// network, as a hospital would run it: ORIGIN set, so SvelteKit's CSRF check is on.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOidcProvider } from './oidc-provider.js';

const port = process.env.E2E_PORT ?? '4317';
// A fixed folder per port, emptied at each start, so tests can open the same database
// (tests/support/e2e-db.ts) to prepare data the pages cannot create.
const dir = join(tmpdir(), `pluri-e2e-${port}`);
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
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

// Pro Santé Connect stand-in for the OpenID Connect login.
const oidcPort = Number(port) + 1000;
const oidc = await startOidcProvider({
	port: oidcPort,
	redirectUri: `${env.ORIGIN}/login/oidc/callback`
});
Object.assign(env, {
	OIDC_ISSUER: oidc.issuer,
	OIDC_CLIENT_ID: 'pluri',
	OIDC_CLIENT_SECRET: 'pluri-test-secret'
});

const server = spawn(process.execPath, [`${process.env.PLURI_BUILD_DIR ?? 'build'}/index.js`], {
	stdio: 'inherit',
	env
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
