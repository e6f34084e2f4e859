// Guest links: resolving a token, the guest's actor, case slot and calendar, link expiry.
import { formatBornWord, formatPatientInitials } from '$lib/domain/civility';
import {
	checkGuestWindow,
	computeGuestLinkExpiry,
	describeGuestRefusal,
	type GuestRefusal
} from '$lib/domain/guest-link';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import type { GuestActor } from './auth/access';
import { buildGuestCalendar } from './calendar';
import { getDb, type DbOrTx, queryOne, transaction } from './db';
import { cases, invitations, meetings, pathways, patients } from './db/schema';
import { loadCalendarMeeting, type InvitationRow, type MeetingRow } from './invitations';
import { hashToken } from './tokens';
import { buildGuestLink } from './invitation-mails';

export type GuestTokenResolution =
	| { ok: true; invitation: InvitationRow; meeting: MeetingRow; caseId: string | null }
	| { ok: false; reason: GuestRefusal; message: string };

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{20,100}$/;

/**
 * The invitation behind a guest link, if it may be used now: from 30 minutes before the meeting
 * until its end (`afterEnd` lets a page read the outcome afterwards, up to the link's expiry).
 * Every use is audited, refusals included.
 */
export async function resolveGuestToken(
	token: string,
	now: Date = new Date(),
	options: { ip?: string | null; afterEnd?: boolean } = {}
): Promise<GuestTokenResolution> {
	const ip = options.ip ?? null;
	const db = getDb();
	const inv = TOKEN_SHAPE.test(token)
		? await queryOne(
				db
					.select()
					.from(invitations)
					.where(eq(invitations.tokenHash, hashToken(token)))
			)
		: undefined;
	const meeting = inv?.meetingId
		? await queryOne(db.select().from(meetings).where(eq(meetings.id, inv.meetingId)))
		: undefined;
	if (!inv || !meeting) {
		await recordAudit(
			{ actorType: 'anonymous', actorId: null, ip },
			{ action: 'guest.refused', objectType: 'invitation', detail: { reason: 'unknown' } }
		);
		return { ok: false, reason: 'unknown', message: describeGuestRefusal('unknown') };
	}
	const check = checkGuestWindow(inv, meeting, now, { afterEnd: options.afterEnd });
	const patientId =
		check.ok && inv.caseId
			? ((
					await queryOne(
						db.select({ p: cases.patientId }).from(cases).where(eq(cases.id, inv.caseId))
					)
				)?.p ?? null)
			: null;
	await recordAudit(
		{ actorType: 'guest', actorId: inv.id, ip },
		{
			action: check.ok ? 'guest.access' : 'guest.refused',
			objectType: 'meeting',
			objectId: meeting.id,
			patientId,
			detail: check.ok ? { caseId: inv.caseId } : { reason: check.reason }
		}
	);
	if (!check.ok) return check;
	return { ok: true, invitation: inv, meeting, caseId: inv.caseId };
}

/**
 * The guest's own calendar entry for her slot, from her link: usable from the invitation mail on,
 * so a link that is only early still gets it; unknown, revoked, cancelled or past gives null.
 */
export async function buildGuestCalendarForToken(
	token: string,
	now: Date = new Date(),
	options: { ip?: string | null } = {}
): Promise<string | null> {
	const resolved = await resolveGuestToken(token, now, { ip: options.ip ?? null });
	if (!resolved.ok && resolved.reason !== 'not_yet') return null;
	const meetingId = resolved.ok
		? resolved.meeting.id
		: (
				await queryOne(
					getDb()
						.select({ meetingId: invitations.meetingId })
						.from(invitations)
						.where(eq(invitations.tokenHash, hashToken(token)))
				)
			)?.meetingId;
	const meeting = meetingId ? await loadCalendarMeeting(meetingId) : null;
	return meeting ? buildGuestCalendar(meeting, buildGuestLink(token), now) : null;
}

export function toGuestActor(invitation: InvitationRow): GuestActor {
	return {
		kind: 'guest',
		invitationId: invitation.id,
		meetingId: invitation.meetingId ?? '',
		caseId: invitation.caseId
	};
}

export interface GuestCaseSlot {
	position: number;
	casesBefore: number;
	/** When the case should come up, from the estimated minutes of the cases before it. */
	expectedAt: Date;
	patientLabel: string;
	status: string;
}

/**
 * What the guest page says about the guest's case: its place on the agenda, no more. The
 * patient is named by initials and birth year, which the GP recognises; the access was
 * audited by resolveGuestToken with the patient id.
 */
export async function describeGuestCaseSlot(
	invitation: InvitationRow,
	meeting: MeetingRow,
	tx: DbOrTx = getDb()
): Promise<GuestCaseSlot | null> {
	if (!invitation.caseId) return null;
	const agenda = (
		await tx
			.select({
				id: cases.id,
				position: cases.agendaPosition,
				minutes: cases.estimatedMinutes,
				status: cases.status,
				birthName: patients.birthName,
				firstNames: patients.firstNames,
				sex: patients.sex,
				birthDate: patients.birthDate,
				defaultMinutes: pathways.defaultCaseMinutes
			})
			.from(cases)
			.innerJoin(patients, eq(patients.id, cases.patientId))
			.innerJoin(pathways, eq(pathways.id, cases.pathwayId))
			.where(and(eq(cases.meetingId, meeting.id), ne(cases.status, 'withdrawn')))
	).sort((a, b) => (a.position ?? 1e9) - (b.position ?? 1e9));
	const index = agenda.findIndex((c) => c.id === invitation.caseId);
	const own = agenda[index];
	if (!own) return null;
	const before = agenda.slice(0, index);
	const minutes = before.reduce((sum, c) => sum + (c.minutes ?? c.defaultMinutes), 0);
	const initials = formatPatientInitials(own);
	return {
		position: index + 1,
		casesBefore: before.length,
		expectedAt: new Date(meeting.startsAt.getTime() + minutes * 60_000),
		patientLabel: `${initials}, ${formatBornWord(own.sex)} en ${own.birthDate.slice(0, 4)}`,
		status: own.status
	};
}

/** Cases of the meeting a guest may be invited for (the coordinator's choice list). */
export async function listInvitableCases(
	meetingId: string,
	audit: AuditContext
): Promise<{ id: string; label: string }[]> {
	const rows = (
		await getDb()
			.select({
				id: cases.id,
				position: cases.agendaPosition,
				patientId: patients.id,
				birthName: patients.birthName,
				firstNames: patients.firstNames,
				birthDate: patients.birthDate,
				gpName: cases.gpName
			})
			.from(cases)
			.innerJoin(patients, eq(patients.id, cases.patientId))
			.where(and(eq(cases.meetingId, meetingId), ne(cases.status, 'withdrawn')))
	).sort((a, b) => (a.position ?? 1e9) - (b.position ?? 1e9));
	if (rows.length) {
		await transaction(getDb(), async (tx) => {
			for (const r of rows) {
				await recordAudit(
					audit,
					{
						action: 'case.list',
						objectType: 'rcp_case',
						objectId: r.id,
						patientId: r.patientId,
						detail: { page: 'meeting.invite' }
					},
					tx
				);
			}
		});
	}
	return rows.map((r, i) => ({
		id: r.id,
		label: `${r.position ?? i + 1}. ${r.birthName} ${r.firstNames[0] ?? ''} (${r.birthDate.slice(0, 4)})${r.gpName ? ` — médecin traitant : ${r.gpName}` : ''}`
	}));
}

/** Keeps guest links' hard expiry in step with a moved meeting. */
export async function alignGuestExpiry(
	meeting: Pick<MeetingRow, 'id' | 'endsAt'>,
	tx: DbOrTx
): Promise<void> {
	await tx
		.update(invitations)
		.set({ expiresAt: computeGuestLinkExpiry(meeting.endsAt) })
		.where(and(eq(invitations.meetingId, meeting.id), isNull(invitations.userId)));
}
