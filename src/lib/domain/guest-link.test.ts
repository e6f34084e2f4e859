import { describe, expect, it } from 'vitest';
import {
	checkGuestWindow,
	computeGuestLinkExpiry,
	describeGuestRefusal,
	GUEST_EARLY_MINUTES,
	type GuestMeetingFacts
} from './guest-link';

const startsAt = new Date('2027-01-12T16:30:00Z'); // 17 h 30 in Paris
const endsAt = new Date('2027-01-12T18:00:00Z');
const meeting = (status: GuestMeetingFacts['status'] = 'scheduled'): GuestMeetingFacts => ({
	startsAt,
	endsAt,
	status
});
const link = { revokedAt: null, expiresAt: computeGuestLinkExpiry(endsAt) };
const at = (iso: string): Date => new Date(iso);

describe('checkGuestWindow', () => {
	it('opens the link 30 minutes before the start, not a minute earlier', () => {
		expect(GUEST_EARLY_MINUTES).toBe(30);
		const early = checkGuestWindow(link, meeting(), at('2027-01-12T15:59:59Z'));
		expect(early).toMatchObject({ ok: false, reason: 'not_yet' });
		if (!early.ok) expect(early.message).toContain('mardi 12 janvier 2027, 17 h');
		expect(checkGuestWindow(link, meeting(), at('2027-01-12T16:00:00Z'))).toEqual({ ok: true });
	});

	it('works during the meeting and closes at its end', () => {
		expect(checkGuestWindow(link, meeting('open'), at('2027-01-12T17:59:59Z'))).toEqual({
			ok: true
		});
		expect(checkGuestWindow(link, meeting('open'), at('2027-01-12T18:00:00Z'))).toMatchObject({
			ok: false,
			reason: 'meeting_over'
		});
	});

	it('follows the chair: open early lets in, closed early keeps out', () => {
		expect(checkGuestWindow(link, meeting('open'), at('2027-01-12T15:00:00Z'))).toEqual({
			ok: true
		});
		expect(checkGuestWindow(link, meeting('closed'), at('2027-01-12T17:00:00Z'))).toMatchObject({
			reason: 'meeting_over'
		});
	});

	it('lets a later page use the link after the end, until its hard expiry', () => {
		const after = at('2027-01-20T10:00:00Z');
		expect(checkGuestWindow(link, meeting('closed'), after, { afterEnd: true })).toEqual({
			ok: true
		});
		expect(
			checkGuestWindow(link, meeting('closed'), at('2027-02-12T18:00:01Z'), { afterEnd: true })
		).toMatchObject({ ok: false, reason: 'expired' });
	});

	it('refuses a revoked link and a cancelled meeting, whatever the time', () => {
		const revoked = { ...link, revokedAt: at('2027-01-10T10:00:00Z') };
		expect(checkGuestWindow(revoked, meeting('open'), at('2027-01-12T16:40:00Z'))).toMatchObject({
			ok: false,
			reason: 'revoked'
		});
		expect(checkGuestWindow(link, meeting('cancelled'), at('2027-01-12T16:40:00Z'))).toMatchObject({
			ok: false,
			reason: 'cancelled'
		});
	});

	it('explains every refusal in French', () => {
		for (const reason of [
			'unknown',
			'revoked',
			'expired',
			'not_yet',
			'meeting_over',
			'cancelled'
		] as const) {
			expect(describeGuestRefusal(reason, meeting())).toMatch(/lien|séance/);
		}
	});
});
