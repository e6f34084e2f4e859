/**
 * Login throttling that an attacker cannot turn against a victim, kept in the database so that
 * it survives a restart and counts across every app instance sharing it.
 *
 * Counters of failures (table `login_throttle`), each forgotten some time after its last failure:
 * - per (account, address): guessing one account from one source. After 5 failures the pair
 *   waits 1 minute, then 2, 4, 8… up to 30 minutes per further failure;
 * - per account, from untrusted clients only: a distributed attack on one account, with a
 *   higher threshold (20). A browser that already logged in to that account (a signed device
 *   cookie, see `login.ts`) is exempt, so flooding an account from elsewhere never locks its
 *   owner out of their usual browser (OWASP "device cookies");
 * - per address: never a lock. A hospital puts hundreds of doctors behind one address (NAT),
 *   so one address is at most slowed down a little (a short pause before the check), and valid
 *   logins of other accounts from it always go through.
 *
 * An attempt is counted when it starts (`reserve`), so a burst of parallel guesses cannot slip
 * in before the first failures are written; a success then clears the pair and gives back the
 * account's unit (`settle`).
 */
import { and, eq, inArray, lt, or } from 'drizzle-orm';
import { getDb, type Db, type Tx, transaction, queryOne, affectedRows } from '../db';
import { loginThrottleCounters as throttleTable } from '../db/schema';

export interface LockRule {
	/** Failures before the first wait. */
	threshold: number;
	/** First wait; each further failure doubles it… */
	baseMs: number;
	/** …up to this. */
	maxMs: number;
	/** The counter starts again from zero this long after its last failure. */
	forgetAfterMs: number;
}

export interface SlowdownRule {
	threshold: number;
	stepMs: number;
	maxMs: number;
	forgetAfterMs: number;
}

export interface ThrottleRules {
	pair: LockRule;
	account: LockRule;
	address: SlowdownRule;
}

const MINUTE = 60_000;

export const defaultRules: ThrottleRules = {
	pair: { threshold: 5, baseMs: MINUTE, maxMs: 30 * MINUTE, forgetAfterMs: 24 * 60 * MINUTE },
	account: { threshold: 20, baseMs: MINUTE, maxMs: 30 * MINUTE, forgetAfterMs: 24 * 60 * MINUTE },
	address: { threshold: 100, stepMs: 250, maxMs: 2_000, forgetAfterMs: 15 * MINUTE }
};

/** How long a key waits after its `failures`-th failure: 0 below the threshold, then doubling. */
export function lockDelayMs(failures: number, rule: LockRule): number {
	if (failures < rule.threshold) return 0;
	const doublings = Math.min(failures - rule.threshold, 30);
	return Math.min(rule.baseMs * 2 ** doublings, rule.maxMs);
}

/** The pause before checking a password from an address with that many recent failures. */
export function addressSlowdownMs(failures: number, rule: SlowdownRule): number {
	if (failures < rule.threshold) return 0;
	const steps = Math.min(Math.floor((failures - rule.threshold) / rule.threshold), 30);
	return Math.min(rule.stepMs * 2 ** steps, rule.maxMs);
}

const parisTime = new Intl.DateTimeFormat('fr-FR', {
	hour: '2-digit',
	minute: '2-digit',
	timeZone: 'Europe/Paris'
});

/**
 * The French message for a throttled attempt: how long, and from when (Paris time). The same for
 * an account that exists and one that does not, since both are counted alike.
 */
export function throttledMessage(retryAfterMs: number, now: Date = new Date()): string {
	const minutes = Math.max(1, Math.ceil(retryAfterMs / MINUTE));
	const at = new Date(Math.ceil((now.getTime() + retryAfterMs) / MINUTE) * MINUTE);
	const [hh, mm] = parisTime.format(at).split(':');
	return `Trop de tentatives de connexion. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''} (à partir de ${hh} h ${mm}).`;
}

export type ThrottleVerdict =
	| { allowed: true; slowdownMs: number }
	| { allowed: false; retryAfterMs: number; scope: 'pair' | 'account' };

type Row = typeof throttleTable.$inferSelect;

const pairKey = (account: string, address: string) => `pair:${account}|${address}`;
const accountKey = (account: string) => `account:${account}`;
const addressKey = (address: string) => `address:${address}`;

export class LoginThrottle {
	private lastPurge = 0;

	constructor(
		private readonly db: () => Db = getDb,
		private readonly rules: ThrottleRules = defaultRules,
		private readonly now: () => Date = () => new Date()
	) {}

	/**
	 * Decides whether this attempt may check a password and, if so, counts it as a failure
	 * already (in one write transaction, so parallel attempts and other instances queue).
	 */
	async reserve(
		account: string,
		address: string,
		trustedDevice: boolean
	): Promise<ThrottleVerdict> {
		const now = this.now();
		const locks: { key: string; scope: 'pair' | 'account'; rule: LockRule }[] = [
			{ key: pairKey(account, address), scope: 'pair', rule: this.rules.pair }
		];
		if (!trustedDevice)
			locks.push({ key: accountKey(account), scope: 'account', rule: this.rules.account });
		const db = this.db();
		const verdict = await transaction(db, async (tx) => {
			const keys = [...locks.map((l) => l.key), addressKey(address)];
			const rows = new Map(
				(await tx.select().from(throttleTable).where(inArray(throttleTable.key, keys))).map((r) => [
					r.key,
					r
				])
			);
			let wait = 0;
			let scope: 'pair' | 'account' = 'pair';
			for (const lock of locks) {
				const until = live(rows.get(lock.key), lock.rule, now)?.lockedUntil;
				const left = until ? until.getTime() - now.getTime() : 0;
				if (left > wait) [wait, scope] = [left, lock.scope];
			}
			if (wait > 0) return { allowed: false as const, retryAfterMs: wait, scope };
			for (const lock of locks)
				await countFailure(
					tx,
					lock.key,
					lock.scope,
					live(rows.get(lock.key), lock.rule, now),
					now,
					(n) => lockDelayMs(n, lock.rule)
				);
			const addressRow = live(rows.get(addressKey(address)), this.rules.address, now);
			return {
				allowed: true as const,
				slowdownMs: addressSlowdownMs(addressRow?.failures ?? 0, this.rules.address)
			};
		});
		await this.purgeNowAndThen(now);
		return verdict;
	}

	/** After the password check: a success clears the pair; a failure counts for the address. */
	async settle(
		account: string,
		address: string,
		trustedDevice: boolean,
		success: boolean
	): Promise<void> {
		const now = this.now();
		await transaction(this.db(), async (tx) => {
			if (success) {
				await tx.delete(throttleTable).where(eq(throttleTable.key, pairKey(account, address)));
				if (!trustedDevice) {
					// Give back the unit `reserve` took: a success is not a failure.
					const key = accountKey(account);
					const row = await queryOne(
						tx.select().from(throttleTable).where(eq(throttleTable.key, key))
					);
					if (row) {
						const failures = Math.max(0, row.failures - 1);
						await tx
							.update(throttleTable)
							.set({
								failures,
								lockedUntil: failures < this.rules.account.threshold ? null : row.lockedUntil
							})
							.where(eq(throttleTable.key, key));
					}
				}
			} else {
				const key = addressKey(address);
				const row = await queryOne(
					tx.select().from(throttleTable).where(eq(throttleTable.key, key))
				);
				await countFailure(tx, key, 'address', live(row, this.rules.address, now), now, () => 0);
			}
		});
	}

	/** Deletes the counters that have been forgotten (no failure within their window). */
	async purge(now: Date = this.now()): Promise<number> {
		const cutoff = (rule: { forgetAfterMs: number }) =>
			new Date(now.getTime() - rule.forgetAfterMs);
		const result = await this.db()
			.delete(throttleTable)
			.where(
				or(
					and(
						eq(throttleTable.scope, 'pair'),
						lt(throttleTable.lastFailureAt, cutoff(this.rules.pair))
					),
					and(
						eq(throttleTable.scope, 'account'),
						lt(throttleTable.lastFailureAt, cutoff(this.rules.account))
					),
					and(
						eq(throttleTable.scope, 'address'),
						lt(throttleTable.lastFailureAt, cutoff(this.rules.address))
					)
				)
			);
		this.lastPurge = now.getTime();
		return affectedRows(result);
	}

	private async purgeNowAndThen(now: Date): Promise<void> {
		if (now.getTime() - this.lastPurge >= MINUTE) await this.purge(now);
	}
}

/** The row if it still counts: a counter is forgotten `forgetAfterMs` after its last failure. */
function live(row: Row | undefined, rule: { forgetAfterMs: number }, now: Date): Row | undefined {
	if (!row) return undefined;
	return now.getTime() - row.lastFailureAt.getTime() >= rule.forgetAfterMs ? undefined : row;
}

async function countFailure(
	tx: Tx,
	key: string,
	scope: Row['scope'],
	current: Row | undefined,
	now: Date,
	delayFor: (failures: number) => number
): Promise<void> {
	const failures = (current?.failures ?? 0) + 1;
	const delay = delayFor(failures);
	const values = {
		failures,
		windowStart: current?.windowStart ?? now,
		lastFailureAt: now,
		lockedUntil: delay > 0 ? new Date(now.getTime() + delay) : null
	};
	await tx
		.insert(throttleTable)
		.values({ key, scope, ...values })
		.onConflictDoUpdate({ target: throttleTable.key, set: values });
}

export const loginThrottle = new LoginThrottle();
