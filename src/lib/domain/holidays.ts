import { addDaysLocal, listOccurrenceDates, type RecurrenceRule } from './schedule';

/**
 * French public holidays (jours fériés, Code du travail L3133-1), computed without a table:
 * fixed dates plus those hanging on Easter (Meeus/Jones/Butcher Gregorian computus).
 * Alsace-Moselle adds Good Friday and 26 December (Code du travail L3134-13).
 */

export type HolidayRegion = 'france' | 'alsace-moselle';

export interface PublicHoliday {
	/** YYYY-MM-DD, local. */
	date: string;
	/** French name, e.g. « Noël ». */
	name: string;
}

const DAY_MS = 86_400_000;

function pad(n: number): string {
	return String(n).padStart(2, '0');
}

function iso(year: number, month: number, day: number): string {
	return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm). */
export function computeEasterSunday(year: number): string {
	const a = year % 19;
	const b = Math.floor(year / 100);
	const c = year % 100;
	const d = Math.floor(b / 4);
	const e = b % 4;
	const f = Math.floor((b + 8) / 25);
	const g = Math.floor((b - f + 1) / 3);
	const h = (19 * a + b - d - g + 15) % 30;
	const i = Math.floor(c / 4);
	const k = c % 4;
	const l = (32 + 2 * e + 2 * i - h - k) % 7;
	const m = Math.floor((a + 11 * h + 22 * l) / 451);
	const month = Math.floor((h + l - 7 * m + 114) / 31);
	const day = ((h + l - 7 * m + 114) % 31) + 1;
	return iso(year, month, day);
}

function shift(date: string, days: number): string {
	const d = new Date(`${date}T00:00:00Z`);
	const moved = new Date(d.getTime() + days * DAY_MS);
	return iso(moved.getUTCFullYear(), moved.getUTCMonth() + 1, moved.getUTCDate());
}

/** The public holidays of a year, in date order. */
export function listPublicHolidays(
	year: number,
	region: HolidayRegion = 'france'
): PublicHoliday[] {
	const easter = computeEasterSunday(year);
	const list: PublicHoliday[] = [
		{ date: iso(year, 1, 1), name: 'Jour de l’an' },
		{ date: shift(easter, 1), name: 'Lundi de Pâques' },
		{ date: iso(year, 5, 1), name: 'Fête du Travail' },
		{ date: iso(year, 5, 8), name: 'Victoire 1945' },
		{ date: shift(easter, 39), name: 'Ascension' },
		{ date: shift(easter, 50), name: 'Lundi de Pentecôte' },
		{ date: iso(year, 7, 14), name: 'Fête nationale' },
		{ date: iso(year, 8, 15), name: 'Assomption' },
		{ date: iso(year, 11, 1), name: 'Toussaint' },
		{ date: iso(year, 11, 11), name: 'Armistice 1918' },
		{ date: iso(year, 12, 25), name: 'Noël' }
	];
	if (region === 'alsace-moselle') {
		list.push({ date: shift(easter, -2), name: 'Vendredi saint' });
		list.push({ date: iso(year, 12, 26), name: 'Saint-Étienne' });
	}
	return list.sort((x, y) => x.date.localeCompare(y.date));
}

/** The holiday on a local date (YYYY-MM-DD), or null. */
export function findPublicHoliday(
	date: string,
	region: HolidayRegion = 'france'
): PublicHoliday | null {
	const year = Number(date.slice(0, 4));
	if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !Number.isInteger(year)) return null;
	return listPublicHolidays(year, region).find((h) => h.date === date) ?? null;
}

/** The dates of a list that fall on a public holiday, with the holiday's name. */
export function findHolidayDates(
	dates: readonly string[],
	region: HolidayRegion = 'france'
): PublicHoliday[] {
	const found: PublicHoliday[] = [];
	for (const date of dates) {
		const holiday = findPublicHoliday(date, region);
		if (holiday) found.push(holiday);
	}
	return found;
}

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

/** « 25 décembre 2026 (Noël) »; the first of the month is « 1er ». */
export function formatHoliday(h: PublicHoliday): string {
	const [y, m, d] = h.date.split('-').map(Number) as [number, number, number];
	return `${d === 1 ? '1er' : d} ${MONTHS[m - 1]} ${y} (${h.name})`;
}

/** « 3 séances tombent un jour férié : 25 décembre 2026 (Noël), … » — or null when none. */
export function describeHolidayClash(found: readonly PublicHoliday[]): string | null {
	if (!found.length) return null;
	const list = found.map(formatHoliday).join(', ');
	return found.length === 1
		? `1 séance tombe un jour férié : ${list}.`
		: `${found.length} séances tombent un jour férié : ${list}.`;
}

/**
 * The holidays a series would fall on from `today`: up to its end, or over the next year for a
 * series without one (what the coordinator is warned about when planning it).
 */
export function findSeriesHolidays(
	rule: RecurrenceRule,
	today: string,
	region: HolidayRegion = 'france'
): PublicHoliday[] {
	const to = rule.untilDate ?? addDaysLocal(today, rule.count !== null ? 5 * 366 : 365);
	const from = rule.startDate > today ? rule.startDate : today;
	return findHolidayDates(listOccurrenceDates(rule, { from, to }), region);
}
