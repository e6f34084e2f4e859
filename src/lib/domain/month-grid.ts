/** A calendar month as weeks of local dates, Monday first, for the month view. Pure. */
import { addDaysLocal, isValidLocalDate, parisLocalToUtc, toParisParts } from './schedule';

const MONTHS = [
	'janvier',
	'février',
	'mars',
	'avril',
	'mai',
	'juin',
	'juillet',
	'août',
	'septembre',
	'octobre',
	'novembre',
	'décembre'
];

export interface GridDay {
	date: string;
	inMonth: boolean;
}

/** 'YYYY-MM' when valid, else null. */
export function parseMonth(value: string | null | undefined): string | null {
	if (!value || !/^\d{4}-\d{2}$/.test(value)) return null;
	return isValidLocalDate(`${value}-01`) ? value : null;
}

export function monthOf(now: Date): string {
	return toParisParts(now).date.slice(0, 7);
}

export function shiftMonth(month: string, delta: number): string {
	const [y = 1970, m = 1] = month.split('-').map(Number);
	const index = y * 12 + (m - 1) + delta;
	return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** « décembre 2026 » */
export function formatMonthTitle(month: string): string {
	const [y, m] = month.split('-').map(Number);
	return `${MONTHS[(m ?? 1) - 1]} ${y}`;
}

/** Whole weeks (Monday → Sunday) covering the month. */
export function buildMonthGrid(month: string): GridDay[][] {
	const first = `${month}-01`;
	const next = `${shiftMonth(month, 1)}-01`;
	const { weekday } = toParisParts(
		(parisLocalToUtc(first, '12:00') as { ok: true; instant: Date }).instant
	);
	let day = addDaysLocal(first, 1 - weekday);
	const weeks: GridDay[][] = [];
	while (day < next) {
		const week: GridDay[] = [];
		for (let i = 0; i < 7; i++) {
			week.push({ date: day, inMonth: day.startsWith(month) });
			day = addDaysLocal(day, 1);
		}
		weeks.push(week);
	}
	return weeks;
}

/** The instants bounding the month in Paris, to query the meetings it holds. */
export function monthBounds(month: string): { from: Date; to: Date } {
	const from = parisLocalToUtc(`${month}-01`, '00:00');
	const to = parisLocalToUtc(`${shiftMonth(month, 1)}-01`, '00:00');
	if (!from.ok || !to.ok) throw new RangeError(`monthBounds: invalid month ${month}`);
	return { from: from.instant, to: to.instant };
}
