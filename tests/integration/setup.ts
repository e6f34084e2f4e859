import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each test file runs in its own module graph, so each gets a fresh database file with the
// real migrations applied by the first getDb() user (see tests/support/db.ts).
const dir = mkdtempSync(join(tmpdir(), 'pluri-it-'));
process.env.DATABASE_URL = join(dir, 'pluri.db');
process.env.PLURI_DATA_DIR = dir;
process.env.UPLOAD_DIR = join(dir, 'uploads');
delete process.env.PLURI_DEMO;
delete process.env.SMTP_URL;
delete process.env.LIVEKIT_URL;
delete process.env.FHIR_BASE_URL;
