// Invitation mails: links, one mail per invitee, and the notices sent when a meeting or series changes.
import { composeInvitationMail, type InvitationMailKind } from '$lib/domain/invitation-mail';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import {
	buildMeetingInvite,
	meetingUid,
	meetingUrl,
	type CalendarAccess,
	type CalendarMeeting
} from './calendar';
import { getMailFrom, getPublicOrigin } from './config';
import { getDb, queryOne, transaction } from './db';
import { invitations, users } from './db/schema';
import { deriveGuestToken } from './guest-tokens';
import {
	listMeetingInvitees,
	loadCalendarMeeting,
	toInvitee,
	type InvitationRow,
	type MeetingInvitee
} from './invitations';
import { sendMail, type MailOutcome } from './mail';
import {
	buildOccurrenceCalendar,
	bumpSeriesSequence,
	isSeriesMailed,
	loadCalendarSeries,
	mailSeriesInvite,
	toSeriesOverride
} from './series-invitations';
import { signPayload } from './signing';
import { hashToken } from './tokens';

function mailDomain(): string {
	return /@([^>\s]+)/.exec(getMailFrom())?.[1] ?? 'pluri.localhost';
}

/**
 * What became of a batch of mails. sent: accepted by the SMTP server; stored: kept in the
 * recipient's Pluri inbox only (no SMTP server); failed: refused by the server; undelivered:
 * nobody can receive it (no SMTP server, and no account or a personal link).
 */
export interface MailTally {
	sent: number;
	stored: number;
	failed: number;
	undelivered: number;
}

export function emptyTally(): MailTally {
	return { sent: 0, stored: 0, failed: 0, undelivered: 0 };
}

/** The coordinator's summary of a batch, in French, with the reason when some did not leave. */
export function describeMailTally(t: MailTally): string {
	const parts: string[] = [];
	if (t.sent) parts.push(`${t.sent} message(s) transmis par la messagerie.`);
	if (t.stored) parts.push(`${t.stored} message(s) conservé(s) dans la messagerie Pluri.`);
	if (t.failed) {
		parts.push(
			`${t.failed} envoi(s) refusé(s) par le serveur de messagerie : vérifiez l’adresse ou réessayez.`
		);
	}
	if (t.undelivered) {
		parts.push(
			`${t.undelivered} message(s) non remis : aucun serveur de messagerie n’est configuré ; sans lui, Pluri ne peut rien transmettre à un médecin sans compte, ni aucun lien personnel d’accès (demandez à l’administrateur de configurer l’envoi des courriels).`
		);
	}
	return parts.length ? parts.join(' ') : 'Aucun message envoyé.';
}

export function count(tally: MailTally, outcome: MailOutcome | null): void {
	if (outcome) tally[outcome.status] += 1;
}

/** A few mails at a time: much faster over SMTP than one by one, gentle on the relay. */
const MAIL_CONCURRENCY = 4;

export async function sendAll(
	jobs: readonly (() => Promise<MailOutcome | null>)[],
	tally: MailTally = emptyTally()
): Promise<MailTally> {
	let next = 0;
	const worker = async (): Promise<void> => {
		while (next < jobs.length) {
			const job = jobs[next++]!;
			count(tally, await job());
		}
	};
	await Promise.all(Array.from({ length: Math.min(MAIL_CONCURRENCY, jobs.length) }, worker));
	return tally;
}

/** The signed link that answers an invitation for one meeting, without logging in. */
export async function buildReplyLink(
	invitationId: string,
	meetingId: string,
	answer?: 'oui' | 'non'
): Promise<string> {
	const s = await signPayload(`reply:${invitationId}:${meetingId}`);
	const query = new URLSearchParams({ s, ...(answer ? { reponse: answer } : {}) });
	return `${getPublicOrigin()}/reply/${invitationId}/${meetingId}?${query}`;
}

export function buildGuestLink(token: string): string {
	return `${getPublicOrigin()}/invitation/${token}`;
}

/** One mail with its calendar part. Its Message-ID is fixed by what it says. */
export async function mailInvitee(
	invitee: MeetingInvitee,
	meeting: CalendarMeeting,
	kind: InvitationMailKind,
	extra: {
		guestToken?: string;
		/** A series occurrence already in the invitee's diary: its override or cancellation. */
		calendar?: { content: string; uid: string; sequence: number };
	} = {}
): Promise<MailOutcome | null> {
	if (!invitee.email) return null;
	if (invitee.isGuest && !extra.guestToken && kind !== 'invitation_revoked') {
		// Update mails carry the guest's link again: derived from its nonce, never stored.
		const row = await queryOne(
			getDb()
				.select({
					id: invitations.id,
					tokenNonce: invitations.tokenNonce,
					tokenHash: invitations.tokenHash
				})
				.from(invitations)
				.where(eq(invitations.id, invitee.invitationId))
		);
		const derived = row ? await deriveGuestToken(row) : null;
		if (derived) extra = { ...extra, guestToken: derived };
	}
	const method = kind === 'meeting_cancel' || kind === 'invitation_revoked' ? 'CANCEL' : 'REQUEST';
	const { subject, text, secrets } = composeInvitationMail({
		kind,
		salutation: invitee.salutation,
		pathwayName: meeting.pathwayName,
		startsAt: meeting.startsAt,
		endsAt: meeting.endsAt,
		place: meeting.place,
		videoOffered: meeting.videoOffered,
		chairName: meeting.chairName,
		deadlineAt: meeting.deadlineAt,
		cancelReason: meeting.cancelReason,
		meetingLink: invitee.isGuest ? null : meetingUrl(meeting.id),
		acceptLink: await buildReplyLink(invitee.invitationId, meeting.id, 'oui'),
		declineLink: await buildReplyLink(invitee.invitationId, meeting.id, 'non'),
		guestLink: extra.guestToken ? buildGuestLink(extra.guestToken) : null,
		hasGuestLink: invitee.hasGuestLink,
		caseScoped: invitee.scope === 'case'
	});
	// A guest's entry opens her own link (when this mail carries it), never the login page.
	const access: CalendarAccess = invitee.isGuest
		? { kind: 'guest', link: extra.guestToken ? buildGuestLink(extra.guestToken) : null }
		: { kind: 'account' };
	const content =
		extra.calendar?.content ??
		buildMeetingInvite(
			meeting,
			method,
			{ email: invitee.email, name: invitee.name },
			new Date(),
			access
		);
	const variant = extra.guestToken ? `.${hashToken(extra.guestToken).slice(0, 12)}` : '';
	return sendMail({
		to: invitee.email,
		subject,
		text,
		secrets,
		kind,
		messageId: `<${kind}.${invitee.invitationId}.${meeting.id}.${meeting.icsSequence}${variant}@${mailDomain()}>`,
		icalEvent: {
			method,
			content,
			uid: extra.calendar?.uid ?? meetingUid(meeting.id),
			sequence: extra.calendar?.sequence ?? meeting.icsSequence
		}
	});
}

export async function markSent(
	invitationIds: string[],
	now: Date,
	extra: Partial<InvitationRow> = {}
): Promise<void> {
	if (!invitationIds.length) return;
	await getDb()
		.update(invitations)
		.set({ sentAt: now, ...extra })
		.where(inArray(invitations.id, invitationIds));
}

/** Users whose series invitation went out as one recurring calendar event. */
async function listRecurringInvitees(seriesId: string): Promise<Set<string>> {
	return new Set(
		(
			await getDb()
				.select()
				.from(invitations)
				.where(
					and(
						eq(invitations.seriesId, seriesId),
						isNull(invitations.meetingId),
						isNull(invitations.revokedAt)
					)
				)
		)
			.filter((inv) => isSeriesMailed(inv) && inv.userId !== null)
			.map((inv) => inv.userId!)
	);
}

/**
 * Tells every invitee of the meeting about a change (REQUEST with the raised SEQUENCE) or its
 * cancellation (CANCEL). Those who hold the series as one recurring event get the override of
 * that occurrence (same UID, its RECURRENCE-ID) — or nothing when `seriesInvitees` is false
 * because the caller resends the whole series. Series invitees mailed meeting by meeting whose
 * invites have not reached this meeting yet are left out.
 */
export async function notifyMeetingChange(
	meetingId: string,
	change: 'update' | 'cancel',
	previousStartsAt?: Date,
	options: { seriesInvitees?: boolean } = {}
): Promise<MailTally> {
	const meeting = await loadCalendarMeeting(meetingId);
	if (!meeting) return emptyTally();
	const earliest =
		previousStartsAt && previousStartsAt < meeting.startsAt ? previousStartsAt : meeting.startsAt;
	const kind = change === 'cancel' ? 'meeting_cancel' : 'meeting_update';
	const series = meeting.row.seriesId ? await loadCalendarSeries(meeting.row.seriesId) : null;
	const recurring = series ? await listRecurringInvitees(series.id) : new Set<string>();
	const override = series ? toSeriesOverride(series, meeting) : null;
	const jobs: (() => Promise<MailOutcome | null>)[] = [];
	for (const invitee of await listMeetingInvitees(meeting.row)) {
		if (invitee.viaSeries && invitee.userId && recurring.has(invitee.userId)) {
			if (options.seriesInvitees === false || !series || !override || !invitee.email) continue;
			const calendar = buildOccurrenceCalendar(
				series,
				override,
				change === 'cancel' ? 'CANCEL' : 'REQUEST',
				{ email: invitee.email, name: invitee.name }
			);
			jobs.push(() => mailInvitee(invitee, meeting, kind, { calendar }));
			continue;
		}
		if (invitee.scope === 'series' && !(invitee.mailedUntil && invitee.mailedUntil > earliest)) {
			continue;
		}
		jobs.push(() => mailInvitee(invitee, meeting, kind));
	}
	return sendAll(jobs);
}

/**
 * After a series-wide change (its end, chair, place or video): raises the series' SEQUENCE and
 * resends the whole recurring event to those who hold it.
 */
export async function notifySeriesChange(
	seriesId: string,
	now: Date = new Date()
): Promise<MailTally> {
	await transaction(getDb(), async (tx) => bumpSeriesSequence(seriesId, tx));
	const series = await loadCalendarSeries(seriesId, now);
	if (!series) return emptyTally();
	const rows = (
		await getDb()
			.select({ inv: invitations, user: users })
			.from(invitations)
			.leftJoin(users, eq(users.id, invitations.userId))
			.where(
				and(
					eq(invitations.seriesId, seriesId),
					isNull(invitations.meetingId),
					isNull(invitations.revokedAt)
				)
			)
	).filter(({ inv }) => isSeriesMailed(inv));
	return sendAll(
		rows.map(
			({ inv, user }) =>
				() =>
					mailSeriesInvite(toInvitee(inv, user), series, 'meeting_update', now)
		)
	);
}
