import { count } from 'drizzle-orm';
import { getDb } from '$lib/server/db';
import { pathways } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

/** A liveness page for monitoring: renders only when the database answers. */
export const load: PageServerLoad = () => {
	const row = getDb().select({ n: count() }).from(pathways).get();
	return { pathways: row?.n ?? 0, at: new Date() };
};
