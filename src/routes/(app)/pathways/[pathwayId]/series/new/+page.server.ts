import { fail, redirect } from '@sveltejs/kit';
import { describeHolidayClash, findSeriesHolidays, formatHoliday } from '$lib/domain/holidays';
import { toParisParts } from '$lib/domain/schedule';
import { canCoordinate } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { getPathway } from '$lib/server/pathways';
import { parseForm } from '$lib/validation/form';
import { seriesSchema } from '$lib/validation/meetings';
import type { Actions, PageServerLoad } from './$types';
import { listChairCandidates, planSeries } from '$lib/server/meeting-planning';

async function loadPathway(id: string, actor: App.Locals['actor']) {
	const pathway = (await getPathway(id)) ?? notFound('Cette filière n’existe pas.');
	await ensure(
		canCoordinate(actor, pathway.id),
		'Seule la coordination de la filière planifie les séances.'
	);
	return pathway;
}

export const load: PageServerLoad = async ({ params, locals }) => {
	const pathway = await loadPathway(params.pathwayId, locals.actor);
	const chairs = await listChairCandidates(pathway.id);
	return {
		pathway: { id: pathway.id, name: pathway.name },
		chairs,
		defaults: {
			frequency: 'weekly',
			weekday: '2',
			nthWeek: '',
			startDate: toParisParts(new Date()).date,
			endKind: 'none',
			localStartTime: '17:30',
			durationMinutes: String(pathway.defaultDurationMinutes),
			place: '',
			videoOffered: 'on',
			chairId: '',
			inviteMembers: 'on',
			requestId: crypto.randomUUID()
		}
	};
};

export const actions: Actions = {
	default: async ({ request, params, locals }) => {
		const pathway = await loadPathway(params.pathwayId, locals.actor);
		const form = await request.formData();
		const parsed = parseForm(seriesSchema, form);
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		// Public holidays: the coordinator chooses to skip them (EXDATE) or keep them.
		const clash = findSeriesHolidays(parsed.data, toParisParts(new Date()).date);
		const choice = form.get('holidays');
		const holidayWarning = clash.length
			? { message: describeHolidayClash(clash)!, dates: clash.map(formatHoliday) }
			: null;
		if (holidayWarning && choice !== 'skip' && choice !== 'keep') {
			return fail(400, {
				values: parsed.values,
				errors: {
					holidays: 'Indiquez si ces séances doivent être maintenues ou non avant de planifier.'
				},
				holidayWarning
			});
		}
		const result = await planSeries(
			pathway.id,
			{ ...parsed.data, skipHolidays: holidayWarning !== null && choice === 'skip' },
			locals.audit
		);
		if (!result.ok) {
			return fail(400, { values: parsed.values, errors: result.errors, holidayWarning });
		}
		const mails = result.mails.sent + result.mails.stored;
		redirect(
			303,
			`/pathways/${pathway.id}/series/${result.seriesId}?planifiees=${result.meetings}&messages=${mails}`
		);
	}
};
