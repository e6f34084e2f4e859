import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './rate-limit';

function setup() {
	let now = 1_000_000;
	const throttle = new LoginThrottle(
		{ windowMs: 60_000, perIp: 10, perAccountAndIp: 3, perAccountUntrusted: 6 },
		() => now
	);
	return { throttle, advance: (ms: number) => (now += ms) };
}

describe('LoginThrottle', () => {
	it('blocks an account from one IP after the pair limit, then frees it after the window', () => {
		const { throttle, advance } = setup();
		for (let i = 0; i < 3; i++) {
			expect(throttle.check('a@x', '1.1.1.1', false).allowed).toBe(true);
			throttle.recordFailure('a@x', '1.1.1.1', false);
		}
		const verdict = throttle.check('a@x', '1.1.1.1', false);
		expect(verdict).toMatchObject({ allowed: false, scope: 'account' });
		advance(60_001);
		expect(throttle.check('a@x', '1.1.1.1', false).allowed).toBe(true);
	});

	it('does not lock the owner out from another IP when the attacker fails from one IP', () => {
		const { throttle } = setup();
		for (let i = 0; i < 3; i++) throttle.recordFailure('victim@x', '6.6.6.6', false);
		expect(throttle.check('victim@x', '6.6.6.6', false).allowed).toBe(false);
		expect(throttle.check('victim@x', '2.2.2.2', false).allowed).toBe(true);
	});

	it('stops a distributed attack on one account for untrusted clients only', () => {
		const { throttle } = setup();
		for (let i = 0; i < 6; i++) throttle.recordFailure('victim@x', `9.9.9.${i}`, false);
		expect(throttle.check('victim@x', '3.3.3.3', false)).toMatchObject({ allowed: false });
		// The owner, on a browser that logged in before, still gets through.
		expect(throttle.check('victim@x', '3.3.3.3', true).allowed).toBe(true);
	});

	it('limits one IP spraying many accounts', () => {
		const { throttle } = setup();
		for (let i = 0; i < 10; i++) throttle.recordFailure(`user${i}@x`, '5.5.5.5', false);
		expect(throttle.check('other@x', '5.5.5.5', false)).toMatchObject({
			allowed: false,
			scope: 'ip'
		});
		expect(throttle.check('other@x', '5.5.5.6', false).allowed).toBe(true);
	});

	it('reports how long to wait', () => {
		const { throttle, advance } = setup();
		for (let i = 0; i < 3; i++) {
			throttle.recordFailure('a@x', '1.1.1.1', false);
			advance(10_000);
		}
		const verdict = throttle.check('a@x', '1.1.1.1', false);
		expect(verdict.allowed).toBe(false);
		if (!verdict.allowed) expect(verdict.retryAfterMs).toBe(30_000);
	});

	it('clears the pair counter on success', () => {
		const { throttle } = setup();
		throttle.recordFailure('a@x', '1.1.1.1', false);
		throttle.recordFailure('a@x', '1.1.1.1', false);
		throttle.recordSuccess('a@x', '1.1.1.1');
		throttle.recordFailure('a@x', '1.1.1.1', false);
		throttle.recordFailure('a@x', '1.1.1.1', false);
		expect(throttle.check('a@x', '1.1.1.1', false).allowed).toBe(true);
	});
});
