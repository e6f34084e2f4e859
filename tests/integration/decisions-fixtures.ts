import { eq } from 'drizzle-orm';
import { computeInsKey, insOids } from '$lib/domain/ins';
import type { AuditContext } from '$lib/server/audit';
import { type Db, queryOne } from '$lib/server/db';
import {
	attendance,
	cases,
	establishments,
	meetings,
	memberships,
	pathways,
	patients,
	users
} from '$lib/server/db/schema';
import type { DecisionContent } from '$lib/domain/decision';

const H = 3_600_000;

export interface DecisionWorld {
	pathwayId: string;
	chairId: string;
	otherChairId: string;
	surgeonId: string;
	radiotherapistId: string;
	coordinatorId: string;
	outsiderId: string;
	patientId: string;
	chair: AuditContext;
	otherChair: AuditContext;
	coordinator: AuditContext;
	/** An open meeting chaired by `chairId`, with one case scheduled on it. */
	newMeeting(status?: 'scheduled' | 'open' | 'closed', startsAt?: Date): Promise<string>;
	newCase(meetingId: string, over?: Partial<typeof cases.$inferInsert>): Promise<string>;
	/** Checks people in (the chair counts too): enough for the INCa quorum with all three. */
	checkIn(meetingId: string, userIds: string[]): Promise<void>;
	quorumPeople: string[];
}

let counter = 0;

/** An oncology pathway with the INCa rule, its doctors, a qualified patient, in a fresh database. */
export async function createDecisionWorld(db: Db): Promise<DecisionWorld> {
	const n = ++counter;
	const estId = crypto.randomUUID();
	await db.insert(establishments).values({
		id: estId,
		finess: `71009${String(9900 + n).padStart(4, '0')}`,
		name: 'Centre hospitalier de test',
		city: 'Chalon-sur-Saône',
		kind: 'hospital'
	});
	const pathwayId = crypto.randomUUID();
	await db.insert(pathways).values({
		id: pathwayId,
		code: `onco-dig-${n}`,
		name: 'RCP oncologie digestive',
		kind: 'oncology',
		quorumRule: {
			requiredSpecialties: ['visceral_surgery', 'medical_oncology', 'radiation_oncology'],
			minDistinctSpecialties: 3,
			countedSpecialties: null
		}
	});
	const person = async (
		key: string,
		lastName: string,
		specialty: string | null,
		rpps: string | null,
		role: 'coordinator' | 'chair' | 'member' | null
	): Promise<string> => {
		const id = crypto.randomUUID();
		await db.insert(users).values({
			id,
			email: `${key}.${n}@test.pluri.fr`,
			title: rpps ? 'Dr' : 'Mme',
			firstName: key[0]!.toUpperCase() + key.slice(1),
			lastName,
			rpps,
			specialty,
			sector: 'establishment',
			establishmentId: estId,
			mssanteAddress: rpps ? `${key}.${n}@test.mssante.fr` : null
		});
		if (role) await db.insert(memberships).values({ userId: id, pathwayId, role });
		return id;
	};
	const rpps = (i: number) => {
		// Valid Luhn RPPS numbers are not needed here: the FHIR identifier only prefixes « 8 ».
		return `1009900${String(n).padStart(2, '0')}${String(i).padStart(2, '0')}`;
	};
	const chairId = await person('helene', 'Rousseau', 'medical_oncology', rpps(1), 'chair');
	const otherChairId = await person('camille', 'Faure', 'medical_oncology', rpps(2), 'chair');
	const surgeonId = await person('julien', 'Moreau', 'visceral_surgery', rpps(3), 'member');
	const radiotherapistId = await person(
		'nicolas',
		'Garnier',
		'radiation_oncology',
		rpps(4),
		'member'
	);
	const coordinatorId = await person('claire', 'Bernard', null, null, 'coordinator');
	const outsiderId = await person('anne', 'Lefevre', 'thoracic_surgery', rpps(5), null);
	const first13 = `1540371076${String(100 + n).slice(-3)}`;
	const patientId = crypto.randomUUID();
	await db.insert(patients).values({
		id: patientId,
		insMatricule: first13 + computeInsKey(first13),
		insOid: insOids.test,
		birthName: 'DURAND',
		firstNames: ['Jean', 'Michel'],
		sex: 'M',
		birthDate: '1954-03-12',
		birthplaceCode: '71076',
		identityStatus: 'qualified'
	});
	const ctx = (id: string): AuditContext => ({ actorType: 'user', actorId: id, ip: '10.0.0.9' });
	let meetingCount = 0;
	return {
		pathwayId,
		chairId,
		otherChairId,
		surgeonId,
		radiotherapistId,
		coordinatorId,
		outsiderId,
		patientId,
		chair: ctx(chairId),
		otherChair: ctx(otherChairId),
		coordinator: ctx(coordinatorId),
		quorumPeople: [chairId, surgeonId, radiotherapistId],
		async newMeeting(
			status = 'open',
			startsAt = new Date(Date.now() + ++meetingCount * 7 * 24 * H)
		) {
			const id = crypto.randomUUID();
			await db.insert(meetings).values({
				id,
				pathwayId,
				startsAt,
				endsAt: new Date(startsAt.getTime() + 1.5 * H),
				deadlineAt: new Date(startsAt.getTime() - 48 * H),
				status,
				chairId,
				place: 'Salle de staff 2',
				openedAt: status === 'open' ? new Date() : null
			});
			return id;
		},
		async newCase(meetingId, over = {}) {
			const id = crypto.randomUUID();
			await db.insert(cases).values({
				id,
				patientId,
				pathwayId,
				meetingId,
				requesterId: surgeonId,
				question: 'Chirurgie d’emblée ou radiochimiothérapie préopératoire ?',
				summary: 'Adénocarcinome du bas rectum, T3 N1.',
				pathwayData: {
					primarySite: 'C20',
					histology: 'Adénocarcinome',
					phase: 'initial',
					cT: 'T3',
					cN: 'N1',
					cM: 'M0',
					who: '0'
				},
				gpName: 'Dr Pierre Renaud',
				gpRpps: '10099000159',
				gpEmail: `gp.${n}@test.mssante.fr`,
				status: 'scheduled',
				agendaPosition: 1,
				...over
			});
			return id;
		},
		async checkIn(meetingId, userIds) {
			for (const userId of userIds) {
				const u = (await queryOne(db.select().from(users).where(eq(users.id, userId))))!;
				await db.insert(attendance).values({
					meetingId,
					userId,
					identity: `checkin:user:${userId}`,
					displayName: `${u.title} ${u.firstName} ${u.lastName}`,
					specialty: u.specialty,
					joinedAt: new Date(),
					source: 'check_in'
				});
			}
		}
	};
}

export const proposal = (over: Partial<DecisionContent> = {}): DecisionContent => ({
	proposalTypes: ['radiotherapy', 'chemotherapy', 'surgery'],
	text: 'Radiochimiothérapie préopératoire puis résection antérieure du rectum avec exérèse totale du mésorectum.',
	conformity: 'conform',
	justification: null,
	trialProposed: false,
	trialName: null,
	followUp: 'IRM pelvienne de réévaluation à 6 semaines.',
	...over
});
