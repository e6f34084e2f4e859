import { describe, expect, it } from 'vitest';
import { checkIns, checkInsTraits } from '$lib/domain/ins';
import { evaluateQuorum } from '$lib/domain/quorum';
import { verifyAuditTrail } from '$lib/server/audit';
import { verifyPassword } from '$lib/server/auth/password';
import { seedDemoNetwork } from '$lib/server/demo/network';
import { meetings, memberships, pathways, patients, users } from '$lib/server/db/schema';
import { migratedDb } from '../support/db';

const db = await migratedDb();

describe('demo network', () => {
	it('seeds once and is idempotent', async () => {
		const first = await seedDemoNetwork();
		expect(first.created).toBe(true);
		const counts = async () =>
			await Promise.all(
				[users, pathways, patients, meetings].map(async (t) => (await db.select().from(t)).length)
			);
		const before = await counts();
		const second = await seedDemoNetwork();
		expect(second.created).toBe(false);
		expect(await counts()).toEqual(before);
		expect((await verifyAuditTrail()).ok).toBe(true);
	});

	it('gives every patient a valid test INS consistent with their traits', async () => {
		const list = await db.select().from(patients);
		expect(list.length).toBeGreaterThanOrEqual(10);
		for (const p of list) {
			const check = checkIns(p.insMatricule!);
			expect(check.ok, p.insMatricule!).toBe(true);
			expect(checkInsTraits(p.insMatricule!, { sex: p.sex, birthDate: p.birthDate })).toEqual([]);
			expect(p.insOid).toBe('1.2.250.1.213.1.4.10');
		}
	});

	it('has, for every pathway, members who can reach its quorum', async () => {
		const allUsers = await db.select().from(users);
		for (const p of await db.select().from(pathways)) {
			const memberIds = new Set(
				(await db.select().from(memberships))
					.filter((m) => m.pathwayId === p.id)
					.map((m) => m.userId)
			);
			const attendees = allUsers
				.filter((u) => memberIds.has(u.id))
				.map((u) => ({ personId: u.id, specialty: u.specialty, isGp: u.sector === 'gp' }));
			expect(evaluateQuorum(p.quorumRule, attendees, []).reached, p.code).toBe(true);
		}
	});

	it('plans upcoming meetings for every pathway at 17:30-style local times', async () => {
		const now = new Date();
		for (const p of await db.select().from(pathways)) {
			const upcoming = (await db.select().from(meetings)).filter(
				(m) => m.pathwayId === p.id && m.startsAt > now
			);
			expect(upcoming.length, p.code).toBeGreaterThan(0);
			for (const m of upcoming) expect(m.deadlineAt < m.startsAt).toBe(true);
		}
	});

	it('stores argon2id hashes that verify the printed demo password', async () => {
		const admin = (await db.select().from(users)).find((u) => u.isAdmin)!;
		expect(admin.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
		expect(await verifyPassword(admin.passwordHash!, 'Demo-Pluri-2026')).toBe(true);
		expect(await verifyPassword(admin.passwordHash!, 'wrong')).toBe(false);
	});
});
