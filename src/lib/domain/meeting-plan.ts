/**
 * Planning rules for RCP meetings: which occurrences a series has once cancellations and moves
 * are applied, whether a proposed series or slot is acceptable, and how to say it in French.
 * Pure: the clock and the stored meetings come in as arguments.
 */
import {
	addDaysLocal,
	formatParisDate,
	isValidLocalDate,
	listOccurrenceDates,
	parisLocalToUtc,
	toParisParts,
	validateRecurrenceRule,
	type RecurrenceRule
} from './schedule';

export type MeetingStatus = 'scheduled' | 'open' | 'closed' | 'cancelled';

export interface SeriesRule extends RecurrenceRule {
	/** HH:MM, Europe/Paris */
	localStartTime: string;
	durationMinutes: number;
}

/** A stored meeting of the series that may differ from the rule (moved, cancelled, held). */
export interface OccurrenceOverride {
	occurrenceDate: string;
	startsAt: Date;
	endsAt: Date;
	status: MeetingStatus;
}

export interface PlannedOccurrence {
	occurrenceDate: string;
	startsAt: Date;
	endsAt: Date;
	status: MeetingStatus;
	/** True when the stored meeting no longer sits at the rule's slot. */
	moved: boolean;
	/** True when a meeting row already stands for this occurrence. */
	stored: boolean;
}

export interface OccurrencePlan {
	occurrences: PlannedOccurrence[];
	/** Dates the rule gives but whose local time does not exist that day (spring change). */
	skipped: { occurrenceDate: string; message: string }[];
}

export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 12 * 60;
/** How far ahead a one-off or moved meeting may be placed: beyond, it is a mistyped year. */
export const MAX_DAYS_AHEAD = 730;

/**
 * The series' occurrences between two local dates, with the stored overrides applied: a
 * cancelled occurrence stays listed as cancelled (the calendar says so), a moved one takes its
 * new slot. Sorted by start.
 */
export function planOccurrences(
	rule: SeriesRule,
	range: { from?: string; to: string },
	overrides: readonly OccurrenceOverride[] = []
): OccurrencePlan {
	const byDate = new Map(overrides.map((o) => [o.occurrenceDate, o]));
	const occurrences: PlannedOccurrence[] = [];
	const skipped: OccurrencePlan['skipped'] = [];
	for (const date of listOccurrenceDates(rule, range)) {
		const slot = slotOf(date, rule.localStartTime, rule.durationMinutes);
		const stored = byDate.get(date);
		if (stored) {
			const moved =
				!slot.ok ||
				stored.startsAt.getTime() !== slot.startsAt.getTime() ||
				stored.endsAt.getTime() !== slot.endsAt.getTime();
			occurrences.push({
				occurrenceDate: date,
				startsAt: stored.startsAt,
				endsAt: stored.endsAt,
				status: stored.status,
				moved,
				stored: true
			});
		} else if (slot.ok) {
			occurrences.push({
				occurrenceDate: date,
				startsAt: slot.startsAt,
				endsAt: slot.endsAt,
				status: 'scheduled',
				moved: false,
				stored: false
			});
		} else {
			skipped.push({ occurrenceDate: date, message: slot.error });
		}
	}
	occurrences.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
	return { occurrences, skipped };
}

type Slot = { ok: true; startsAt: Date; endsAt: Date } | { ok: false; error: string };

function slotOf(date: string, time: string, durationMinutes: number): Slot {
	const start = parisLocalToUtc(date, time);
	if (!start.ok) return start;
	return {
		ok: true,
		startsAt: start.instant,
		endsAt: new Date(start.instant.getTime() + durationMinutes * 60_000)
	};
}

export type FieldErrors = Record<string, string>;

export type SlotCheck =
	{ ok: true; startsAt: Date; endsAt: Date } | { ok: false; errors: FieldErrors };

function checkDuration(minutes: number, errors: FieldErrors): void {
	if (
		!Number.isInteger(minutes) ||
		minutes < MIN_DURATION_MINUTES ||
		minutes > MAX_DURATION_MINUTES
	) {
		errors.durationMinutes = `La durée doit être comprise entre ${MIN_DURATION_MINUTES} minutes et ${MAX_DURATION_MINUTES / 60} heures.`;
	}
}

/** A one-off meeting or a move: a real Paris time, in the future, of a sensible length. */
export function checkMeetingSlot(
	input: { date: string; time: string; durationMinutes: number },
	now: Date
): SlotCheck {
	const errors: FieldErrors = {};
	checkDuration(input.durationMinutes, errors);
	if (!isValidLocalDate(input.date)) {
		errors.date = 'La date n’est pas une date valide.';
		return { ok: false, errors };
	}
	if (input.date > addDaysLocal(toParisParts(now).date, MAX_DAYS_AHEAD)) {
		errors.date =
			'La séance ne peut pas être placée plus de deux ans à l’avance : vérifiez l’année.';
		return { ok: false, errors };
	}
	const slot = slotOf(input.date, input.time, input.durationMinutes);
	if (!slot.ok) errors.time = slot.error;
	else if (slot.startsAt <= now) errors.date = 'La séance ne peut pas être placée dans le passé.';
	if (Object.keys(errors).length || !slot.ok) return { ok: false, errors };
	return slot;
}

export type SeriesCheck =
	{ ok: true; first: PlannedOccurrence; count: number } | { ok: false; errors: FieldErrors };

/**
 * A new series: a valid rule starting today or later, whose first meeting is still ahead and
 * whose time exists on every date within the horizon (no meeting silently lost to the change
 * of hour).
 */
export function checkSeriesRule(rule: SeriesRule, now: Date, horizonDays: number): SeriesCheck {
	const errors: FieldErrors = {};
	const today = toParisParts(now).date;
	checkDuration(rule.durationMinutes, errors);
	if (!isValidLocalDate(rule.startDate)) {
		errors.startDate = 'La date de début n’est pas une date valide.';
	} else if (rule.startDate < today) {
		errors.startDate = 'La date de début ne peut pas être dans le passé.';
	}
	if (rule.untilDate !== null) {
		if (!isValidLocalDate(rule.untilDate))
			errors.untilDate = 'La date de fin n’est pas une date valide.';
		else if (isValidLocalDate(rule.startDate) && rule.untilDate < rule.startDate) {
			errors.untilDate = 'La date de fin doit être postérieure ou égale à la date de début.';
		}
	}
	if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(rule.localStartTime)) {
		errors.localStartTime = 'L’heure doit être au format HH:MM, par exemple 17:30.';
	}
	if (Object.keys(errors).length) return { ok: false, errors };
	for (const message of validateRecurrenceRule(rule)) {
		const field = /semaine du mois/.test(message)
			? 'nthWeek'
			: /nombre de séances/.test(message)
				? 'count'
				: /jour de la semaine/.test(message)
					? 'weekday'
					: 'frequency';
		errors[field] ??= message;
	}
	if (Object.keys(errors).length) return { ok: false, errors };

	const plan = planOccurrences(rule, { to: addDaysLocal(today, horizonDays) });
	const gap = plan.skipped[0];
	if (gap) return { ok: false, errors: { localStartTime: gap.message } };
	const first = plan.occurrences[0];
	if (!first) {
		const beyond = listOccurrenceDates(rule, { to: addDaysLocal(rule.startDate, 3660), max: 1 });
		return {
			ok: false,
			errors: {
				[beyond.length ? 'startDate' : 'untilDate']: beyond.length
					? `La première séance tomberait au-delà des ${horizonDays} prochains jours : choisissez une date de début plus proche.`
					: 'Aucune séance ne correspond à cette règle entre la date de début et la date de fin.'
			}
		};
	}
	if (first.startsAt <= now) {
		return {
			ok: false,
			errors: {
				localStartTime:
					'La première séance serait déjà passée : choisissez une heure ou une date plus tardive.'
			}
		};
	}
	return { ok: true, first, count: plan.occurrences.length };
}

/** The submission deadline of a meeting: the pathway's delay before its start. */
export function computeDeadline(startsAt: Date, deadlineHours: number): Date {
	return new Date(startsAt.getTime() - deadlineHours * 3_600_000);
}

const WEEKDAYS = ['lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi', 'dimanche'];
const NTH = new Map<number, string>([
	[1, 'premier'],
	[2, 'deuxième'],
	[3, 'troisième'],
	[4, 'quatrième'],
	[-1, 'dernier']
]);

/** « 17 h 30 », « 9 h » from a local HH:MM. */
export function formatLocalTime(time: string): string {
	const [h = '0', m = '00'] = time.split(':');
	return m === '00' ? `${Number(h)} h` : `${Number(h)} h ${m}`;
}

export function weekdayName(isoWeekday: number): string {
	return WEEKDAYS[isoWeekday - 1] ?? '?';
}

/** « Chaque mardi à 17 h 30 », « Un lundi sur deux à 18 h », « Le premier mercredi du mois à 13 h ». */
export function describeRecurrence(
	rule: Pick<SeriesRule, 'frequency' | 'weekday' | 'nthWeek' | 'localStartTime'>
): string {
	const day = weekdayName(rule.weekday);
	const at = `à ${formatLocalTime(rule.localStartTime)}`;
	if (rule.frequency === 'weekly') return `Chaque ${day} ${at}`;
	if (rule.frequency === 'biweekly') return `Un ${day} sur deux ${at}`;
	return `Le ${NTH.get(rule.nthWeek ?? 1) ?? 'premier'} ${day} du mois ${at}`;
}

/** « mardi 2 mars 2027 » from a local YYYY-MM-DD (noon UTC is that same day in Paris). */
export function formatLocalDate(date: string): string {
	return isValidLocalDate(date) ? formatParisDate(new Date(`${date}T12:00:00Z`)) : date;
}
