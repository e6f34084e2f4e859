import { describe, expect, it } from 'vitest';
import { computeAuditHash, GENESIS_HASH, verifyChain, type AuditFields } from './audit-chain';

function buildChain(n: number): (AuditFields & { seq: number; prevHash: string; hash: string })[] {
	const rows = [];
	let prev = GENESIS_HASH;
	for (let i = 1; i <= n; i++) {
		const fields: AuditFields = {
			at: new Date(Date.UTC(2026, 0, 1, 0, i)),
			actorType: 'user',
			actorId: `u${i}`,
			action: 'case.read',
			objectType: 'case',
			objectId: `c${i}`,
			patientId: `p${i}`,
			ip: '127.0.0.1',
			detail: null
		};
		const hash = computeAuditHash(prev, fields);
		rows.push({ ...fields, seq: i, prevHash: prev, hash });
		prev = hash;
	}
	return rows;
}

describe('audit chain', () => {
	it('produces a 64-character hex hash that depends on every field', () => {
		const [row] = buildChain(1);
		expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
		const other = computeAuditHash(GENESIS_HASH, { ...row!, ip: '10.0.0.1' });
		expect(other).not.toBe(row!.hash);
		expect(computeAuditHash(GENESIS_HASH, { ...row!, detail: 'x' })).not.toBe(row!.hash);
	});

	it('verifies an intact chain', () => {
		expect(verifyChain(buildChain(5))).toEqual({ ok: true, count: 5 });
	});

	it('detects an edited row', () => {
		const rows = buildChain(5);
		rows[2] = { ...rows[2]!, patientId: 'someone-else' };
		expect(verifyChain(rows)).toEqual({ ok: false, brokenAt: 3, count: 3 });
	});

	it('detects a deleted row', () => {
		const rows = buildChain(5);
		rows.splice(1, 1);
		expect(verifyChain(rows)).toMatchObject({ ok: false, brokenAt: 3 });
	});

	it('detects a row whose hash was recomputed without relinking the next one', () => {
		const rows = buildChain(4);
		const edited = { ...rows[1]!, action: 'case.delete' };
		edited.hash = computeAuditHash(edited.prevHash, edited);
		rows[1] = edited;
		expect(verifyChain(rows)).toMatchObject({ ok: false, brokenAt: 3 });
	});
});
