// Starts the built server (`node build`) in production mode on a fresh database with the demo
// network, as a hospital would run it: ORIGIN set, so SvelteKit's CSRF check is on.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
	describeMissingLivekit,
	findLivekitBinary,
	startLivekit
} from '../../scripts/livekit-server.js';
import { startDeliveryFakes } from './delivery-fakes.js';
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
	PLURI_DEMO: '1',
	// Case documents go up to 20 MiB, as in production (scripts/start.js, README).
	BODY_SIZE_LIMIT: '21M'
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

// LiveKit's own server, when built here (`npm run livekit:install`), on ports derived from the
// e2e port so parallel runs do not collide; its webhooks come back to this Pluri. The video
// tests read livekit.json to know whether it runs, and skip with the reason otherwise.
let livekit = null;
const livekitBinary = findLivekitBinary();
if (livekitBinary && !process.env.E2E_NO_LIVEKIT) {
	livekit = await startLivekit({
		binary: livekitBinary,
		portFrom: 7890 + (Number(port) % 100) * 3,
		apiKey: 'e2e-key',
		apiSecret: 'e2e-secret-0123456789-abcdefghijklmnop',
		webhookUrl: `${env.ORIGIN}/api/livekit/webhook`,
		quiet: true
	});
	Object.assign(env, {
		LIVEKIT_URL: livekit.url,
		LIVEKIT_API_KEY: livekit.apiKey,
		LIVEKIT_API_SECRET: livekit.apiSecret
	});
}
writeFileSync(
	join(dir, 'livekit.json'),
	JSON.stringify(
		livekit
			? { url: livekit.url, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret }
			: {
					url: null,
					reason: process.env.E2E_NO_LIVEKIT
						? 'E2E_NO_LIVEKIT est défini : le serveur de test tourne sans LiveKit'
						: describeMissingLivekit()
				}
	)
);

// The patient record (FHIR fake) and an SMTP server that keep what validated decisions send;
// every mail is still recorded in the in-app mailbox as well.
Object.assign(env, (await startDeliveryFakes(dir)).env);

const server = spawn(process.execPath, [`${process.env.PLURI_BUILD_DIR ?? 'build'}/index.js`], {
	stdio: 'inherit',
	env
});
for (const signal of ['SIGINT', 'SIGTERM'])
	process.on(signal, () => {
		livekit?.stop();
		server.kill(signal);
	});
server.on('exit', (code) => {
	void (livekit?.stop() ?? Promise.resolve()).then(() => process.exit(code ?? 0));
});
