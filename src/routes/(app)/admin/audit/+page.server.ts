import { desc } from 'drizzle-orm';
import { verifyAuditTrail } from '$lib/server/audit';
import { getDb } from '$lib/server/db';
import { auditEvents } from '$lib/server/db/schema';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({
	chain: verifyAuditTrail(),
	events: getDb().select().from(auditEvents).orderBy(desc(auditEvents.seq)).limit(200).all()
});
