import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const matrixPort = Number(process.env.MATRIX_PORT ?? 4391);
/** The test process reads the server's database through the app's own modules (DATABASE_URL). */
export const matrixDatabasePath = join(tmpdir(), `pluri-matrix-${matrixPort}`, 'pluri.db');
