import { encodeBase64url } from '@oslojs/encoding';
import { eq } from 'drizzle-orm';
import { getDb, queryOne } from './db';
import { settings } from './db/schema';

let cachedSecret: string | undefined;

/**
 * The key for signed links and cookies: APP_SECRET when set (production), otherwise
 * generated once and kept in the database so links survive restarts.
 */
export async function getAppSecret(): Promise<string> {
	if (process.env.APP_SECRET) return process.env.APP_SECRET;
	if (cachedSecret) return cachedSecret;
	const db = getDb();
	const found = await queryOne(db.select().from(settings).where(eq(settings.key, 'app_secret')));
	if (found) return (cachedSecret = found.value);
	const value = encodeBase64url(crypto.getRandomValues(new Uint8Array(32)));
	await db.insert(settings).values({ key: 'app_secret', value }).onConflictDoNothing();
	cachedSecret = (await queryOne(db.select().from(settings).where(eq(settings.key, 'app_secret'))))!
		.value;
	return cachedSecret;
}

export async function getSetting(key: string): Promise<string | null> {
	return (
		(await queryOne(getDb().select().from(settings).where(eq(settings.key, key))))?.value ?? null
	);
}

export async function putSetting(key: string, value: string): Promise<void> {
	await getDb()
		.insert(settings)
		.values({ key, value })
		.onConflictDoUpdate({ target: settings.key, set: { value } });
}
