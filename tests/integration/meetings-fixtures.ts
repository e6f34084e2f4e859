import { cases, memberships, pathways, patients, users } from '$lib/server/db/schema';
import type { Db } from '$lib/server/db';
import type { AuditContext } from '$lib/server/audit';

export interface Network {
	pathwayId: string;
	coordinatorId: string;
	chairId: string;
	memberIds: string[];
	outsiderId: string;
	patientId: string;
	caseId: string;
	coordinator: AuditContext;
}

/** A small pathway: a coordinator, a chair, two members, a doctor of another pathway, a case. */
export async function createNetwork(db: Db, code = 'onco-digestive'): Promise<Network> {
	const pathwayId = crypto.randomUUID();
	await db.insert(pathways).values({
		id: pathwayId,
		code,
		name: 'RCP oncologie digestive',
		kind: 'oncology',
		quorumRule: {
			requiredSpecialties: [],
			minDistinctSpecialties: 2,
			countedSpecialties: null
		},
		submissionDeadlineHours: 48
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
			email: `${key}.${code}@test.pluri.fr`,
			title: rpps ? 'Dr' : 'Mme',
			firstName: key,
			lastName,
			rpps,
			specialty,
			sector: 'establishment',
			mssanteAddress: rpps ? `${key}.${code}@test.mssante.fr` : null
		});
		if (role) await db.insert(memberships).values({ userId: id, pathwayId, role });
		return id;
	};
	const suffix = code.length.toString().padStart(2, '0');
	const coordinatorId = await person('claire', 'Bernard', null, null, 'coordinator');
	const chairId = await person(
		'helene',
		'Rousseau',
		'medical_oncology',
		`100990001${suffix}`,
		'chair'
	);
	const memberIds = [
		await person('julien', 'Moreau', 'visceral_surgery', `100990002${suffix}`, 'member'),
		await person('nicolas', 'Garnier', 'radiation_oncology', `100990003${suffix}`, 'member')
	];
	const outsiderId = await person(
		'anne',
		'Lefevre',
		'thoracic_surgery',
		`100990004${suffix}`,
		null
	);
	const patientId = crypto.randomUUID();
	await db.insert(patients).values({
		id: patientId,
		birthName: 'DURAND',
		firstNames: ['Jean', 'Michel'],
		sex: 'M',
		birthDate: '1954-03-12'
	});
	const caseId = crypto.randomUUID();
	await db.insert(cases).values({
		id: caseId,
		patientId,
		pathwayId,
		requesterId: memberIds[0]!,
		question: 'Résécabilité ?',
		summary: 'Adénocarcinome du côlon.',
		gpName: 'Dr Pierre Renaud',
		gpEmail: `gp.${code}@test.mssante.fr`
	});
	return {
		pathwayId,
		coordinatorId,
		chairId,
		memberIds,
		outsiderId,
		patientId,
		caseId,
		coordinator: { actorType: 'user', actorId: coordinatorId, ip: '10.0.0.1' }
	};
}
