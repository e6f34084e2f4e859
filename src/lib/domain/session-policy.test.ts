import { describe, it, expect } from 'vitest';
import {
	evaluateSession,
	SESSION_ABSOLUTE_MS,
	SESSION_IDLE_MS,
	SESSION_RENEW_AFTER_MS
} from './session-policy';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const created = new Date('2027-01-12T07:00:00Z');

function at(offsetMs: number): Date {
	return new Date(created.getTime() + offsetMs);
}

describe('session constants', () => {
	it('are 30 minutes idle, 12 hours absolute, renewal after 1 minute', () => {
		expect(SESSION_IDLE_MS).toBe(1_800_000);
		expect(SESSION_ABSOLUTE_MS).toBe(43_200_000);
		expect(SESSION_RENEW_AFTER_MS).toBe(60_000);
	});
});

describe('evaluateSession', () => {
	it('keeps a fresh session without renewing it', () => {
		expect(evaluateSession({ createdAt: created, lastSeenAt: created }, at(30_000))).toEqual({
			valid: true,
			renew: false,
			expiresAt: at(30 * MINUTE)
		});
	});

	it('renews after a minute and pushes the idle expiry', () => {
		expect(evaluateSession({ createdAt: created, lastSeenAt: created }, at(MINUTE))).toEqual({
			valid: true,
			renew: true,
			expiresAt: at(31 * MINUTE)
		});
	});

	it('is still valid after 29 idle minutes', () => {
		const r = evaluateSession({ createdAt: created, lastSeenAt: at(HOUR) }, at(HOUR + 29 * MINUTE));
		expect(r).toEqual({ valid: true, renew: true, expiresAt: at(HOUR + 59 * MINUTE) });
	});

	it('expires after 31 idle minutes, and at exactly 30', () => {
		const s = { createdAt: created, lastSeenAt: at(HOUR) };
		expect(evaluateSession(s, at(HOUR + 31 * MINUTE))).toEqual({ valid: false, reason: 'idle' });
		expect(evaluateSession(s, at(HOUR + 30 * MINUTE))).toEqual({ valid: false, reason: 'idle' });
	});

	it('stays valid for 11 h 59 with activity every 10 minutes, then expires at 12 h 01', () => {
		let session = { createdAt: created, lastSeenAt: created };
		for (let t = 10 * MINUTE; t <= 11 * HOUR + 50 * MINUTE; t += 10 * MINUTE) {
			const r = evaluateSession(session, at(t));
			expect(r.valid).toBe(true);
			if (r.valid && r.renew) session = { ...session, lastSeenAt: at(t) };
		}
		expect(session.lastSeenAt).toEqual(at(11 * HOUR + 50 * MINUTE));

		const last = evaluateSession(session, at(11 * HOUR + 59 * MINUTE));
		// The absolute limit caps the idle expiry.
		expect(last).toEqual({ valid: true, renew: true, expiresAt: at(12 * HOUR) });

		expect(
			evaluateSession(
				{ ...session, lastSeenAt: at(11 * HOUR + 59 * MINUTE) },
				at(12 * HOUR + MINUTE)
			)
		).toEqual({
			valid: false,
			reason: 'absolute'
		});
	});

	it('expires at exactly 12 hours even if just seen', () => {
		expect(
			evaluateSession({ createdAt: created, lastSeenAt: at(12 * HOUR - 1000) }, at(12 * HOUR))
		).toEqual({ valid: false, reason: 'absolute' });
	});

	it('reports the absolute limit when both limits are passed', () => {
		expect(evaluateSession({ createdAt: created, lastSeenAt: created }, at(13 * HOUR))).toEqual({
			valid: false,
			reason: 'absolute'
		});
	});
});
