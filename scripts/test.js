// `npm test`: every check, in the order a failure is cheapest to find, then one summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
process.chdir(root);
process.env.npm_config_nodedir ??= '/usr';
const reports = 'test-results/reports';
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const totals = { passed: 0, failed: 0, skipped: 0 };
const started = Date.now();

function run(title, command, args, env = {}) {
	console.log(`\n━━ ${title} ━━`);
	const t0 = Date.now();
	const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	console.log(`(${title} : ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
	return result.status === 0;
}

function countVitest(file) {
	if (!existsSync(file)) return false;
	const r = JSON.parse(readFileSync(file, 'utf8'));
	totals.passed += r.numPassedTests;
	totals.failed += r.numFailedTests;
	totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
	return true;
}

function countPlaywright(file) {
	if (!existsSync(file)) return false;
	const s = JSON.parse(readFileSync(file, 'utf8')).stats;
	totals.passed += s.expected + (s.flaky ?? 0);
	totals.failed += s.unexpected;
	totals.skipped += s.skipped;
	return true;
}

let ok = true;
ok = run('Vérification des types (svelte-check)', 'npm', ['run', '--silent', 'check']) && ok;
ok = run('Style (prettier, eslint)', 'npm', ['run', '--silent', 'lint']) && ok;

const unitOk = run('Tests unitaires et d’intégration, SQLite et PostgreSQL (vitest)', 'npx', [
	'vitest',
	'run',
	'--project',
	'unit',
	'--project',
	'integration',
	// The same integration suite on PostgreSQL (a throw-away cluster; Debian's package).
	'--project',
	'integration-pg',
	'--reporter=default',
	'--reporter=json',
	`--outputFile.json=${reports}/vitest.json`
]);
if (!countVitest(`${reports}/vitest.json`)) totals.failed += 1;
ok = unitOk && ok;

const buildOk = run('Construction (vite build)', 'npx', ['vite', 'build']);
ok = buildOk && ok;
if (buildOk) {
	// Every entry point of the built server, attacked by every actor and by malformed input.
	const matrixOk = run('Matrice d’autorisation et fuzzing (vitest, serveur construit)', 'npx', [
		'vitest',
		'run',
		'--project',
		'matrix',
		'--reporter=default',
		'--reporter=json',
		`--outputFile.json=${reports}/matrix.json`
	]);
	if (!countVitest(`${reports}/matrix.json`)) totals.failed += 1;
	ok = matrixOk && ok;
	// The video tests run against LiveKit's own server, built from its Go module when Go is here.
	if (spawnSync('go', ['version']).status === 0) {
		run('Serveur vidéo LiveKit (go install)', 'npm', ['run', '--silent', 'livekit:install']);
	} else {
		console.log(
			'\nGo n’est pas installé : le serveur LiveKit ne peut pas être construit, les tests vidéo seront ignorés (raison affichée par Playwright).'
		);
	}
	const browserOk = run('Navigateur (chromium)', 'bash', ['scripts/ensure-chromium.sh']);
	const e2eOk =
		browserOk &&
		run('Tests de bout en bout (Playwright, Chromium)', 'npx', ['playwright', 'test'], {
			PW_JSON: `${reports}/playwright.json`
		});
	if (!countPlaywright(`${reports}/playwright.json`)) totals.failed += 1;
	ok = e2eOk && ok;
} else {
	totals.failed += 1;
}

const seconds = ((Date.now() - started) / 1000).toFixed(0);
console.log(`\nDurée totale : ${seconds} s`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
