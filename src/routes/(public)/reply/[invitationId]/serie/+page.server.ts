import { fail } from '@sveltejs/kit';
import { forbid } from '$lib/server/guard';
import { checkSeriesReplyLink, replyToSeriesWithLink } from '$lib/server/series-replies';
import { parseForm } from '$lib/validation/form';
import { replySchema } from '$lib/validation/meetings';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ params, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' });
	const signature = url.searchParams.get('s');
	const check = await checkSeriesReplyLink(params.invitationId, signature);
	if (!check.ok) return await forbid(check.message);
	const answer = url.searchParams.get('reponse');
	return {
		signature,
		suggested: answer === 'oui' ? 'accepted' : answer === 'non' ? 'declined' : null,
		name: check.name,
		reply: check.invitation.reply,
		pathwayName: check.pathwayName,
		recurrence: check.recurrence,
		place: check.place
	};
};

// public: no account; the signed series reply link stands for the invited doctor and is checked
// (checkSeriesReplyLink) before anything else is read.
export const actions: Actions = {
	default: async ({ params, request, getClientAddress }) => {
		const form = await request.formData();
		const raw = form.get('s');
		const signature = typeof raw === 'string' ? raw : null;
		const check = await checkSeriesReplyLink(params.invitationId, signature);
		if (!check.ok) return await forbid(check.message);
		const parsed = parseForm(replySchema, form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		const result = await replyToSeriesWithLink(
			params.invitationId,
			signature,
			parsed.data.reply,
			safeAddress(getClientAddress)
		);
		if (!result.ok) return fail(400, { errors: { form: result.message } });
		await result.notice; // the coordinators' notice of a decline has left
		return {
			success:
				result.reply === 'accepted'
					? 'Merci : votre présence aux séances de la série est confirmée.'
					: 'Merci : votre absence aux séances de la série est enregistrée.'
		};
	}
};

function safeAddress(get: () => string): string | null {
	try {
		return get();
	} catch {
		return null;
	}
}
