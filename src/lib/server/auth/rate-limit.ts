/**
 * Login throttling that an attacker cannot turn against a victim.
 *
 * Three counters of failures, each over a sliding window:
 * - per IP address (across accounts): stops one source from spraying many accounts;
 * - per (account, IP): stops guessing one account from one source;
 * - per account from untrusted clients: stops a distributed attack on one account.
 * A client that already logged in to that account on this browser (a signed device cookie)
 * is exempt from the per-account counter, so flooding an account from elsewhere never
 * locks its owner out of their usual browser (OWASP "device cookies").
 */
export interface ThrottleLimits {
	windowMs: number;
	perIp: number;
	perAccountAndIp: number;
	perAccountUntrusted: number;
}

export const defaultLimits: ThrottleLimits = {
	windowMs: 15 * 60_000,
	perIp: 30,
	perAccountAndIp: 5,
	perAccountUntrusted: 20
};

export type ThrottleVerdict =
	{ allowed: true } | { allowed: false; retryAfterMs: number; scope: 'ip' | 'account' };

export class LoginThrottle {
	private failures = new Map<string, number[]>();

	constructor(
		private readonly limits: ThrottleLimits = defaultLimits,
		private readonly now: () => number = Date.now
	) {}

	check(account: string, ip: string, trustedDevice: boolean): ThrottleVerdict {
		const ipWait = this.waitFor(`ip:${ip}`, this.limits.perIp);
		if (ipWait > 0) return { allowed: false, retryAfterMs: ipWait, scope: 'ip' };
		const pairWait = this.waitFor(`pair:${account}|${ip}`, this.limits.perAccountAndIp);
		if (pairWait > 0) return { allowed: false, retryAfterMs: pairWait, scope: 'account' };
		if (!trustedDevice) {
			const accountWait = this.waitFor(`acct:${account}`, this.limits.perAccountUntrusted);
			if (accountWait > 0) return { allowed: false, retryAfterMs: accountWait, scope: 'account' };
		}
		return { allowed: true };
	}

	recordFailure(account: string, ip: string, trustedDevice: boolean): void {
		this.push(`ip:${ip}`);
		this.push(`pair:${account}|${ip}`);
		if (!trustedDevice) this.push(`acct:${account}`);
	}

	/** A success clears the counters that concern this account from this source. */
	recordSuccess(account: string, ip: string): void {
		this.failures.delete(`pair:${account}|${ip}`);
	}

	private recent(key: string): number[] {
		const cutoff = this.now() - this.limits.windowMs;
		const kept = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
		if (kept.length) this.failures.set(key, kept);
		else this.failures.delete(key);
		return kept;
	}

	private push(key: string): void {
		this.failures.set(key, [...this.recent(key), this.now()]);
	}

	private waitFor(key: string, limit: number): number {
		const times = this.recent(key);
		if (times.length < limit) return 0;
		const oldestThatCounts = times[times.length - limit]!;
		return oldestThatCounts + this.limits.windowMs - this.now();
	}
}

export const loginThrottle = new LoginThrottle();
