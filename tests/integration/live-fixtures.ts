import type { Actor } from '$lib/server/auth/access';
import type { AuditContext } from '$lib/server/audit';
import type { Db } from '$lib/server/db';
import {
	cases,
	invitations,
	meetings,
	memberships,
	pathways,
	patients,
	users
} from '$lib/server/db/schema';
import { generateToken, hashToken } from '$lib/server/tokens';
import { getUser, toActor, toSessionUser, type SessionUser } from '$lib/server/users';

/**
 * A live meeting ready to open: an oncology pathway with its real quorum rule, a chair
 * (medical oncology), an invited surgeon, an invited radiation oncologist, a pathway member
 * not invited, a coordinator, three cases on the agenda, a GP guest invited for case 2, and
 * the pathway's next meeting to receive carried-over cases.
 */
export interface LiveNetwork {
	pathwayId: string;
	meetingId: string;
	nextMeetingId: string;
	caseIds: [string, string, string];
	patientIds: [string, string, string];
	ids: Record<
		'coordinator' | 'chair' | 'surgeon' | 'radiotherapist' | 'uninvited' | 'outsider',
		string
	>;
	guest: { invitationId: string; token: string; caseId: string };
	otherGuest: { invitationId: string; token: string; caseId: string };
	audit: (key: keyof LiveNetwork['ids']) => AuditContext;
	user: (key: keyof LiveNetwork['ids']) => Promise<SessionUser>;
	actor: (key: keyof LiveNetwork['ids']) => Promise<Actor>;
}

/** RPPS numbers are unique across the test file's networks. */
let rppsCounter = 10;

export async function createLiveNetwork(
	db: Db,
	startsAt: Date,
	code = 'onco-live'
): Promise<LiveNetwork> {
	const pathwayId = crypto.randomUUID();
	await db.insert(pathways).values({
		id: pathwayId,
		code,
		name: 'RCP oncologie digestive',
		kind: 'oncology',
		quorumRule: {
			requiredSpecialties: ['visceral_surgery', 'medical_oncology', 'radiation_oncology'],
			minDistinctSpecialties: 3,
			countedSpecialties: null
		},
		defaultCaseMinutes: 10
	});
	const person = async (
		first: string,
		last: string,
		specialty: string | null,
		role: 'coordinator' | 'chair' | 'member' | null
	): Promise<string> => {
		const id = crypto.randomUUID();
		await db.insert(users).values({
			id,
			email: `${first}.${code}@test.pluri.fr`,
			title: specialty ? 'Dr' : 'Mme',
			firstName: first,
			lastName: last,
			rpps: specialty ? `100990${String(rppsCounter++).padStart(5, '0')}` : null,
			specialty,
			sector: 'establishment'
		});
		if (role) await db.insert(memberships).values({ userId: id, pathwayId, role });
		return id;
	};
	const ids = {
		coordinator: await person('Claire', 'Bernard', null, 'coordinator'),
		chair: await person('Hélène', 'Rousseau', 'medical_oncology', 'chair'),
		surgeon: await person('Julien', 'Moreau', 'visceral_surgery', 'member'),
		radiotherapist: await person('Nicolas', 'Garnier', 'radiation_oncology', 'member'),
		uninvited: await person('Emma', 'Blanc', 'pathology', 'member'),
		outsider: await person('Anne', 'Lefèvre', 'thoracic_surgery', null)
	};
	const meetingId = crypto.randomUUID();
	const nextMeetingId = crypto.randomUUID();
	for (const [id, at] of [
		[meetingId, startsAt],
		[nextMeetingId, new Date(startsAt.getTime() + 7 * 86_400_000)]
	] as const) {
		await db.insert(meetings).values({
			id,
			pathwayId,
			startsAt: at,
			endsAt: new Date(at.getTime() + 90 * 60_000),
			chairId: ids.chair,
			deadlineAt: new Date(at.getTime() - 48 * 3_600_000),
			place: 'Salle de staff 2'
		});
	}
	for (const key of ['surgeon', 'radiotherapist'] as const) {
		await db.insert(invitations).values({ meetingId, userId: ids[key], reply: 'accepted' });
	}
	const names = [
		['DURAND', 'Jean', '1954-03-12'],
		['MARTIN', 'Lucie', '1961-07-02'],
		['PETIT', 'Marc', '1949-11-23']
	] as const;
	const patientIds = (await Promise.all(
		names.map(async ([birthName, first, birthDate]) => {
			const id = crypto.randomUUID();
			await db.insert(patients).values({ id, birthName, firstNames: [first], sex: 'M', birthDate });
			return id;
		})
	)) as [string, string, string];
	const caseIds = (await Promise.all(
		patientIds.map(async (patientId, i) => {
			const id = crypto.randomUUID();
			await db.insert(cases).values({
				id,
				patientId,
				pathwayId,
				meetingId,
				requesterId: ids.surgeon,
				question: `Question du dossier ${i + 1}`,
				summary: `Résumé du dossier ${i + 1}`,
				status: 'scheduled',
				agendaPosition: i + 1,
				estimatedMinutes: 10
			});
			return id;
		})
	)) as [string, string, string];
	const guestFor = async (caseId: string, name: string) => {
		const token = generateToken();
		const invitationId = crypto.randomUUID();
		await db.insert(invitations).values({
			id: invitationId,
			meetingId,
			caseId,
			guestName: name,
			guestEmail: `${name.replace(/\W/g, '').toLowerCase()}@test.mssante.fr`,
			tokenHash: hashToken(token),
			expiresAt: new Date(startsAt.getTime() + 30 * 86_400_000)
		});
		return { invitationId, token, caseId };
	};
	const user = async (key: keyof typeof ids) => toSessionUser((await getUser(ids[key]))!);
	return {
		pathwayId,
		meetingId,
		nextMeetingId,
		caseIds,
		patientIds,
		ids,
		guest: await guestFor(caseIds[1], 'Dr Pierre Renaud'),
		otherGuest: await guestFor(caseIds[2], 'Dr Chloé Vincent'),
		audit: (key) => ({ actorType: 'user', actorId: ids[key], ip: '10.0.0.2' }),
		user,
		actor: async (key) => toActor(await user(key))
	};
}
