// `npm run bench`: every benchmark, one after the other, each printing its own figures. Needs a
// build (`npx vite build`, or PLURI_BUILD_DIR); the live benchmark also needs LiveKit's server
// (`npm run livekit:install`) and says so when it is absent.
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

const benchmarks = [
	['Pages de préparation (liste de travail, ordre du jour)', 'node', ['bench/cases.js']],
	['Les mêmes pages sur SQLite et sur PostgreSQL', 'node', ['bench/engines.js']],
	['Réunion en direct (jeton, salle, SSE, vidéo)', 'node', ['bench/live.js']],
	['Transmission des décisions', 'npx', ['vitest', 'run', '--config', 'bench/vitest.config.js']]
];

let failed = 0;
for (const [title, command, args] of benchmarks) {
	console.log(`\n━━ ${title} ━━`);
	const started = Date.now();
	const r = spawnSync(command, args, { stdio: 'inherit' });
	console.log(`(${title} : ${((Date.now() - started) / 1000).toFixed(1)} s)`);
	if (r.status !== 0) failed += 1;
}
if (failed) {
	console.error(`\n${failed} banc(s) d’essai en échec.`);
	process.exit(1);
}
