import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditFields {
	at: Date;
	actorType: string;
	actorId: string | null;
	action: string;
	objectType: string | null;
	objectId: string | null;
	patientId: string | null;
	ip: string | null;
	detail: string | null;
}

/** Hash of one audit row: covers every field and the previous row's hash, in a fixed order. */
export function computeAuditHash(prevHash: string, f: AuditFields): string {
	const canonical = JSON.stringify([
		prevHash,
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
	return encodeHexLowerCase(sha256(new TextEncoder().encode(canonical)));
}

export type ChainCheck =
	{ ok: true; count: number } | { ok: false; brokenAt: number; count: number };

/** Walks rows in sequence order; the first row whose link or hash does not hold breaks the chain. */
export function verifyChain(
	rows: Iterable<AuditFields & { seq: number; prevHash: string; hash: string }>
): ChainCheck {
	let prev = GENESIS_HASH;
	let count = 0;
	for (const row of rows) {
		count++;
		if (row.prevHash !== prev || computeAuditHash(prev, row) !== row.hash) {
			return { ok: false, brokenAt: row.seq, count };
		}
		prev = row.hash;
	}
	return { ok: true, count };
}
