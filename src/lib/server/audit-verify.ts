import { eq } from 'drizzle-orm';
import {
	isChainValueSigned,
	signChainValue,
	START_CURSOR,
	verifyRows,
	type ChainCursor
} from '$lib/domain/audit-chain';
import { formatAuditTime, labelAuditAction } from '$lib/domain/audit-labels';
import { getChainKey, readChainScheme, readTrailPage } from './audit';
import { getDb, queryOne } from './db';
import { auditEvents } from './db/schema';
import { getSetting, putSetting } from './settings';

/** Setting holding the last verification (signed: editing it only forces a full walk). */
export const VERIFICATION_SETTING = 'audit_verification';
const VERIFICATION_LABEL = 'audit-verification';

export interface BrokenRow {
	seq: number;
	/** Null when the row itself is gone (an already verified row was deleted). */
	at: Date | null;
	action: string | null;
}

export interface VerificationRecord {
	at: Date;
	ok: boolean;
	/** Rows verified intact, up to `lastSeq`. */
	count: number;
	lastSeq: number;
	lastHash: string;
	/** Where the keyed chain starts, as seen by this verification. */
	keyedFrom: number | null;
	broken: BrokenRow | null;
	mode: 'full' | 'incremental';
}

interface StoredRecord extends Omit<VerificationRecord, 'at' | 'broken'> {
	at: number;
	broken: { seq: number; at: number | null; action: string | null } | null;
}

export async function readVerification(): Promise<VerificationRecord | null> {
	const raw = await getSetting(VERIFICATION_SETTING);
	if (!raw) return null;
	try {
		const { mac, body } = JSON.parse(raw) as { mac: string; body: string };
		if (!isChainValueSigned(await getChainKey(), VERIFICATION_LABEL, body, mac)) return null;
		const s = JSON.parse(body) as StoredRecord;
		return {
			...s,
			at: new Date(s.at),
			broken: s.broken && {
				...s.broken,
				at: s.broken.at === null ? null : new Date(s.broken.at)
			}
		};
	} catch {
		return null;
	}
}

async function writeVerification(r: VerificationRecord): Promise<void> {
	const stored: StoredRecord = {
		...r,
		at: r.at.getTime(),
		broken: r.broken && { ...r.broken, at: r.broken.at?.getTime() ?? null }
	};
	const body = JSON.stringify(stored);
	const mac = signChainValue(await getChainKey(), VERIFICATION_LABEL, body);
	await putSetting(VERIFICATION_SETTING, JSON.stringify({ mac, body }));
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface VerifyOptions {
	/** Go on from the last verification (the row it ended on must still be there, unchanged). */
	fromLast: boolean;
	chunkSize?: number;
	/** Saves progress every this many chunks, so a restart does not start over. */
	saveEvery?: number;
}

/** The row a previous verification ended on, if it is still there with the same hash. */
async function anchorHolds(previous: VerificationRecord): Promise<boolean> {
	if (previous.lastSeq === 0) return true;
	const row = await queryOne(
		getDb()
			.select({ hash: auditEvents.hash })
			.from(auditEvents)
			.where(eq(auditEvents.seq, previous.lastSeq))
	);
	return row?.hash === previous.lastHash;
}

/**
 * Verifies the chain in chunks that yield to the event loop between them, so requests go on
 * being served, and records the result. A broken link stops the walk; the cursor stays on the
 * last row that held, so the break is found again by every later run until it is repaired.
 */
async function runVerification(options: VerifyOptions): Promise<VerificationRecord> {
	const chunkSize = options.chunkSize ?? 2000;
	const saveEvery = options.saveEvery ?? 50;
	const previous = await readVerification();
	const scheme = await readChainScheme(previous?.keyedFrom ?? null);
	let cursor: ChainCursor = START_CURSOR;
	let missing: BrokenRow | null = null;
	if (options.fromLast && previous) {
		if (await anchorHolds(previous)) {
			cursor = { lastSeq: previous.lastSeq, lastHash: previous.lastHash, count: previous.count };
		} else {
			// An already verified row changed or vanished: walk everything to find the first break.
			missing = { seq: previous.lastSeq, at: null, action: null };
		}
	}
	const mode = cursor === START_CURSOR ? 'full' : 'incremental';
	const result = (broken: BrokenRow | null): VerificationRecord => ({
		at: new Date(),
		ok: broken === null,
		count: cursor.count,
		lastSeq: cursor.lastSeq,
		lastHash: cursor.lastHash,
		keyedFrom: scheme.keyedFrom,
		broken,
		mode
	});
	for (let chunk = 1; ; chunk++) {
		const page = await readTrailPage(cursor.lastSeq, chunkSize);
		const step = verifyRows(page, scheme, cursor);
		cursor = step.cursor;
		if (!step.ok) {
			const { seq, at, action } = step.broken;
			const record = result({ seq, at, action });
			await writeVerification(record);
			return record;
		}
		if (page.length < chunkSize) break;
		if (chunk % saveEvery === 0 && !missing) await writeVerification(result(null));
		await yieldToEventLoop();
	}
	// Every remaining row holds but a verified one is gone (the tail was cut): keep pointing at
	// it so later runs report it too, until a full verification (`npm run audit:verify`).
	const record =
		missing && previous
			? { ...result(missing), lastSeq: previous.lastSeq, lastHash: previous.lastHash }
			: result(null);
	await writeVerification(record);
	return record;
}

let running: Promise<VerificationRecord> | null = null;

/** One verification at a time per process; a second caller shares the one under way. */
export function verifyAuditChain(options: VerifyOptions): Promise<VerificationRecord> {
	running ??= runVerification(options).finally(() => {
		running = null;
	});
	return running;
}

const VERIFY_INTERVAL_MS = 10 * 60_000;
let timer: ReturnType<typeof setInterval> | undefined;

/**
 * Background verification from the last verified row: soon after start-up, then every ten
 * minutes (PLURI_AUDIT_VERIFY=0 turns it off). Requests only read its recorded result.
 */
export function startAuditVerification(): void {
	if (timer || process.env.PLURI_AUDIT_VERIFY === '0') return;
	const run = (): void => {
		verifyAuditChain({ fromLast: true }).catch((e: unknown) => console.error('[audit verify]', e));
	};
	setImmediate(run).unref();
	timer = setInterval(run, VERIFY_INTERVAL_MS);
	timer.unref();
}

/** One line per outcome, for the command and its tests. */
export function describeVerification(r: VerificationRecord): string {
	if (r.ok) return `${r.count} entrées vérifiées : chaîne intègre.`;
	const b = r.broken!;
	if (b.at === null || b.action === null) {
		return `Chaîne rompue : l’entrée n° ${b.seq}, déjà vérifiée, a été supprimée ou modifiée (${r.count} entrées intègres avant la fin du journal).`;
	}
	return `Chaîne rompue à l’entrée n° ${b.seq} (${formatAuditTime(b.at)}, ${labelAuditAction(b.action)} [${b.action}]) : le journal a été modifié. ${r.count} entrées intègres avant elle.`;
}

/** `npm run audit:verify [--from-last]`: prints the outcome; exit code 1 when broken. */
export async function runAuditVerifyCommand(fromLast: boolean): Promise<void> {
	const previous = fromLast ? await readVerification() : null;
	console.log(
		previous
			? `Vérification du journal d’audit à partir de l’entrée n° ${previous.lastSeq + 1}…`
			: 'Vérification complète du journal d’audit…'
	);
	try {
		const record = await verifyAuditChain({ fromLast });
		console.log(describeVerification(record));
		process.exitCode = record.ok ? 0 : 1;
	} catch (e) {
		console.error('La vérification n’a pas pu se faire :', e);
		process.exitCode = 2;
	}
}
