/**
 * Recurring meetings and Europe/Paris wall-clock time, without a date library:
 * calendar arithmetic on UTC day numbers, offsets read from Intl.
 */

export interface RecurrenceRule {
	frequency: 'weekly' | 'biweekly' | 'monthly';
	/** ISO 1 = Monday … 7 = Sunday */
	weekday: number;
	/** monthly only: 1..4, or -1 for the last one of the month */
	nthWeek: number | null;
	/** YYYY-MM-DD, local */
	startDate: string;
	/** YYYY-MM-DD, local, inclusive */
	untilDate: string | null;
	count: number | null;
}

export type ParisInstant = { ok: true; instant: Date } | { ok: false; error: string };

export interface ParisParts {
	date: string;
	time: string;
	weekday: number;
}

const TIME_ZONE = 'Europe/Paris';
const DAY_MS = 86_400_000;
const MAX_COUNT = 260;
/** Safety cap when the caller gives no `max`. */
const DEFAULT_MAX_OCCURRENCES = 1000;
const FREQUENCIES = ['weekly', 'biweekly', 'monthly'] as const;
const NTH_WEEKS = [1, 2, 3, 4, -1] as const;

const WEEKDAY_NAMES = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const MONTH_NAMES = [
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

// Created once: building a DateTimeFormat is costly and these are used on every list page.
const parisFormatter = new Intl.DateTimeFormat('en-GB', {
	timeZone: TIME_ZONE,
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23',
	numberingSystem: 'latn'
});

// ---------- local calendar dates ----------

function parseLocalDate(s: string): { year: number; month: number; day: number } | null {
	const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
	if (match === null) return null;
	const year = Number(match[1]);
	const month = Number(match[2]);
	const day = Number(match[3]);
	if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
		return null;
	}
	return { year, month, day };
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) {
		const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
		return leap ? 29 : 28;
	}
	return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01; setUTCFullYear avoids Date.UTC mapping years 0–99 to 1900–1999. */
function toDayNumber(year: number, month: number, day: number): number {
	const d = new Date(0);
	d.setUTCFullYear(year, month - 1, day);
	return Math.round(d.getTime() / DAY_MS);
}

function parseDayNumber(s: string): number | null {
	const p = parseLocalDate(s);
	return p === null ? null : toDayNumber(p.year, p.month, p.day);
}

function formatDayNumber(n: number): string {
	const d = new Date(n * DAY_MS);
	return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** ISO weekday of a day number; 1970-01-01 was a Thursday (4). */
function isoWeekdayOf(dayNumber: number): number {
	return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

function pad(n: number, width = 2): string {
	return String(n).padStart(width, '0');
}

export function isValidLocalDate(s: string): boolean {
	return parseLocalDate(s) !== null;
}

export function addDaysLocal(date: string, days: number): string {
	const n = parseDayNumber(date);
	if (n === null || !Number.isInteger(days)) {
		throw new RangeError(`addDaysLocal: invalid date "${date}" or day count ${days}`);
	}
	return formatDayNumber(n + days);
}

// ---------- recurrence ----------

export function validateRecurrenceRule(input: RecurrenceRule): string[] {
	const errors: string[] = [];
	if (!(FREQUENCIES as readonly string[]).includes(input.frequency)) {
		errors.push('La fréquence doit être hebdomadaire, toutes les deux semaines ou mensuelle.');
	}
	if (!Number.isInteger(input.weekday) || input.weekday < 1 || input.weekday > 7) {
		errors.push('Le jour de la semaine doit être compris entre 1 (lundi) et 7 (dimanche).');
	}
	if (input.frequency === 'monthly' && (input.nthWeek === null || input.nthWeek === undefined)) {
		errors.push(
			'Pour une séance mensuelle, indiquez la semaine du mois (1re, 2e, 3e, 4e ou dernière).'
		);
	} else if (
		input.nthWeek !== null &&
		input.nthWeek !== undefined &&
		!(NTH_WEEKS as readonly number[]).includes(input.nthWeek)
	) {
		errors.push('La semaine du mois doit être la 1re, la 2e, la 3e, la 4e ou la dernière.');
	}

	const start = typeof input.startDate === 'string' ? parseDayNumber(input.startDate) : null;
	if (start === null) errors.push("La date de début n'est pas une date valide.");
	if (input.untilDate !== null && input.untilDate !== undefined) {
		const until = typeof input.untilDate === 'string' ? parseDayNumber(input.untilDate) : null;
		if (until === null) errors.push("La date de fin n'est pas une date valide.");
		else if (start !== null && until < start) {
			errors.push('La date de fin doit être postérieure ou égale à la date de début.');
		}
	}
	if (
		input.count !== null &&
		input.count !== undefined &&
		(!Number.isInteger(input.count) || input.count < 1 || input.count > MAX_COUNT)
	) {
		errors.push(`Le nombre de séances doit être compris entre 1 et ${MAX_COUNT}.`);
	}
	return errors;
}

/** Day numbers of every occurrence from the first one on, without end. */
function* generateOccurrences(rule: RecurrenceRule, start: number): Generator<number> {
	if (rule.frequency === 'monthly') {
		const nth = rule.nthWeek ?? 1;
		const first = new Date(start * DAY_MS);
		let year = first.getUTCFullYear();
		let month = first.getUTCMonth() + 1;
		for (;;) {
			const day = nthWeekdayOfMonth(year, month, rule.weekday, nth);
			if (day >= start) yield day;
			month += 1;
			if (month > 12) [year, month] = [year + 1, 1];
		}
	}
	const step = rule.frequency === 'biweekly' ? 14 : 7;
	for (let day = start + ((rule.weekday - isoWeekdayOf(start) + 7) % 7); ; day += step) {
		yield day;
	}
}

function nthWeekdayOfMonth(year: number, month: number, weekday: number, nth: number): number {
	if (nth === -1) {
		const last = toDayNumber(year, month, daysInMonth(year, month));
		return last - ((isoWeekdayOf(last) - weekday + 7) % 7);
	}
	const first = toDayNumber(year, month, 1);
	return first + ((weekday - isoWeekdayOf(first) + 7) % 7) + 7 * (nth - 1);
}

/**
 * Local dates (YYYY-MM-DD) of a series between `from` (default: its start) and `to`, inclusive.
 * `count` counts from the first occurrence of the series, even those before `from`.
 * An invalid rule or range yields no date.
 */
export function listOccurrenceDates(
	rule: RecurrenceRule,
	opts: { from?: string; to: string; max?: number }
): string[] {
	if (validateRecurrenceRule(rule).length > 0) return [];
	const start = parseDayNumber(rule.startDate);
	const to = parseDayNumber(opts.to);
	const from = opts.from === undefined ? start : parseDayNumber(opts.from);
	if (start === null || to === null || from === null) return [];
	const until = rule.untilDate === null ? to : Math.min(to, parseDayNumber(rule.untilDate) ?? to);
	const max = opts.max ?? DEFAULT_MAX_OCCURRENCES;

	const dates: string[] = [];
	let index = 0;
	for (const day of generateOccurrences(rule, start)) {
		if (day > until || (rule.count !== null && index >= rule.count) || dates.length >= max) break;
		index += 1;
		if (day >= from) dates.push(formatDayNumber(day));
	}
	return dates;
}

// ---------- Europe/Paris wall clock ----------

/** Paris wall-clock time of an instant, expressed as if it were UTC milliseconds. */
function parisWallClockMs(instantMs: number): number {
	const fields: Record<string, number> = {};
	for (const part of parisFormatter.formatToParts(new Date(instantMs))) {
		if (part.type !== 'literal') fields[part.type] = Number(part.value);
	}
	const day = toDayNumber(fields.year ?? 1970, fields.month ?? 1, fields.day ?? 1);
	// Some engines print midnight as 24 even with h23.
	const hour = (fields.hour ?? 0) % 24;
	return (
		day * DAY_MS + hour * 3_600_000 + (fields.minute ?? 0) * 60_000 + (fields.second ?? 0) * 1000
	);
}

function parisOffsetMs(instantMs: number): number {
	const wholeSecond = Math.floor(instantMs / 1000) * 1000;
	return parisWallClockMs(wholeSecond) - wholeSecond;
}

/**
 * Instant of a Paris local date and time. A time skipped by the spring change is refused;
 * a time repeated by the autumn change resolves to its first (summer-time) occurrence.
 */
export function parisLocalToUtc(date: string, time: string): ParisInstant {
	const day = parseDayNumber(date);
	if (day === null) return { ok: false, error: `La date « ${date} » n’est pas une date valide.` };
	const t = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
	if (t === null)
		return { ok: false, error: 'L’heure doit être au format HH:MM, par exemple 17:30.' };

	const wallMs = day * DAY_MS + Number(t[1]) * 3_600_000 + Number(t[2]) * 60_000;
	// Offsets on either side of any change that day; each candidate must read back as wallMs.
	const offsets = new Set([wallMs - DAY_MS, wallMs, wallMs + DAY_MS].map(parisOffsetMs));
	const matches = [...offsets]
		.map((offset) => wallMs - offset)
		.filter((instant) => parisWallClockMs(instant) === wallMs)
		.sort((a, b) => a - b);
	const first = matches[0];
	if (first === undefined) {
		return {
			ok: false,
			error: `L’heure ${Number(t[1])} h ${t[2]} n’existe pas le ${formatDayNumberLong(day)} à Paris (passage à l’heure d’été) : choisissez une autre heure.`
		};
	}
	return { ok: true, instant: new Date(first) };
}

export function toParisParts(d: Date): ParisParts {
	const wall = parisWallClockMs(d.getTime());
	const day = Math.floor(wall / DAY_MS);
	const minutes = Math.floor((wall - day * DAY_MS) / 60_000);
	return {
		date: formatDayNumber(day),
		time: `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`,
		weekday: isoWeekdayOf(day)
	};
}

function formatDayNumberLong(day: number): string {
	const d = new Date(day * DAY_MS);
	const dayOfMonth = d.getUTCDate();
	return [
		WEEKDAY_NAMES[isoWeekdayOf(day) - 1],
		dayOfMonth === 1 ? '1er' : String(dayOfMonth),
		MONTH_NAMES[d.getUTCMonth()],
		String(d.getUTCFullYear())
	].join(' ');
}

/** « mercredi 2 décembre 2026 »; the first of the month is written « 1er ». */
export function formatParisDate(d: Date): string {
	return formatDayNumberLong(Math.floor(parisWallClockMs(d.getTime()) / DAY_MS));
}

/** French typographic style: « 17 h 30 », « 9 h » on the hour. */
export function formatParisTime(d: Date): string {
	const [hours = '00', minutes = '00'] = toParisParts(d).time.split(':');
	const h = String(Number(hours));
	return minutes === '00' ? `${h} h` : `${h} h ${minutes}`;
}

/** « mercredi 2 décembre 2026, 17 h 30 » */
export function formatParisDateTime(d: Date): string {
	return `${formatParisDate(d)}, ${formatParisTime(d)}`;
}

// ---------- iCalendar recurrence (RFC 5545 §3.3.10) ----------

const ICAL_DAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

/** First occurrence date of a rule (YYYY-MM-DD), or null when it has none. */
export function findFirstOccurrence(rule: RecurrenceRule): string | null {
	if (validateRecurrenceRule(rule).length > 0) return null;
	return listOccurrenceDates(rule, { to: addDaysLocal(rule.startDate, 70), max: 1 })[0] ?? null;
}

/** « 20261225T173000 »: a Paris wall-clock value as iCalendar writes it with TZID. */
export function formatIcalLocal(date: string, time: string): string {
	return `${date.replaceAll('-', '')}T${time.replace(':', '')}00`;
}

/** « 20270525T153000Z » */
export function formatIcalUtc(d: Date): string {
	return d
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z')
		.replace(/[-:]/g, '');
}

/**
 * The RRULE value of a series whose DTSTART is its first occurrence at `localStartTime`, Paris
 * time. UNTIL is the last allowed occurrence in UTC, as RFC 5545 requires with a TZID start;
 * COUNT counts every occurrence of the rule, EXDATEs included (same as listOccurrenceDates).
 */
export function formatRecurrenceRule(rule: RecurrenceRule, localStartTime: string): string {
	const day = ICAL_DAYS[rule.weekday - 1] ?? 'MO';
	const parts =
		rule.frequency === 'monthly'
			? ['FREQ=MONTHLY', `BYDAY=${rule.nthWeek ?? 1}${day}`]
			: rule.frequency === 'biweekly'
				? ['FREQ=WEEKLY', 'INTERVAL=2', `BYDAY=${day}`]
				: ['FREQ=WEEKLY', `BYDAY=${day}`];
	// Both set: the rule stops at whichever comes first, so at its real last date.
	const last =
		rule.count !== null && rule.untilDate !== null
			? (listOccurrenceDates(rule, { to: rule.untilDate }).at(-1) ?? rule.untilDate)
			: rule.untilDate;
	if (rule.count !== null && rule.untilDate === null) parts.push(`COUNT=${rule.count}`);
	else if (last !== null) {
		// That day at the meeting's hour; an hour erased by the spring change: the day's end.
		const at = parisLocalToUtc(last, localStartTime);
		const end = at.ok ? at : parisLocalToUtc(last, '23:59');
		if (end.ok) parts.push(`UNTIL=${formatIcalUtc(end.instant)}`);
	}
	return parts.join(';');
}
