import {
	buildMonthGrid,
	monthBounds,
	monthOf,
	parseMonth,
	shiftMonth
} from '$lib/domain/month-grid';
import { toParisParts } from '$lib/domain/schedule';
import { requireUser } from '$lib/server/guard';
import { listUserMeetingsBetween, type AgendaMeeting } from '$lib/server/meetings';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const now = new Date();
	const month = parseMonth(url.searchParams.get('mois')) ?? monthOf(now);
	const { from, to } = monthBounds(month);
	const pathwayIds = [...new Set(user.memberships.map((m) => m.pathwayId))];
	const byDate: Record<string, AgendaMeeting[]> = {};
	for (const m of await listUserMeetingsBetween(user.id, pathwayIds, from, to)) {
		(byDate[toParisParts(m.startsAt).date] ??= []).push(m);
	}
	return {
		month,
		weeks: buildMonthGrid(month),
		byDate,
		today: toParisParts(now).date,
		previous: shiftMonth(month, -1),
		next: shiftMonth(month, 1),
		current: monthOf(now)
	};
};
