import { AsyncLocalStorage } from 'node:async_hooks';
import type { Logger } from 'drizzle-orm';

/**
 * Counts the SQL statements a flow (a request) runs, on both engines: what a page costs in
 * round trips, printed by the benchmarks and asserted by tests (no query per row shown).
 */
const counter = new AsyncLocalStorage<{ statements: number }>();

export async function countStatements<T>(fn: () => Promise<T>): Promise<[T, number]> {
	const box = { statements: 0 };
	const result = await counter.run(box, fn);
	return [result, box.statements];
}

export function noteStatement(): void {
	const box = counter.getStore();
	if (box) box.statements++;
}

/** drizzle's hook, called once per statement it sends. */
export const statementLogger: Logger = { logQuery: () => noteStatement() };
