import { and, eq, isNotNull } from 'drizzle-orm';
import { deriveDeliveryKey } from '$lib/domain/decision';
import { evaluateQuorum } from '$lib/domain/quorum';
import {
	caseEvents,
	cases,
	decisions,
	meetings,
	memberships,
	outbox,
	pathways,
	users
} from '../db/schema';
import type { AttendeeSnapshot } from '../db/schema';
import type { SeedContext } from './context';
import { queryOne } from '../db';

/**
 * Validated decisions for the cases the demo shows as decided at each pathway's past meeting:
 * the proposal, the attendees and quorum of that meeting, the chair's validation, and their
 * delivery to the requester already done — the history a new user finds on first start.
 */

interface DemoProposal {
	types: string[];
	text: string;
	conformity: 'conform' | 'off_guideline';
	justification?: string;
	trial?: string;
	followUp?: string;
}

/** By the question the demo case asks (demo/cases.ts). */
const proposals: Record<string, DemoProposal> = {
	'Chirurgie d’emblée ?': {
		types: ['surgery'],
		text: 'Colectomie gauche par cœlioscopie avec curage ganglionnaire. Rediscussion en RCP après l’examen anatomopathologique de la pièce.',
		conformity: 'conform',
		followUp: 'Consultation d’annonce chirurgicale sous quinze jours.'
	},
	'Chimiothérapie adjuvante ?': {
		types: ['chemotherapy'],
		text: 'Chimiothérapie adjuvante par FOLFOX, six mois, à débuter dans les huit semaines suivant la chirurgie.',
		conformity: 'conform',
		trial: 'IDEA-France (durée de l’oxaliplatine)'
	},
	'Lobectomie ?': {
		types: ['surgery'],
		text: 'Lobectomie supérieure gauche avec curage ganglionnaire médiastinal par vidéothoracoscopie.',
		conformity: 'conform'
	},
	'Radiochimiothérapie ?': {
		types: ['radiotherapy', 'chemotherapy', 'immunotherapy'],
		text: 'Radiochimiothérapie concomitante (cisplatine-étoposide), puis immunothérapie de consolidation par durvalumab pendant un an.',
		conformity: 'conform'
	},
	'Radiothérapie adjuvante ?': {
		types: ['radiotherapy', 'hormone_therapy'],
		text: 'Radiothérapie du sein restant puis hormonothérapie adjuvante par inhibiteur de l’aromatase pendant cinq ans.',
		conformity: 'conform'
	},
	'Thérapie ciblée anti-HER2 ?': {
		types: ['chemotherapy', 'targeted_therapy'],
		text: 'Chimiothérapie néoadjuvante associée au trastuzumab et au pertuzumab, puis chirurgie.',
		conformity: 'conform'
	},
	'Défibrillateur en prévention primaire ?': {
		types: ['device_implantation', 'therapy_titration'],
		text: 'Implantation d’un défibrillateur automatique en prévention primaire ; poursuite de la titration du sacubitril-valsartan.',
		conformity: 'conform'
	},
	'Réadaptation cardiaque ?': {
		types: ['cardiac_rehabilitation'],
		text: 'Réadaptation cardiaque en hospitalisation de jour, vingt séances.',
		conformity: 'off_guideline',
		justification: 'Hospitalisation complète non souhaitée par le patient, aidant au domicile.'
	}
};

const fallback: DemoProposal = {
	types: [],
	text: 'Proposition de démonstration.',
	conformity: 'conform'
};

export async function seedDemoDecisions(ctx: SeedContext): Promise<void> {
	const { tx } = ctx;
	const decided = await tx
		.select({ c: cases, m: meetings, kind: pathways.kind, rule: pathways.quorumRule })
		.from(cases)
		.innerJoin(meetings, eq(meetings.id, cases.meetingId))
		.innerJoin(pathways, eq(pathways.id, cases.pathwayId))
		.where(and(eq(cases.status, 'decided'), eq(meetings.status, 'closed')));
	for (const { c, m, rule } of decided) {
		const doctors = (
			await tx
				.select({ u: users })
				.from(memberships)
				.innerJoin(users, eq(users.id, memberships.userId))
				.where(and(eq(memberships.pathwayId, c.pathwayId), isNotNull(users.rpps)))
		).map(({ u }) => u);
		const byId = new Map(doctors.map((u) => [u.id, u]));
		if (m.chairId && !byId.has(m.chairId)) {
			const chair = await queryOne(tx.select().from(users).where(eq(users.id, m.chairId)));
			if (chair) byId.set(chair.id, chair);
		}
		const present = [...byId.values()];
		const attendees: AttendeeSnapshot[] = present
			.map((u) => ({
				name: [u.title, u.firstName, u.lastName].filter(Boolean).join(' '),
				specialty: u.specialty,
				sector: u.sector,
				rpps: u.rpps,
				source: 'check_in'
			}))
			.sort((a, b) => a.name.localeCompare(b.name, 'fr'));
		const quorum = evaluateQuorum(
			rule,
			present.map((u) => ({ personId: u.id, specialty: u.specialty, isGp: u.sector === 'gp' })),
			[]
		);
		const p = proposals[c.question] ?? fallback;
		const validatedAt = new Date(m.startsAt.getTime() + 10 * 60_000);
		const decisionId = crypto.randomUUID();
		await tx.insert(decisions).values({
			id: decisionId,
			caseId: c.id,
			meetingId: m.id,
			version: 1,
			status: 'validated',
			proposalTypes: p.types,
			text: p.text,
			conformity: p.conformity,
			justification: p.justification ?? null,
			trialProposed: p.trial !== undefined,
			trialName: p.trial ?? null,
			followUp: p.followUp ?? null,
			quorumReached: quorum.reached,
			missingSpecialties: quorum.missingRequired,
			attendeesSnapshot: attendees,
			validatedBy: m.chairId,
			validatedAt,
			updatedBy: m.chairId,
			createdAt: m.startsAt,
			updatedAt: validatedAt
		});
		const requester = await queryOne(tx.select().from(users).where(eq(users.id, c.requesterId)));
		const address = requester?.mssanteAddress ?? requester?.email;
		const deliveredAt = new Date(validatedAt.getTime() + 60_000);
		if (address) {
			await tx.insert(outbox).values({
				decisionId,
				channel: 'mail',
				recipient: address,
				idempotencyKey: deriveDeliveryKey(decisionId, 'mail', address),
				status: 'delivered',
				attempts: 1,
				nextAttemptAt: validatedAt,
				deliveredAt,
				createdAt: validatedAt
			});
		}
		await tx
			.update(cases)
			.set({ status: 'delivered', updatedAt: deliveredAt })
			.where(eq(cases.id, c.id));
		await tx.insert(caseEvents).values({
			caseId: c.id,
			at: deliveredAt,
			actorId: null,
			kind: 'delivered',
			fromStatus: 'decided',
			toStatus: 'delivered',
			meetingId: m.id,
			note: 'Proposition (version 1) transmise au médecin demandeur.'
		});
	}
}
