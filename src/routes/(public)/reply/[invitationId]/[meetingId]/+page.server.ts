import { fail } from '@sveltejs/kit';
import { forbid } from '$lib/server/guard';
import { parseForm } from '$lib/validation/form';
import { replySchema } from '$lib/validation/meetings';
import type { Actions, PageServerLoad } from './$types';
import { checkReplyLink, replyWithLink } from '$lib/server/invitation-replies';

export const load: PageServerLoad = async ({ params, url, setHeaders }) => {
	setHeaders({ 'cache-control': 'private, no-store', 'x-robots-tag': 'noindex' });
	const signature = url.searchParams.get('s');
	const check = await checkReplyLink(params.invitationId, params.meetingId, signature);
	if (!check.ok) return await forbid(check.message);
	const m = check.meeting;
	const answer = url.searchParams.get('reponse');
	return {
		signature,
		suggested: answer === 'oui' ? 'accepted' : answer === 'non' ? 'declined' : null,
		name: check.invitee.name,
		reply: check.invitee.reply,
		meeting: {
			startsAt: m.startsAt,
			endsAt: m.endsAt,
			status: m.status,
			place: m.place,
			videoOffered: m.videoOffered,
			deadlineAt: m.deadlineAt,
			cancelReason: m.cancelReason
		},
		pathwayName: m.pathwayName,
		chairName: m.chairName
	};
};

// public: no account; the signed reply link stands for the invited doctor and is checked
// (checkReplyLink) before anything else is read.
export const actions: Actions = {
	default: async ({ params, request, getClientAddress }) => {
		const form = await request.formData();
		const signature = form.get('s');
		// The signed link stands for the invited doctor: checked before anything else is read.
		const check = await checkReplyLink(
			params.invitationId,
			params.meetingId,
			typeof signature === 'string' ? signature : null
		);
		if (!check.ok) return await forbid(check.message);
		const parsed = parseForm(replySchema, form);
		if (!parsed.ok) return fail(400, { errors: parsed.errors });
		const result = await replyWithLink(
			params.invitationId,
			params.meetingId,
			typeof signature === 'string' ? signature : null,
			parsed.data.reply,
			safeAddress(getClientAddress)
		);
		if (!result.ok) return fail(400, { errors: { form: result.message } });
		await result.notice; // a decline: the coordinators' notice has left
		return {
			success:
				result.reply === 'accepted'
					? 'Merci : votre présence est confirmée.'
					: 'Merci : votre absence est enregistrée.'
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
