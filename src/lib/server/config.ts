import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Runtime configuration, read from the environment once per use so tests can set it. */
export function getDatabaseUrl(): string {
	return process.env.DATABASE_URL || 'data/pluri.db';
}

/** A `postgres://` or `postgresql://` URL selects PostgreSQL; anything else is a SQLite path. */
export function isPostgresUrl(url: string = getDatabaseUrl()): boolean {
	return /^postgres(ql)?:\/\//i.test(url);
}

export function getDataDir(): string {
	return resolve(process.env.PLURI_DATA_DIR ?? 'data');
}

export function getUploadDir(): string {
	return resolve(process.env.UPLOAD_DIR ?? resolve(getDataDir(), 'uploads'));
}

/**
 * The migrations folder: MIGRATIONS_DIR, else `drizzle/` of the working directory, else the one
 * beside the installed app (found upwards from this module, bundled or not), so `node
 * /opt/pluri/build/index.js` started from any directory finds its migrations.
 */
export function getMigrationsDir(folder = 'drizzle'): string {
	if (process.env.MIGRATIONS_DIR) return resolve(process.env.MIGRATIONS_DIR);
	const local = resolve(folder);
	if (existsSync(join(local, 'meta', '_journal.json'))) return local;
	let dir = dirname(fileURLToPath(import.meta.url));
	for (let i = 0; i < 8; i++) {
		const candidate = join(dir, folder);
		if (existsSync(join(candidate, 'meta', '_journal.json'))) return candidate;
		const parent = dirname(dir);
		if (parent === dir) break;
		dir = parent;
	}
	return local;
}

/** Demo mode seeds the fictional network and prints its accounts; never in production. */
export function isDemoMode(): boolean {
	return process.env.PLURI_DEMO === '1';
}

export function getPublicOrigin(): string {
	return process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? '3000'}`;
}

export function getSmtpUrl(): string | null {
	return process.env.SMTP_URL || null;
}

export function getMailFrom(): string {
	return process.env.MAIL_FROM ?? 'Pluri <rcp@pluri.localhost>';
}

export interface LivekitConfig {
	url: string;
	apiKey: string;
	apiSecret: string;
}

export function getLivekitConfig(): LivekitConfig | null {
	const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = process.env;
	return url && apiKey && apiSecret ? { url, apiKey, apiSecret } : null;
}

export function getFhirConfig(): { baseUrl: string; token: string | null } | null {
	const baseUrl = process.env.FHIR_BASE_URL;
	return baseUrl
		? { baseUrl: baseUrl.replace(/\/$/, ''), token: process.env.FHIR_TOKEN ?? null }
		: null;
}

/** Cookies are Secure everywhere but on plain-http localhost. */
export function isSecureOrigin(url: URL): boolean {
	return url.protocol === 'https:' || !['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
}
