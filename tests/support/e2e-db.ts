import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/lib/server/db/index';

let db: Db | undefined;

/**
 * The database of the server under test (see e2e-server.js). For preparing states the pages
 * cannot reach in a test's time (a meeting in the past, an expired link); assertions should go
 * through the pages.
 */
export function openE2eDb(): Db {
	const port = process.env.E2E_PORT ?? '4317';
	db ??= openDatabase(join(tmpdir(), `pluri-e2e-${port}`, 'pluri.db'));
	return db;
}
