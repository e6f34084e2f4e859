import { describe, expect, it } from 'vitest';
import { applyMigrations, openDatabase } from '../db';
import { loginThrottleCounters as throttleTable } from '../db/schema';
import {
	addressSlowdownMs,
	defaultRules,
	LoginThrottle,
	lockDelayMs,
	throttledMessage
} from './rate-limit';

const MINUTE = 60_000;

describe('lockDelayMs', () => {
	const rule = defaultRules.pair;

	it('lets the first four failures of a pair go, then waits 1 minute, doubling up to 30', () => {
		expect([1, 2, 3, 4].map((n) => lockDelayMs(n, rule))).toEqual([0, 0, 0, 0]);
		expect([5, 6, 7, 8, 9, 10, 11, 50].map((n) => lockDelayMs(n, rule) / MINUTE)).toEqual([
			1, 2, 4, 8, 16, 30, 30, 30
		]);
	});

	it('asks more failures of an account from untrusted clients before any wait', () => {
		expect(lockDelayMs(19, defaultRules.account)).toBe(0);
		expect(lockDelayMs(20, defaultRules.account)).toBe(MINUTE);
		expect(lockDelayMs(1_000_000, defaultRules.account)).toBe(30 * MINUTE);
	});
});

describe('addressSlowdownMs', () => {
	it('never refuses an address, at most slows it down by two seconds', () => {
		const rule = defaultRules.address;
		expect(addressSlowdownMs(99, rule)).toBe(0);
		expect(addressSlowdownMs(100, rule)).toBe(250);
		expect(addressSlowdownMs(200, rule)).toBe(500);
		expect(addressSlowdownMs(10_000_000, rule)).toBe(2_000);
	});
});

describe('throttledMessage', () => {
	it('tells in French how long to wait and from when, in Paris time', () => {
		const now = new Date('2026-03-10T13:31:20Z'); // 14:31:20 in Paris
		expect(throttledMessage(MINUTE, now)).toBe(
			'Trop de tentatives de connexion. Réessayez dans 1 minute (à partir de 14 h 33).'
		);
		expect(throttledMessage(30 * MINUTE - 5_000, now)).toBe(
			'Trop de tentatives de connexion. Réessayez dans 30 minutes (à partir de 15 h 02).'
		);
	});
});

async function setup() {
	const db = openDatabase(':memory:');
	await applyMigrations(db);
	let now = new Date('2026-03-10T08:00:00Z').getTime();
	const throttle = new LoginThrottle(
		() => db,
		defaultRules,
		() => new Date(now)
	);
	const fail = async (account: string, address: string, trusted = false) => {
		const verdict = await throttle.reserve(account, address, trusted);
		if (verdict.allowed) await throttle.settle(account, address, trusted, false);
		return verdict;
	};
	return { db, throttle, fail, advance: (ms: number) => (now += ms) };
}

describe('LoginThrottle (SQLite)', () => {
	it('locks a pair after 5 failures for 1 minute, then 2 after the next failure', async () => {
		const { throttle, fail, advance } = await setup();
		for (let i = 0; i < 5; i++) expect((await fail('a@x', '1.1.1.1')).allowed).toBe(true);
		expect(await throttle.reserve('a@x', '1.1.1.1', false)).toEqual({
			allowed: false,
			retryAfterMs: MINUTE,
			scope: 'pair'
		});
		advance(MINUTE);
		expect((await fail('a@x', '1.1.1.1')).allowed).toBe(true);
		expect(await throttle.reserve('a@x', '1.1.1.1', false)).toMatchObject({
			retryAfterMs: 2 * MINUTE
		});
	});

	it('does not count refused attempts, so the owner does not lengthen the wait', async () => {
		const { db, throttle, fail } = await setup();
		for (let i = 0; i < 5; i++) await fail('a@x', '1.1.1.1');
		for (let i = 0; i < 10; i++) await throttle.reserve('a@x', '1.1.1.1', false);
		const pair = (await db.select().from(throttleTable)).find((r) => r.scope === 'pair');
		expect(pair?.failures).toBe(5);
	});

	it('counts an attempt as soon as it starts, so parallel guesses cannot slip through', async () => {
		const { throttle } = await setup();
		const burst = await Promise.all(
			Array.from({ length: 20 }, () => throttle.reserve('a@x', '1.1.1.1', false))
		);
		expect(burst.filter((v) => v.allowed)).toHaveLength(5);
	});

	it('never locks other accounts behind one busy address (hospital NAT)', async () => {
		const { throttle, fail } = await setup();
		for (let i = 0; i < 500; i++) await fail(`user${i % 50}@x`, '10.0.0.1');
		const verdict = await throttle.reserve('other@x', '10.0.0.1', false);
		expect(verdict.allowed).toBe(true);
		if (verdict.allowed) expect(verdict.slowdownMs).toBeGreaterThan(0);
		if (verdict.allowed) expect(verdict.slowdownMs).toBeLessThanOrEqual(2_000);
	});

	it('does not lock the owner out from another address when one address attacks', async () => {
		const { throttle, fail } = await setup();
		for (let i = 0; i < 8; i++) await fail('victim@x', '6.6.6.6');
		expect((await throttle.reserve('victim@x', '6.6.6.6', false)).allowed).toBe(false);
		expect((await throttle.reserve('victim@x', '2.2.2.2', false)).allowed).toBe(true);
	});

	it('stops a distributed attack on one account for untrusted clients only', async () => {
		const { throttle, fail } = await setup();
		for (let i = 0; i < 20; i++) await fail('victim@x', `9.9.${i}.1`);
		expect(await throttle.reserve('victim@x', '3.3.3.3', false)).toMatchObject({
			allowed: false,
			scope: 'account'
		});
		// The owner, on a browser that logged in before, still gets through.
		expect((await throttle.reserve('victim@x', '3.3.3.3', true)).allowed).toBe(true);
	});

	it('clears the pair on success and gives back the account unit', async () => {
		const { db, throttle, fail } = await setup();
		for (let i = 0; i < 4; i++) await fail('a@x', '1.1.1.1');
		expect((await throttle.reserve('a@x', '1.1.1.1', false)).allowed).toBe(true);
		await throttle.settle('a@x', '1.1.1.1', false, true);
		const rows = await db.select().from(throttleTable);
		expect(rows.find((r) => r.scope === 'pair')).toBeUndefined();
		expect(rows.find((r) => r.scope === 'account')?.failures).toBe(4);
		for (let i = 0; i < 4; i++) expect((await fail('a@x', '1.1.1.1')).allowed).toBe(true);
	});

	it('keeps counting across instances and restarts: the counters live in the database', async () => {
		const { db, fail } = await setup();
		for (let i = 0; i < 5; i++) await fail('a@x', '1.1.1.1');
		const other = new LoginThrottle(
			() => db,
			defaultRules,
			() => new Date('2026-03-10T08:00:30Z')
		);
		expect(await other.reserve('a@x', '1.1.1.1', false)).toMatchObject({
			allowed: false,
			retryAfterMs: 30_000
		});
	});

	it('forgets a counter a day after its last failure and purges the old rows', async () => {
		const { db, throttle, fail, advance } = await setup();
		for (let i = 0; i < 5; i++) await fail('a@x', '1.1.1.1');
		await fail('b@x', '2.2.2.2');
		advance(20 * MINUTE);
		expect(await throttle.purge()).toBe(2); // the two address counters (15 minutes)
		advance(24 * 60 * MINUTE);
		await fail('c@x', '3.3.3.3');
		expect((await throttle.reserve('a@x', '1.1.1.1', false)).allowed).toBe(true);
		await throttle.purge();
		const keys = (await db.select().from(throttleTable)).map((r) => r.key).sort();
		expect(keys).toEqual([
			'account:a@x',
			'account:c@x',
			'address:3.3.3.3',
			'pair:a@x|1.1.1.1',
			'pair:c@x|3.3.3.3'
		]);
	});
});
