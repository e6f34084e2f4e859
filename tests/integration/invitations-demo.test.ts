import { asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedDemoNetwork } from '$lib/server/demo/network';
import { mailMessages, meetings, pathways } from '$lib/server/db/schema';
import { listMeetingInvitees } from '$lib/server/invitations';
import { migratedDb } from '../support/db';
import { runCalendarMaintenance } from '$lib/server/meeting-upkeep';

const db = await migratedDb();

describe('demo invitations', () => {
	it('invites every pathway’s doctors to its series, with answers on the next meetings', async () => {
		await seedDemoNetwork();
		const now = new Date();
		for (const p of await db.select().from(pathways)) {
			const next = (
				await db
					.select()
					.from(meetings)
					.where(eq(meetings.pathwayId, p.id))
					.orderBy(asc(meetings.startsAt))
			).filter((m) => m.startsAt > now && m.status === 'scheduled');
			const invitees = await listMeetingInvitees(next[0]!);
			expect(invitees.length, p.code).toBeGreaterThanOrEqual(3);
			expect(
				invitees.some((i) => i.reply === 'accepted'),
				p.code
			).toBe(true);
			expect(
				invitees.some((i) => i.reply === 'declined'),
				p.code
			).toBe(true);
			// Further meetings: invited through the series, no answer yet.
			expect((await listMeetingInvitees(next[3]!)).every((i) => i.scope === 'series')).toBe(true);
		}
	});

	it('starts with an empty mailbox, and the start-up upkeep does not flood it', async () => {
		expect(await db.select().from(mailMessages)).toHaveLength(0);
		await runCalendarMaintenance(new Date());
		expect(await db.select().from(mailMessages)).toHaveLength(0);
	});
});
