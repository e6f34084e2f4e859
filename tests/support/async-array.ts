/** The first item the asynchronous predicate accepts, checked one after the other. */
export async function findAsync<T>(
	items: readonly T[],
	accept: (item: T) => Promise<boolean>
): Promise<T | undefined> {
	for (const item of items) if (await accept(item)) return item;
	return undefined;
}

/** The items the asynchronous predicate accepts, in order. */
export async function filterAsync<T>(
	items: readonly T[],
	accept: (item: T) => Promise<boolean>
): Promise<T[]> {
	const kept: T[] = [];
	for (const item of items) if (await accept(item)) kept.push(item);
	return kept;
}
