import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { isProposalType, type PathwayKind } from '$lib/domain/pathways';
import { verifyAuditTrail } from '$lib/server/audit';
import { seedDemoNetwork } from '$lib/server/demo/network';
import { cases, decisions, outbox, pathways } from '$lib/server/db/schema';
import { loadDecisionPdf } from '$lib/server/delivery/pdf-store';
import { migratedDb } from '../support/db';

const db = await migratedDb();

describe('demo decisions', () => {
	it('every pathway has a past meeting whose cases carry a validated, delivered decision', async () => {
		await seedDemoNetwork();
		const rows = await db
			.select({ d: decisions, c: cases, kind: pathways.kind, code: pathways.code })
			.from(decisions)
			.innerJoin(cases, eq(cases.id, decisions.caseId))
			.innerJoin(pathways, eq(pathways.id, cases.pathwayId));
		expect(new Set(rows.map((r) => r.code))).toEqual(
			new Set(['onco-digestive', 'onco-thoracic', 'onco-breast', 'heart-failure'])
		);
		for (const { d, c, kind } of rows) {
			expect(d).toMatchObject({ status: 'validated', version: 1, quorumReached: true });
			expect(d.proposalTypes.length).toBeGreaterThan(0);
			expect(d.proposalTypes.every((p) => isProposalType(kind as PathwayKind, p))).toBe(true);
			expect(d.validatedBy).not.toBeNull();
			expect(c.status).toBe('delivered');
			const sent = await db.select().from(outbox).where(eq(outbox.decisionId, d.id));
			expect(sent.length).toBe(1);
			expect(sent[0]).toMatchObject({ status: 'delivered', channel: 'mail' });
		}
		const pdf = await loadDecisionPdf(rows[0]!.d.id);
		expect(pdf!.subarray(0, 5).toString()).toBe('%PDF-');
		expect((await verifyAuditTrail()).ok).toBe(true);
	});
});
