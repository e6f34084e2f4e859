import { encodeBase64url } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { getDb } from './db';
import { settings } from './db/schema';

let cachedSecret: string | undefined;

/**
 * The key for signed links and cookies: APP_SECRET when set (production), otherwise
 * generated once and kept in the database so links survive restarts.
 */
export function getAppSecret(): string {
	if (process.env.APP_SECRET) return process.env.APP_SECRET;
	if (cachedSecret) return cachedSecret;
	const db = getDb();
	const found = db.select().from(settings).where(eq(settings.key, 'app_secret')).get();
	if (found) return (cachedSecret = found.value);
	const value = encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
	db.insert(settings).values({ key: 'app_secret', value }).onConflictDoNothing().run();
	cachedSecret = db.select().from(settings).where(eq(settings.key, 'app_secret')).get()!.value;
	return cachedSecret;
}

export function getSetting(key: string): string | null {
	return getDb().select().from(settings).where(eq(settings.key, key)).get()?.value ?? null;
}

export function putSetting(key: string, value: string): void {
	getDb()
		.insert(settings)
		.values({ key, value })
		.onConflictDoUpdate({ target: settings.key, set: { value } })
		.run();
}
