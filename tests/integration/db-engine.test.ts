// The data layer's promises, on whichever engine this run uses (SQLite file, or PostgreSQL in
// the integration-pg project): transactions isolate read-then-write flows, roll back whole,
// nest as savepoints, and statements are counted per flow.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { settings } from '$lib/server/db/schema';
import { countStatements } from '$lib/server/db/statement-count';
import { migratedDb, queryOne, transaction } from '../support/db';

const db = await migratedDb();

async function readCounter(key: string): Promise<number> {
	const row = await queryOne(db.select().from(settings).where(eq(settings.key, key)));
	return Number(row?.value ?? 0);
}

describe('transactions', () => {
	it('serialise read-then-write flows: 25 concurrent increments make 25', async () => {
		await db.insert(settings).values({ key: 'counter', value: '0' });
		await Promise.all(
			Array.from({ length: 25 }, () =>
				transaction(db, async (tx) => {
					const row = await queryOne(tx.select().from(settings).where(eq(settings.key, 'counter')));
					// Other flows run while this one waits: without isolation an increment is lost.
					await new Promise((r) => setTimeout(r, Math.random() * 3));
					await tx
						.update(settings)
						.set({ value: String(Number(row!.value) + 1) })
						.where(eq(settings.key, 'counter'));
				})
			)
		);
		expect(await readCounter('counter')).toBe(25);
	});

	it('roll back whole, and a failed nested one only undoes its own part', async () => {
		await expect(
			transaction(db, async (tx) => {
				await tx.insert(settings).values({ key: 'half', value: '1' });
				throw new Error('échec au milieu');
			})
		).rejects.toThrow('échec au milieu');
		expect(await readCounter('half')).toBe(0);
		await transaction(db, async (tx) => {
			await tx.insert(settings).values({ key: 'outer', value: '1' });
			await transaction(tx, async (inner) => {
				await inner.insert(settings).values({ key: 'inner', value: '1' });
				throw new Error('intérieur');
			}).catch(() => undefined);
		});
		expect(await readCounter('outer')).toBe(1);
		expect(await readCounter('inner')).toBe(0);
	});
});

describe('statement counting', () => {
	it('counts each statement of the flow, transaction control included', async () => {
		const [, statements] = await countStatements(async () => {
			await db.select().from(settings).limit(1);
			await transaction(db, async (tx) => {
				await tx.select().from(settings).limit(1);
			});
		});
		// select, begin, select, commit
		expect(statements).toBe(4);
	});
});
