import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password';

describe('passwords', () => {
	it('hashes with argon2id and a random salt', async () => {
		const a = await hashPassword('correct horse battery staple');
		const b = await hashPassword('correct horse battery staple');
		expect(a).toMatch(/^\$argon2id\$/);
		expect(a).not.toBe(b);
		expect(a).not.toContain('correct horse');
	});

	it('verifies the right password only', async () => {
		const stored = await hashPassword('Un-mot-de-passe-2026');
		expect(await verifyPassword(stored, 'Un-mot-de-passe-2026')).toBe(true);
		expect(await verifyPassword(stored, 'un-mot-de-passe-2026')).toBe(false);
		expect(await verifyPassword(stored, '')).toBe(false);
	});

	it('treats a malformed stored hash as a failed check, not a crash', async () => {
		expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
	});
});
