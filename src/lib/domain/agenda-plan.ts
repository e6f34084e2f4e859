/** The running order of a meeting's agenda: expected times, total against the slot, moves. */
export interface AgendaItemInput {
	id: string;
	/** The coordinator's estimate; null uses the pathway's default minutes per case. */
	minutes: number | null;
}

export interface PlannedItem {
	id: string;
	position: number;
	minutes: number;
	estimated: boolean;
	/** When the case should come up if every case before it keeps its estimate. */
	expectedAt: Date;
}

export interface AgendaPlan {
	items: PlannedItem[];
	totalMinutes: number;
	meetingMinutes: number;
	/** Minutes over the meeting's length; 0 when it fits. */
	overrunMinutes: number;
}

export function planAgenda(
	items: readonly AgendaItemInput[],
	defaultMinutes: number,
	startsAt: Date,
	endsAt: Date
): AgendaPlan {
	let elapsed = 0;
	const planned = items.map((item, i) => {
		const minutes = item.minutes ?? defaultMinutes;
		const entry = {
			id: item.id,
			position: i + 1,
			minutes,
			estimated: item.minutes !== null,
			expectedAt: new Date(startsAt.getTime() + elapsed * 60_000)
		};
		elapsed += minutes;
		return entry;
	});
	const meetingMinutes = Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000);
	return {
		items: planned,
		totalMinutes: elapsed,
		meetingMinutes,
		overrunMinutes: Math.max(0, elapsed - meetingMinutes)
	};
}

/** The order after moving one case a step up or down; null when it cannot move that way. */
export function moveInOrder(
	ids: readonly string[],
	id: string,
	direction: 'up' | 'down'
): string[] | null {
	const from = ids.indexOf(id);
	if (from < 0) return null;
	const to = direction === 'up' ? from - 1 : from + 1;
	if (to < 0 || to >= ids.length) return null;
	const next = [...ids];
	[next[from], next[to]] = [next[to]!, next[from]!];
	return next;
}

/**
 * A full new order sent by drag and drop, checked against the agenda as stored: it must name
 * every case exactly once, or it was made on a stale page and is refused.
 */
export function checkNewOrder(current: readonly string[], requested: readonly string[]): boolean {
	if (requested.length !== current.length) return false;
	const set = new Set(requested);
	return set.size === requested.length && current.every((id) => set.has(id));
}
