import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { describe, expect, it } from 'vitest';
import {
	computeKeyedHash,
	computeRowHash,
	computeUnkeyedHash,
	deriveChainKey,
	formatKeyedFrom,
	GENESIS_HASH,
	parseKeyedFrom,
	START_CURSOR,
	verifyChain,
	verifyRows,
	type AuditFields,
	type ChainRow,
	type ChainScheme
} from './audit-chain';

const key = deriveChainKey('un-secret-de-test');
const keyed: ChainScheme = { key, keyedFrom: 1 };

function fieldsOf(i: number): AuditFields {
	return {
		at: new Date(Date.UTC(2026, 0, 1, 0, i)),
		actorType: 'user',
		actorId: `u${i}`,
		action: 'case.read',
		objectType: 'rcp_case',
		objectId: `c${i}`,
		patientId: `p${i}`,
		ip: '127.0.0.1',
		detail: null
	};
}

function buildChain(n: number, scheme: ChainScheme = keyed): ChainRow[] {
	const rows: ChainRow[] = [];
	let prev = GENESIS_HASH;
	for (let seq = 1; seq <= n; seq++) {
		const fields = fieldsOf(seq);
		const hash = computeRowHash(scheme, seq, prev, fields);
		rows.push({ ...fields, seq, prevHash: prev, hash });
		prev = hash;
	}
	return rows;
}

/** Rewrites rows from `index` on with `hashOf`, relinking each to the one before. */
function relink(rows: ChainRow[], index: number, hashOf: (prev: string, r: ChainRow) => string) {
	for (let i = index; i < rows.length; i++) {
		const prevHash = i === 0 ? GENESIS_HASH : rows[i - 1]!.hash;
		rows[i] = { ...rows[i]!, prevHash, hash: hashOf(prevHash, rows[i]!) };
	}
}

describe('audit chain hashes', () => {
	it('keeps the unkeyed scheme identical to the first version (SHA-256 of the JSON row)', () => {
		const f = fieldsOf(1);
		const canonical = JSON.stringify([
			GENESIS_HASH,
			f.at.getTime(),
			f.actorType,
			f.actorId,
			f.action,
			f.objectType,
			f.objectId,
			f.patientId,
			f.ip,
			f.detail
		]);
		expect(computeUnkeyedHash(GENESIS_HASH, f)).toBe(
			encodeHexLowerCase(sha256(new TextEncoder().encode(canonical)))
		);
	});

	it('keys the hash: another secret or no key gives another value', () => {
		const f = fieldsOf(1);
		const h = computeKeyedHash(key, GENESIS_HASH, f);
		expect(h).toMatch(/^[0-9a-f]{64}$/);
		expect(computeKeyedHash(deriveChainKey('autre-secret'), GENESIS_HASH, f)).not.toBe(h);
		expect(computeUnkeyedHash(GENESIS_HASH, f)).not.toBe(h);
	});

	it('covers every field and the previous hash', () => {
		const f = fieldsOf(1);
		const h = computeKeyedHash(key, GENESIS_HASH, f);
		const variants: Partial<AuditFields>[] = [
			{ at: new Date(f.at.getTime() + 1) },
			{ actorType: 'guest' },
			{ actorId: 'u9' },
			{ action: 'case.update' },
			{ objectType: 'patient' },
			{ objectId: 'c9' },
			{ patientId: null },
			{ ip: '10.0.0.1' },
			{ detail: '{}' }
		];
		for (const v of variants)
			expect(computeKeyedHash(key, GENESIS_HASH, { ...f, ...v })).not.toBe(h);
		expect(computeKeyedHash(key, '1'.repeat(64), f)).not.toBe(h);
	});
});

describe('audit chain verification', () => {
	it('verifies an intact keyed chain', () => {
		expect(verifyChain(buildChain(5), keyed)).toEqual({ ok: true, count: 5 });
	});

	it('detects a tampered field', () => {
		const rows = buildChain(5);
		rows[2] = { ...rows[2]!, patientId: 'someone-else' };
		expect(verifyChain(rows, keyed)).toEqual({ ok: false, brokenAt: 3, count: 3 });
	});

	it('detects a deleted row at its successor', () => {
		const rows = buildChain(5);
		rows.splice(1, 1);
		expect(verifyChain(rows, keyed)).toEqual({ ok: false, brokenAt: 3, count: 2 });
	});

	it('detects reordered rows, even renumbered', () => {
		const rows = buildChain(5);
		const swapped = [rows[0]!, rows[2]!, rows[1]!, rows[3]!, rows[4]!];
		expect(verifyChain(swapped, keyed)).toMatchObject({ ok: false, brokenAt: 3 });
		// The same content under swapped numbers: the links still do not hold.
		const renumbered = swapped.map((r, i) => ({ ...r, seq: i + 1 }));
		expect(verifyChain(renumbered, keyed)).toMatchObject({ ok: false, brokenAt: 2 });
	});

	it('detects an edit recomputed and relinked without the key', () => {
		const plain = buildChain(6);
		plain[2] = { ...plain[2]!, action: 'case.delete' };
		relink(plain, 2, (prev, r) => computeUnkeyedHash(prev, r));
		expect(verifyChain(plain, keyed)).toMatchObject({ ok: false, brokenAt: 3 });

		const otherKey = buildChain(6);
		otherKey[2] = { ...otherKey[2]!, patientId: 'p-other' };
		const guess = deriveChainKey('secret-deviné');
		relink(otherKey, 2, (prev, r) => computeKeyedHash(guess, prev, r));
		expect(verifyChain(otherKey, keyed)).toMatchObject({ ok: false, brokenAt: 3 });
	});

	it('accepts the same forgery only with the real key (the test can fail)', () => {
		const rows = buildChain(6);
		rows[2] = { ...rows[2]!, action: 'case.delete' };
		relink(rows, 2, (prev, r) => computeKeyedHash(key, prev, r));
		expect(verifyChain(rows, keyed)).toEqual({ ok: true, count: 6 });
	});

	it('verifies unkeyed rows up to the start of the keyed chain (upgrade)', () => {
		const upgrade: ChainScheme = { key, keyedFrom: 4 };
		const rows = buildChain(6, upgrade);
		expect(rows[2]!.hash).toBe(computeUnkeyedHash(rows[2]!.prevHash, rows[2]!));
		expect(rows[3]!.hash).toBe(computeKeyedHash(key, rows[3]!.prevHash, rows[3]!));
		expect(verifyChain(rows, upgrade)).toEqual({ ok: true, count: 6 });
		// Moving the start later lets no keyed row pass as unkeyed.
		expect(verifyChain(rows, { key, keyedFrom: 6 })).toMatchObject({ ok: false, brokenAt: 4 });
		expect(verifyChain(rows, { key, keyedFrom: null })).toMatchObject({ ok: false, brokenAt: 4 });
		// A keyed row rewritten with the old scheme is refused.
		const forged = buildChain(6, upgrade);
		forged[4] = { ...forged[4]!, ip: '6.6.6.6' };
		relink(forged, 4, (prev, r) => computeUnkeyedHash(prev, r));
		expect(verifyChain(forged, upgrade)).toMatchObject({ ok: false, brokenAt: 5 });
	});

	it('goes on from a cursor and reports the last row that held', () => {
		const rows = buildChain(6);
		const first = verifyRows(rows.slice(0, 3), keyed, START_CURSOR);
		expect(first).toMatchObject({ ok: true, cursor: { lastSeq: 3, count: 3 } });
		const next = verifyRows(rows.slice(3), keyed, first.cursor);
		expect(next).toEqual({
			ok: true,
			cursor: { lastSeq: 6, lastHash: rows[5]!.hash, count: 6 }
		});
		const tampered = rows.slice(3).map((r) => (r.seq === 5 ? { ...r, objectId: 'x' } : r));
		const broken = verifyRows(tampered, keyed, first.cursor);
		expect(broken).toMatchObject({ ok: false, cursor: { lastSeq: 4, count: 4 } });
		expect(broken.ok ? null : broken.broken.seq).toBe(5);
	});
});

describe('start of the keyed chain', () => {
	it('reads back only a marker signed with the key', () => {
		const marker = formatKeyedFrom(key, 42);
		expect(parseKeyedFrom(key, marker)).toBe(42);
		expect(parseKeyedFrom(deriveChainKey('autre'), marker)).toBeNull();
		expect(parseKeyedFrom(key, marker.replace(/^42/, '420'))).toBeNull();
		expect(parseKeyedFrom(key, '42')).toBeNull();
	});
});
