// `npm run audit:verify [-- --from-last]`: verifies the audit trail's chain against the
// configured database (DATABASE_URL, default data/pluri.db) with the same key as the server
// (APP_SECRET, or the secret kept in the database). Like `npm run worker`, it loads the built
// app's handler, whose start-up runs the migrations and, with PLURI_ROLE=audit-verify, only the
// verification; no HTTP port is opened. Prints the count and « chaîne intègre » or the first
// broken row, records the result in the database; exit code 1 when the chain is broken.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== '--from-last');
if (unknown.length) {
	console.error(
		`Option inconnue : ${unknown.join(' ')}. Usage : npm run audit:verify [-- --from-last]`
	);
	process.exit(2);
}
const root = new URL('..', import.meta.url).pathname;
const build = resolve(root, process.env.PLURI_BUILD_DIR ?? 'build');
if (!existsSync(resolve(build, 'handler.js'))) {
	console.error('Construisez d’abord Pluri (npx vite build) : build/handler.js est introuvable.');
	process.exit(2);
}
process.env.PLURI_ROLE = 'audit-verify';
process.env.PLURI_AUDIT_FROM_LAST = args.includes('--from-last') ? '1' : '0';
process.env.NODE_ENV ??= 'production';
try {
	await import(pathToFileURL(resolve(build, 'handler.js')).href);
} catch (error) {
	console.error('La vérification n’a pas pu démarrer :', error);
	process.exit(2);
}
// The start-up has set the exit code (0 intact, 1 broken, 2 failed); nothing else keeps running.
process.exit(process.exitCode ?? 2);
