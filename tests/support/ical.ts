import ICAL from 'ical.js';

export interface ParsedInvite {
	method: string | null;
	uid: string;
	sequence: number;
	status: string | null;
	summary: string;
	location: string;
	/** As written: the TZID of DTSTART and its local wall-clock value. */
	tzid: string | null;
	localStart: string;
	localEnd: string;
	/** Resolved through the calendar's own VTIMEZONE. */
	start: Date;
	end: Date;
	attendees: string[];
	description: string;
	/** RRULE value of a recurring master, as written. */
	rrule: string | null;
	/** RECURRENCE-ID of an override or of a cancelled occurrence: its original local start. */
	recurrenceId: string | null;
}

/**
 * Parses an iCalendar text with ical.js (an independent parser) and resolves local times only
 * through the VTIMEZONE the text carries, as a calendar client would.
 */
export function parseCalendar(text: string): { method: string | null; events: ParsedInvite[] } {
	const root = new ICAL.Component(ICAL.parse(text));
	for (const tz of root.getAllSubcomponents('vtimezone')) {
		const zone = new ICAL.Timezone(tz);
		if (!ICAL.TimezoneService.has(zone.tzid)) ICAL.TimezoneService.register(zone);
	}
	const method = (root.getFirstPropertyValue('method') as string | null) ?? null;
	const events = root.getAllSubcomponents('vevent').map((vevent) => {
		const event = new ICAL.Event(vevent);
		const dtstart = vevent.getFirstProperty('dtstart')!;
		return {
			method,
			uid: event.uid,
			sequence: event.sequence,
			status: (vevent.getFirstPropertyValue('status') as string | null) ?? null,
			summary: event.summary,
			location: event.location,
			tzid: (dtstart.getParameter('tzid') as string | undefined) ?? null,
			localStart: event.startDate.toString(),
			localEnd: event.endDate.toString(),
			start: event.startDate.toJSDate(),
			end: event.endDate.toJSDate(),
			attendees: vevent
				.getAllProperties('attendee')
				.map((p) => String(p.getFirstValue()).replace(/^mailto:/i, '')),
			description: event.description,
			rrule: vevent.hasProperty('rrule') ? String(vevent.getFirstPropertyValue('rrule')) : null,
			recurrenceId: vevent.hasProperty('recurrence-id')
				? String(vevent.getFirstPropertyValue('recurrence-id'))
				: null
		};
	});
	return { method, events };
}

export function parseInvite(text: string): ParsedInvite {
	const { events } = parseCalendar(text);
	if (events.length !== 1) throw new Error(`expected one VEVENT, got ${events.length}`);
	return events[0]!;
}

export interface ExpandedOccurrence {
	/** The occurrence's original start (its RECURRENCE-ID), resolved through the VTIMEZONE. */
	recurrenceId: Date;
	start: Date;
	end: Date;
	location: string;
	/** True when an override VEVENT (RECURRENCE-ID) replaced the rule's instance. */
	overridden: boolean;
}

/**
 * Expands a recurring event (master + its RECURRENCE-ID overrides, EXDATEs applied) with ical.js,
 * as a calendar client would, up to `until`.
 */
export function expandRecurringEvent(text: string, until: Date): ExpandedOccurrence[] {
	const root = new ICAL.Component(ICAL.parse(text));
	for (const tz of root.getAllSubcomponents('vtimezone')) {
		const zone = new ICAL.Timezone(tz);
		if (!ICAL.TimezoneService.has(zone.tzid)) ICAL.TimezoneService.register(zone);
	}
	const vevents = root.getAllSubcomponents('vevent');
	const masterComp = vevents.find((v) => !v.hasProperty('recurrence-id'));
	if (!masterComp) throw new Error('no master VEVENT');
	const master = new ICAL.Event(masterComp);
	for (const v of vevents) {
		if (v !== masterComp) master.relateException(new ICAL.Event(v));
	}
	const iterator = master.iterator();
	const out: ExpandedOccurrence[] = [];
	for (let next = iterator.next(); next; next = iterator.next()) {
		if (next.toJSDate() > until) break;
		const details = master.getOccurrenceDetails(next);
		out.push({
			recurrenceId: details.recurrenceId.toJSDate(),
			start: details.startDate.toJSDate(),
			end: details.endDate.toJSDate(),
			location: details.item.location,
			overridden: details.item !== master
		});
		if (out.length > 1000) break;
	}
	return out;
}
