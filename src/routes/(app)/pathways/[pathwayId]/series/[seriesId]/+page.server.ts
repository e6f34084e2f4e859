import { fail } from '@sveltejs/kit';
import { canCoordinate, canViewPathway } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { listInvitableMembers, listSeriesInvitees } from '$lib/server/invitations';
import { getSeries, listSeriesOccurrences } from '$lib/server/meetings';
import { getPathway } from '$lib/server/pathways';
import { findHolidayDates, formatHoliday } from '$lib/domain/holidays';
import { toParisParts } from '$lib/domain/schedule';
import { listSkippedHolidays } from '$lib/server/series-invitations';
import { parseForm } from '$lib/validation/form';
import {
	endSeriesSchema,
	invitationIdSchema,
	inviteMembersSchema,
	seriesDefaultsSchema
} from '$lib/validation/meetings';
import type { Actions, PageServerLoad } from './$types';
import { endSeries, updateSeriesDefaults } from '$lib/server/series-planning';
import { listChairCandidates } from '$lib/server/meeting-planning';
import { inviteMembersToSeries, revokeInvitation } from '$lib/server/member-invitations';
import { describeMailTally, type MailTally } from '$lib/server/invitation-mails';

async function loadSeries(params: { pathwayId: string; seriesId: string }) {
	const series = await getSeries(params.seriesId);
	if (!series || series.pathwayId !== params.pathwayId) notFound('Cette série n’existe pas.');
	return series;
}

function mailNote(mails: MailTally): string {
	return describeMailTally(mails);
}

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const series = await loadSeries(params);
	await ensure(
		canViewPathway(locals.actor, series.pathwayId),
		'Vous n’êtes pas membre de cette filière.'
	);
	const coordinator = canCoordinate(locals.actor, series.pathwayId);
	const invitees = await listSeriesInvitees(series.id);
	const invited = new Set(invitees.map((i) => i.userId));
	const planned = url.searchParams.get('planifiees');
	return {
		series,
		pathwayName: (await getPathway(series.pathwayId))?.name ?? 'Filière',
		canCoordinate: coordinator,
		occurrences: await listSeriesOccurrences(series),
		skippedHolidays: findHolidayDates(listSkippedHolidays(series, new Date()))
			.filter((h) => h.date >= toParisParts(new Date()).date)
			.slice(0, 12)
			.map(formatHoliday),
		invitees,
		chairs: coordinator ? await listChairCandidates(series.pathwayId) : [],
		invitable: coordinator
			? (await listInvitableMembers(series.pathwayId)).filter((m) => !invited.has(m.userId))
			: [],
		created:
			planned !== null
				? `La série est planifiée : ${Number(planned)} séance(s) créée(s), ${Number(url.searchParams.get('messages') ?? 0)} invitation(s) envoyée(s) par messagerie.`
				: null
	};
};

export const actions: Actions = {
	invite: async ({ request, params, locals }) => {
		const series = await loadSeries(params);
		await ensure(canCoordinate(locals.actor, series.pathwayId));
		const parsed = parseForm(inviteMembersSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'invite', errors: parsed.errors });
		const result = await inviteMembersToSeries(series.id, parsed.data.userIds, locals.audit);
		if (!result.ok) return fail(400, { action: 'invite', errors: { userIds: result.message } });
		return {
			action: 'invite',
			success: `${result.created} médecin(s) invité(s) à la série. ${mailNote(result.mails)}`
		};
	},
	revoke: async ({ request, params, locals }) => {
		const series = await loadSeries(params);
		await ensure(canCoordinate(locals.actor, series.pathwayId));
		const parsed = parseForm(invitationIdSchema, await request.formData());
		const invitation = parsed.ok
			? (await listSeriesInvitees(series.id)).find(
					(i) => i.invitationId === parsed.data.invitationId
				)
			: undefined;
		if (!invitation) {
			return fail(400, { action: 'revoke', errors: { form: 'Invitation inconnue.' } });
		}
		const result = await revokeInvitation(invitation.invitationId, locals.audit);
		if (!result.ok) return fail(400, { action: 'revoke', errors: { form: result.message } });
		return {
			action: 'revoke',
			success: `L’invitation de ${invitation.name} est retirée. ${mailNote(result.mails)}`
		};
	},
	update: async ({ request, params, locals }) => {
		const series = await loadSeries(params);
		await ensure(canCoordinate(locals.actor, series.pathwayId));
		const parsed = parseForm(seriesDefaultsSchema, await request.formData());
		if (!parsed.ok) {
			return fail(400, { action: 'update', values: parsed.values, errors: parsed.errors });
		}
		const result = await updateSeriesDefaults(series.id, parsed.data, locals.audit);
		if (!result.ok) {
			return fail(400, { action: 'update', values: parsed.values, errors: result.errors });
		}
		return {
			action: 'update',
			success: result.changed.length
				? `La série est modifiée (${result.changed.join(', ')}) : ${result.meetings} séance(s) à venir mise(s) à jour. ${mailNote(result.mails)}`
				: 'Aucun changement.'
		};
	},
	end: async ({ request, params, locals }) => {
		const series = await loadSeries(params);
		await ensure(canCoordinate(locals.actor, series.pathwayId));
		const parsed = parseForm(endSeriesSchema, await request.formData());
		if (!parsed.ok)
			return fail(400, { action: 'end', values: parsed.values, errors: parsed.errors });
		const result = await endSeries(series.id, parsed.data.lastDate, locals.audit);
		if (!result.ok)
			return fail(400, { action: 'end', values: parsed.values, errors: result.errors });
		return {
			action: 'end',
			success: `La série est terminée : ${result.cancelled} séance(s) annoncée(s) annulée(s), ${result.removed} séance(s) jamais annoncée(s) retirée(s) du calendrier. ${mailNote(result.mails)}`
		};
	}
};
