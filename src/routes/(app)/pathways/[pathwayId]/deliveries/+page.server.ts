import { fail } from '@sveltejs/kit';
import { and, desc, eq, lt } from 'drizzle-orm';
import { canRetryDelivery, canViewDeliveries } from '$lib/server/auth/access';
import { getDb } from '$lib/server/db';
import { meetings } from '$lib/server/db/schema';
import {
	countPathwayDeliveries,
	listPathwayDeliveries,
	retryDelivery
} from '$lib/server/delivery/outbox';
import { resendWithCda } from '$lib/server/delivery/cda-resend';
import { wakeDeliveryWorker } from '$lib/server/delivery/worker';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import { listDeliveriesKeptInPluri } from '$lib/server/mailbox';
import { getPathway } from '$lib/server/pathways';
import { parseDeliveryFilter, retryFormSchema } from '$lib/validation/decisions';
import { parseForm } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

/** The coordinator's view of the deliveries: what failed (with why and « Relancer »), what waits. */
export const load: PageServerLoad = async ({ locals, url, params }) => {
	requireUser(locals, url);
	const pathway = (await getPathway(params.pathwayId)) ?? notFound('Cette filière n’existe pas.');
	await ensure(
		canViewDeliveries(locals.actor, pathway.id),
		'Ce suivi est réservé à la coordination.'
	);
	const filter = parseDeliveryFilter(url.searchParams.get('statut'));
	const recentMeetings = (
		await getDb()
			.select({ id: meetings.id, startsAt: meetings.startsAt, status: meetings.status })
			.from(meetings)
			.where(and(eq(meetings.pathwayId, pathway.id), lt(meetings.startsAt, new Date())))
			.orderBy(desc(meetings.startsAt))
			.limit(6)
	).filter((m) => m.status !== 'cancelled');
	const lines = await listPathwayDeliveries(pathway.id, filter, locals.audit);
	return {
		pathway: { id: pathway.id, name: pathway.name },
		filter,
		counts: await countPathwayDeliveries(pathway.id),
		lines,
		/** Mails only kept in the Pluri mailbox: not « Transmis ». */
		keptInPluri: [...(await listDeliveriesKeptInPluri(lines))],
		recentMeetings
	};
};

export const actions: Actions = {
	retry: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		await ensure(
			canRetryDelivery(locals.actor, params.pathwayId),
			'Seule la coordination relance un envoi.'
		);
		const parsed = parseForm(retryFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { errors: { form: 'Envoi inconnu.' } });
		const result = await retryDelivery(parsed.data.outboxId, params.pathwayId, locals.audit);
		if (!result.ok) return fail(409, { errors: { form: result.message } });
		wakeDeliveryWorker();
		return { success: 'L’envoi est relancé : il part dans quelques secondes.' };
	},
	/** Sends again, with the Fiche RCP (CDA), a delivery that went without it. */
	resendCda: async ({ request, locals, url, params }) => {
		requireUser(locals, url);
		await ensure(
			canRetryDelivery(locals.actor, params.pathwayId),
			'Seule la coordination relance un envoi.'
		);
		const parsed = parseForm(retryFormSchema, await request.formData());
		if (!parsed.ok) return fail(400, { errors: { form: 'Envoi inconnu.' } });
		const result = await resendWithCda(parsed.data.outboxId, params.pathwayId, locals.audit);
		if (!result.ok) return fail(409, { errors: { form: result.message } });
		wakeDeliveryWorker();
		return { success: 'La fiche RCP (CDA) part avec ce nouvel envoi dans quelques secondes.' };
	}
};
