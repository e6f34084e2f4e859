// node:crypto rather than @oslojs: its native HMAC is about 7× faster (2M rows in ~7 s instead
// of ~50 s), and this module only ever runs on the server.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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

export interface ChainRow extends AuditFields {
	seq: number;
	prevHash: string;
	hash: string;
}

/** Every field and the previous row's hash, in a fixed order. */
function canonicalize(prevHash: string, f: AuditFields): string {
	return JSON.stringify([
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
}

/**
 * The first scheme (plain SHA-256): anyone who can edit the database can recompute it. Kept
 * only to verify rows written before the keyed chain started.
 */
export function computeUnkeyedHash(prevHash: string, f: AuditFields): string {
	return createHash('sha256').update(canonicalize(prevHash, f), 'utf8').digest('hex');
}

/** The chain key: derived from the app secret so it is never the secret itself. */
export function deriveChainKey(secret: string): Buffer {
	return createHmac('sha256', secret).update('pluri-audit-chain').digest();
}

/** HMAC-SHA-256 of one row with the chain key: cannot be recomputed without the secret. */
export function computeKeyedHash(key: Uint8Array, prevHash: string, f: AuditFields): string {
	return createHmac('sha256', key).update(canonicalize(prevHash, f), 'utf8').digest('hex');
}

/** Authenticates a value kept beside the chain (start of the keyed chain, last verification). */
export function signChainValue(key: Uint8Array, label: string, value: string): string {
	return createHmac('sha256', key).update(`${label}\n${value}`, 'utf8').digest('hex');
}

export function isChainValueSigned(
	key: Uint8Array,
	label: string,
	value: string,
	mac: string
): boolean {
	const expected = Buffer.from(signChainValue(key, label, value), 'hex');
	const given = Buffer.from(/^[0-9a-f]{64}$/.test(mac) ? mac : '', 'hex');
	return given.length === expected.length && timingSafeEqual(given, expected);
}

const KEYED_FROM_LABEL = 'audit-chain-keyed-from';

/** The stored marker « rows from this seq on are keyed », authenticated so it cannot be moved. */
export function formatKeyedFrom(key: Uint8Array, seq: number): string {
	return `${seq}.${signChainValue(key, KEYED_FROM_LABEL, String(seq))}`;
}

/** The marker's seq, or null when it was altered (or written with another key). */
export function parseKeyedFrom(key: Uint8Array, value: string): number | null {
	const m = /^(\d+)\.([0-9a-f]{64})$/.exec(value);
	if (!m || !isChainValueSigned(key, KEYED_FROM_LABEL, m[1]!, m[2]!)) return null;
	const seq = Number(m[1]);
	return Number.isSafeInteger(seq) && seq > 0 ? seq : null;
}

/** How rows are checked: keyed from `keyedFrom` on, unkeyed before (null: no keyed row yet). */
export interface ChainScheme {
	key: Uint8Array;
	keyedFrom: number | null;
}

export function computeRowHash(
	scheme: ChainScheme,
	seq: number,
	prevHash: string,
	f: AuditFields
): string {
	return scheme.keyedFrom !== null && seq >= scheme.keyedFrom
		? computeKeyedHash(scheme.key, prevHash, f)
		: computeUnkeyedHash(prevHash, f);
}

/** Where a verification stopped: the last row that held, and how many rows held up to it. */
export interface ChainCursor {
	lastSeq: number;
	lastHash: string;
	count: number;
}

export const START_CURSOR: ChainCursor = { lastSeq: 0, lastHash: GENESIS_HASH, count: 0 };

export type ChainStep =
	{ ok: true; cursor: ChainCursor } | { ok: false; cursor: ChainCursor; broken: ChainRow };

/**
 * Walks rows in sequence order from a cursor; the first row whose link or hash does not hold
 * breaks the chain (an edited row breaks at itself, a deleted or moved one at its successor).
 */
export function verifyRows(
	rows: Iterable<ChainRow>,
	scheme: ChainScheme,
	from: ChainCursor
): ChainStep {
	let cursor = from;
	for (const row of rows) {
		if (
			row.seq <= cursor.lastSeq ||
			row.prevHash !== cursor.lastHash ||
			computeRowHash(scheme, row.seq, row.prevHash, row) !== row.hash
		) {
			return { ok: false, cursor, broken: row };
		}
		cursor = { lastSeq: row.seq, lastHash: row.hash, count: cursor.count + 1 };
	}
	return { ok: true, cursor };
}

export type ChainCheck =
	{ ok: true; count: number } | { ok: false; brokenAt: number; count: number };

/** The whole chain from its first row. `count` includes the broken row. */
export function verifyChain(rows: Iterable<ChainRow>, scheme: ChainScheme): ChainCheck {
	const step = verifyRows(rows, scheme, START_CURSOR);
	return step.ok
		? { ok: true, count: step.cursor.count }
		: { ok: false, brokenAt: step.broken.seq, count: step.cursor.count + 1 };
}
