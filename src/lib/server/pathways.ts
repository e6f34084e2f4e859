import { asc, eq } from 'drizzle-orm';
import type { QuorumRule } from '$lib/domain/quorum';
import { recordAudit, type AuditContext } from './audit';
import { getDb } from './db';
import { memberships, pathways, users } from './db/schema';

export type PathwayRow = typeof pathways.$inferSelect;

export function listPathways(): PathwayRow[] {
	return getDb().select().from(pathways).orderBy(asc(pathways.name)).all();
}

export function getPathway(id: string): PathwayRow | undefined {
	return getDb().select().from(pathways).where(eq(pathways.id, id)).get();
}

export interface PathwaySettings {
	name: string;
	quorumRule: QuorumRule;
	submissionDeadlineHours: number;
	freshnessDays: number;
	active: boolean;
}

export function updatePathway(id: string, input: PathwaySettings, audit: AuditContext): void {
	getDb().transaction(
		(tx) => {
			tx.update(pathways).set(input).where(eq(pathways.id, id)).run();
			recordAudit(
				audit,
				{
					action: 'pathway.update',
					objectType: 'pathway',
					objectId: id,
					detail: { quorumRule: input.quorumRule }
				},
				tx
			);
		},
		{ behavior: 'immediate' }
	);
}

export interface PathwayMember {
	userId: string;
	name: string;
	specialty: string | null;
	sector: string;
	role: 'coordinator' | 'chair' | 'member';
}

export function listPathwayMembers(pathwayId: string): PathwayMember[] {
	return getDb()
		.select({
			userId: users.id,
			title: users.title,
			firstName: users.firstName,
			lastName: users.lastName,
			specialty: users.specialty,
			sector: users.sector,
			role: memberships.role
		})
		.from(memberships)
		.innerJoin(users, eq(users.id, memberships.userId))
		.where(eq(memberships.pathwayId, pathwayId))
		.orderBy(asc(users.lastName))
		.all()
		.map(({ title, firstName, lastName, ...m }) => ({
			...m,
			name: [title, firstName, lastName].filter(Boolean).join(' ')
		}));
}
