// A throw-away PostgreSQL cluster for the tests and the benchmarks: Debian's server binaries,
// data under a temporary folder, loopback only, trust authentication, on a free port. When the
// process runs as root the server runs as the `postgres` account (PostgreSQL refuses root).
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The folder of Debian's server binaries (newest version), or null when PostgreSQL is absent. */
export function findPostgresBin() {
	if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, 'initdb')))
		return process.env.PG_BIN;
	const root = '/usr/lib/postgresql';
	if (!existsSync(root)) return null;
	const versions = readdirSync(root)
		.filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
		.sort((a, b) => Number(b) - Number(a));
	const newest = versions[0];
	return newest ? join(root, newest, 'bin') : null;
}

/** Why there is no PostgreSQL here, in one French sentence (for skipped tests). */
export function describeMissingPostgres() {
	return 'PostgreSQL n’est pas installé (paquet Debian `postgresql`) : les tests PostgreSQL sont ignorés';
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

/**
 * @param {string} bin
 * @param {string[]} args
 * @param {string} [asUser]
 */
function runTool(bin, args, asUser) {
	const tool = args[0] ?? '';
	const command = asUser ? 'runuser' : join(bin, tool);
	const argv = asUser ? ['-u', asUser, '--', join(bin, tool), ...args.slice(1)] : args.slice(1);
	const r = spawnSync(command, argv, { encoding: 'utf8' });
	if (r.status !== 0)
		throw new Error(`${args[0]} failed (${r.status}): ${r.stderr || r.stdout || r.error}`);
	return r.stdout;
}

/**
 * Starts a fresh cluster and creates the database `pluri`.
 * @returns {Promise<{ url: string, port: number, dir: string, stop: () => void }>}
 */
export async function startPostgresCluster() {
	const bin = findPostgresBin();
	if (!bin) throw new Error(describeMissingPostgres());
	const asUser = process.getuid?.() === 0 ? 'postgres' : undefined;
	const dir = mkdtempSync(join(tmpdir(), 'pluri-pg-'));
	const data = join(dir, 'data');
	if (asUser) {
		const ids = spawnSync('id', ['-u', asUser], { encoding: 'utf8' });
		const gid = spawnSync('id', ['-g', asUser], { encoding: 'utf8' });
		chownSync(dir, Number(ids.stdout.trim()), Number(gid.stdout.trim()));
	}
	runTool(
		bin,
		['initdb', '-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'],
		asUser
	);
	writeFileSync(join(dir, 'README'), 'Throw-away PostgreSQL cluster started by Pluri tests.\n');
	const port = await freePort();
	runTool(
		bin,
		[
			'pg_ctl',
			'-D',
			data,
			'-w',
			'-l',
			join(dir, 'server.log'),
			'-o',
			`-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
			'start'
		],
		asUser
	);
	runTool(
		bin,
		['createdb', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'pluri'],
		asUser
	);
	let stopped = false;
	return {
		url: `postgres://postgres@127.0.0.1:${port}/pluri`,
		port,
		dir,
		stop() {
			if (stopped) return;
			stopped = true;
			try {
				runTool(bin, ['pg_ctl', '-D', data, '-m', 'immediate', 'stop'], asUser);
			} finally {
				rmSync(dir, { recursive: true, force: true });
			}
		}
	};
}
