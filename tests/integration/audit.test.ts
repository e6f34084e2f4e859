import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { recordAudit, verifyAuditTrail } from '$lib/server/audit';
import { auditEvents } from '$lib/server/db/schema';
import { migratedDb } from '../support/db';

const db = migratedDb();
const ctx = { actorType: 'user' as const, actorId: 'u1', ip: '10.1.2.3' };

describe('audit trail in SQLite', () => {
	it('chains rows and detects an edited row', () => {
		for (let i = 0; i < 20; i++) {
			recordAudit(ctx, {
				action: 'case.read',
				objectType: 'case',
				objectId: `c${i}`,
				patientId: `p${i}`
			});
		}
		expect(verifyAuditTrail()).toEqual({ ok: true, count: 20 });
		db.run(sql`update audit_event set patient_id = 'p-other' where seq = 7`);
		expect(verifyAuditTrail()).toEqual({ ok: false, brokenAt: 7, count: 7 });
	});

	it('rolls the audit row back with the change it records', () => {
		const before = db.select().from(auditEvents).all().length;
		expect(() =>
			db.transaction((tx) => {
				recordAudit(ctx, { action: 'case.update', objectId: 'x' }, tx);
				throw new Error('the change failed');
			})
		).toThrow('the change failed');
		expect(db.select().from(auditEvents).all().length).toBe(before);
	});
});
