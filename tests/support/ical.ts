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
			description: event.description
		};
	});
	return { method, events };
}

export function parseInvite(text: string): ParsedInvite {
	const { events } = parseCalendar(text);
	if (events.length !== 1) throw new Error(`expected one VEVENT, got ${events.length}`);
	return events[0]!;
}
