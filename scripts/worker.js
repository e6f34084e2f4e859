// `npm run worker`: the delivery worker alone (decisions to the patient record and by mail),
// against the same database as the server. It loads the built app's handler, whose start-up
// runs the migrations and, with PLURI_ROLE=worker, starts only the worker; no HTTP port is
// opened. Run several if needed: rows are claimed under a lease.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const build = resolve(root, process.env.PLURI_BUILD_DIR ?? 'build');
if (!existsSync(resolve(build, 'handler.js'))) {
	console.error('Construisez d’abord Pluri (npx vite build) : build/handler.js est introuvable.');
	process.exit(1);
}
process.env.PLURI_ROLE = 'worker';
process.env.NODE_ENV ??= 'production';
await import(pathToFileURL(resolve(build, 'handler.js')).href);
console.log('Pluri : envoi des décisions démarré (dossier patient et messagerie).');
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
