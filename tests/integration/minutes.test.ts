import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { systemAudit } from '$lib/server/audit';
import { seedDemoNetwork } from '$lib/server/demo/network';
import { decisions, meetings } from '$lib/server/db/schema';
import { buildMeetingMinutes } from '$lib/server/delivery/minutes';
import { migratedDb, queryOne } from '../support/db';

const db = await migratedDb();

describe('meeting minutes', () => {
	it('renders the minutes of the demo past meeting (smoke test; order and outcomes: domain/minutes.test.ts)', async () => {
		await seedDemoNetwork();
		const decided = (await db.select().from(decisions)).find((d) => d.meetingId !== null);
		expect(decided).toBeDefined();
		const meetingId = decided!.meetingId!;
		expect(
			await queryOne(db.select().from(meetings).where(eq(meetings.id, meetingId)))
		).toBeDefined();
		const pdf = await buildMeetingMinutes(meetingId, systemAudit);
		expect(pdf?.subarray(0, 5).toString()).toBe('%PDF-');
	});
});
