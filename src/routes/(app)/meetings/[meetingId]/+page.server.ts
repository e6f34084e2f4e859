import { fail } from '@sveltejs/kit';
import {
	canInvite,
	canManageMeeting,
	canReplyToInvitation,
	canViewMeeting
} from '$lib/server/auth/access';
import { ensure, notFound, requireUser } from '$lib/server/guard';
import {
	findUserInvitation,
	listInvitableMembers,
	listMeetingInvitees
} from '$lib/server/invitations';
import { listMeetingCases } from '$lib/server/cases';
import { listMeetingDeclines } from '$lib/server/invitation-declines';
import { getMeetingOverview, getMeetingRef } from '$lib/server/meetings';
import { assessMeetingReadiness } from '$lib/server/readiness';
import { parseForm } from '$lib/validation/form';
import {
	invitationIdSchema,
	inviteGuestSchema,
	inviteMembersSchema,
	replySchema
} from '$lib/validation/meetings';
import type { Actions, PageServerLoad } from './$types';
import { listInvitableCases } from '$lib/server/guest-links';
import { replyAsUser } from '$lib/server/invitation-replies';
import { inviteGuest, renewGuestLink } from '$lib/server/guest-invitations';
import { inviteMembersToMeeting, revokeInvitation } from '$lib/server/member-invitations';
import { describeMailTally, type MailTally } from '$lib/server/invitation-mails';

async function loadMeeting(meetingId: string, actor: App.Locals['actor']) {
	const found = (await getMeetingRef(meetingId)) ?? notFound('Cette séance n’existe pas.');
	await ensure(canViewMeeting(actor, found.ref), 'Vous n’êtes pas invité(e) à cette séance.');
	return found;
}

const live = (status: string): boolean => status === 'scheduled' || status === 'open';

function mailNote(mails: MailTally): string {
	return describeMailTally(mails);
}

export const load: PageServerLoad = async ({ params, locals, url }) => {
	const user = requireUser(locals, url);
	const { meeting, ref } = await loadMeeting(params.meetingId, locals.actor);
	const manage = canManageMeeting(locals.actor, ref);
	const invite = canInvite(locals.actor, ref) && meeting.endsAt > new Date();
	const invitees = await listMeetingInvitees(meeting, { includeRevoked: manage });
	const invited = new Set(invitees.filter((i) => !i.revokedAt).map((i) => i.userId));
	const mine = await findUserInvitation(meeting, user.id);
	const created = url.searchParams.get('creee');
	return {
		overview: await getMeetingOverview(meeting),
		invitees,
		declines: listMeetingDeclines(meeting, invitees),
		myInvitation: mine ? { reply: mine.reply, repliedAt: mine.repliedAt } : null,
		canManage: manage && meeting.status === 'scheduled' && meeting.startsAt > new Date(),
		canInvite: invite,
		invitable: invite
			? (await listInvitableMembers(meeting.pathwayId)).filter((m) => !invited.has(m.userId))
			: [],
		cases: invite ? await listInvitableCases(meeting.id, locals.audit) : [],
		// Quorum among replies and missing replies: the meeting's problems, said once here.
		readiness:
			manage && live(meeting.status)
				? await assessMeetingReadiness(meeting, await listMeetingCases(meeting.id))
				: null,
		created:
			created !== null
				? `La séance est créée${Number(created) ? ` et ${Number(created)} médecin(s) invité(s)` : ''}.`
				: null
	};
};

export const actions: Actions = {
	reply: async ({ request, params, locals, url }) => {
		const user = requireUser(locals, url);
		const { meeting } = await loadMeeting(params.meetingId, locals.actor);
		const own = await findUserInvitation(meeting, user.id);
		await ensure(
			own !== null && canReplyToInvitation(locals.actor, own),
			'Vous n’êtes pas invité(e).'
		);
		const parsed = parseForm(replySchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'reply', errors: parsed.errors });
		const result = await replyAsUser(meeting, user.id, parsed.data.reply, locals.audit);
		if (!result.ok) return fail(400, { action: 'reply', errors: { form: result.message } });
		await result.notice; // a decline: the coordinators' notice has left
		return {
			action: 'reply',
			success:
				result.reply === 'accepted'
					? 'Votre présence est confirmée.'
					: 'Votre absence est enregistrée.'
		};
	},
	invite: async ({ request, params, locals }) => {
		const { meeting, ref } = await loadMeeting(params.meetingId, locals.actor);
		await ensure(canInvite(locals.actor, ref), 'Seule la coordination de la filière invite.');
		const parsed = parseForm(inviteMembersSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'invite', errors: parsed.errors });
		const result = await inviteMembersToMeeting(meeting.id, parsed.data.userIds, locals.audit);
		if (!result.ok) return fail(400, { action: 'invite', errors: { userIds: result.message } });
		const already = result.already.length ? ` Déjà invité(s) : ${result.already.join(', ')}.` : '';
		return {
			action: 'invite',
			success: `${result.created} médecin(s) invité(s). ${mailNote(result.mails)}${already}`
		};
	},
	inviteGuest: async ({ request, params, locals }) => {
		const { meeting, ref } = await loadMeeting(params.meetingId, locals.actor);
		await ensure(canInvite(locals.actor, ref), 'Seule la coordination de la filière invite.');
		const parsed = parseForm(inviteGuestSchema, await request.formData());
		if (!parsed.ok) {
			return fail(400, { action: 'inviteGuest', values: parsed.values, errors: parsed.errors });
		}
		const { guestName, guestRpps, guestEmail, caseId } = parsed.data;
		const result = await inviteGuest(
			meeting.id,
			{ name: guestName, rpps: guestRpps, email: guestEmail, caseId },
			locals.audit
		);
		if (!result.ok) {
			return fail(400, {
				action: 'inviteGuest',
				values: parsed.values,
				errors: { [result.field ?? 'form']: result.message }
			});
		}
		return {
			action: 'inviteGuest',
			success: result.already
				? `${guestName} était déjà invité(e) : aucun nouveau message n’a été envoyé.`
				: result.mails.sent
					? `${guestName} est invité(e) ; son lien personnel lui a été envoyé à ${guestEmail}. ${mailNote(result.mails)}`
					: `${guestName} est invité(e), mais son lien personnel n’a pas pu lui être envoyé. ${mailNote(result.mails)}`
		};
	},
	revoke: async ({ request, params, locals }) => {
		const { meeting, ref } = await loadMeeting(params.meetingId, locals.actor);
		await ensure(
			canManageMeeting(locals.actor, ref),
			'Seule la coordination de la filière invite.'
		);
		const parsed = parseForm(invitationIdSchema, await request.formData());
		const target = parsed.ok
			? (await listMeetingInvitees(meeting)).find(
					(i) => i.invitationId === parsed.data.invitationId && !i.viaSeries
				)
			: undefined;
		if (!target) return fail(400, { action: 'revoke', errors: { form: 'Invitation inconnue.' } });
		const result = await revokeInvitation(target.invitationId, locals.audit);
		if (!result.ok) return fail(400, { action: 'revoke', errors: { form: result.message } });
		return {
			action: 'revoke',
			success: `L’invitation de ${target.name} est retirée${target.isGuest ? ' ; son lien ne fonctionne plus' : ''}.`
		};
	},
	renewLink: async ({ request, params, locals }) => {
		const { meeting, ref } = await loadMeeting(params.meetingId, locals.actor);
		await ensure(canInvite(locals.actor, ref), 'Seule la coordination de la filière invite.');
		const parsed = parseForm(invitationIdSchema, await request.formData());
		const target = parsed.ok
			? (await listMeetingInvitees(meeting)).find(
					(i) => i.invitationId === parsed.data.invitationId && i.isGuest
				)
			: undefined;
		if (!target)
			return fail(400, { action: 'renewLink', errors: { form: 'Invitation inconnue.' } });
		const result = await renewGuestLink(target.invitationId, locals.audit);
		if (!result.ok) return fail(400, { action: 'renewLink', errors: { form: result.message } });
		return {
			action: 'renewLink',
			success: result.mails.sent
				? `Un nouveau lien a été envoyé à ${target.name} ; l’ancien ne fonctionne plus.`
				: `L’ancien lien de ${target.name} ne fonctionne plus, mais le nouveau n’a pas pu lui être envoyé. ${mailNote(result.mails)}`
		};
	}
};
