import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { systemAudit } from '$lib/server/audit';
import { seedDemoNetwork } from '$lib/server/db/seed';
import { decisions, meetings } from '$lib/server/db/schema';
import { buildMeetingMinutes } from '$lib/server/delivery/minutes';
import { migratedDb } from '../support/db';

const db = migratedDb();

describe('meeting minutes', () => {
	it('renders the minutes of the demo past meeting (smoke test; order and outcomes: domain/minutes.test.ts)', async () => {
		await seedDemoNetwork();
		const decided = db
			.select()
			.from(decisions)
			.all()
			.find((d) => d.meetingId !== null);
		expect(decided).toBeDefined();
		const meetingId = decided!.meetingId!;
		expect(db.select().from(meetings).where(eq(meetings.id, meetingId)).get()).toBeDefined();
		const pdf = await buildMeetingMinutes(meetingId, systemAudit);
		expect(pdf?.subarray(0, 5).toString()).toBe('%PDF-');
	});
});
