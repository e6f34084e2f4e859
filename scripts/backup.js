// `npm run backup [-- <folder>]`: a consistent copy of the database while Pluri keeps running.
//   - SQLite (the embedded default): SQLite's online backup API, then an integrity check of the
//     copy; the documents folder (PLURI_DATA_DIR/uploads) is copied beside it.
//   - PostgreSQL (DATABASE_URL=postgres://…): `pg_dump --format=custom`, restored with
//     `pg_restore --clean --if-exists -d <url> <file>`.
// Prints the file written. Exits non-zero, with the reason in French, when the copy fails.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { findPostgresBin } from './postgres-cluster.js';

function stamp(date = new Date()) {
	return date.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/**
 * @param {{ url?: string, folder?: string, dataDir?: string }} options
 * @returns {Promise<{ file: string, bytes: number, documents: string | null }>}
 */
export async function backupDatabase(options = {}) {
	const url = options.url ?? process.env.DATABASE_URL ?? 'data/pluri.db';
	const dataDir = resolve(options.dataDir ?? process.env.PLURI_DATA_DIR ?? 'data');
	const folder = resolve(options.folder ?? join(dataDir, 'backups'));
	mkdirSync(folder, { recursive: true });
	if (/^postgres(ql)?:\/\//.test(url)) {
		const bin = findPostgresBin();
		const pgDump = bin ? join(bin, 'pg_dump') : 'pg_dump';
		const file = join(folder, `pluri-${stamp()}.dump`);
		const r = spawnSync(pgDump, ['--format=custom', '--no-owner', `--file=${file}`, url], {
			encoding: 'utf8'
		});
		if (r.status !== 0)
			throw new Error(`pg_dump a échoué : ${(r.stderr || String(r.error)).trim()}`);
		return { file, bytes: statSync(file).size, documents: null };
	}
	const source = url.replace(/^file:/, '');
	if (!existsSync(source)) throw new Error(`Base introuvable : ${source}`);
	const file = join(folder, `pluri-${stamp()}.db`);
	const db = new Database(source, { fileMustExist: true });
	try {
		// Page by page, without blocking writers for long: the copy is one consistent snapshot.
		await db.backup(file);
	} finally {
		db.close();
	}
	const copy = new Database(file, { readonly: true });
	try {
		const check = copy.pragma('integrity_check', { simple: true });
		if (check !== 'ok') throw new Error(`La copie est endommagée : ${check}`);
	} finally {
		copy.close();
	}
	const uploads = resolve(process.env.UPLOAD_DIR ?? join(dataDir, 'uploads'));
	let documents = null;
	if (existsSync(uploads)) {
		documents = join(folder, `pluri-${stamp()}-documents`);
		cpSync(uploads, documents, { recursive: true });
	}
	return { file, bytes: statSync(file).size, documents };
}

if (import.meta.url === `file://${process.argv[1]}`) {
	try {
		const result = await backupDatabase({ folder: process.argv[2] });
		console.log(`Sauvegarde écrite : ${result.file} (${(result.bytes / 1024).toFixed(0)} Kio)`);
		if (result.documents) console.log(`Documents copiés : ${result.documents}`);
	} catch (e) {
		console.error(e instanceof Error ? e.message : String(e));
		process.exit(1);
	}
}
