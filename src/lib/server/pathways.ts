import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { QuorumRule } from '$lib/domain/quorum';
import type { ClinicalForm, RcpProfile } from '$lib/domain/rcp-types';
import { getPathwayKind } from '$lib/domain/rcp-types';
import { recordAudit, type AuditContext } from './audit';
import { getDb, queryOne, transaction } from './db';
import {
	establishments,
	meetings,
	memberships,
	pathwayEstablishments,
	pathways,
	users
} from './db/schema';

export type PathwayRow = typeof pathways.$inferSelect;

export async function listPathways(): Promise<PathwayRow[]> {
	return await getDb().select().from(pathways).orderBy(asc(pathways.name));
}

export async function getPathway(id: string): Promise<PathwayRow | undefined> {
	return await queryOne(getDb().select().from(pathways).where(eq(pathways.id, id)));
}

export interface PathwayListItem extends PathwayRow {
	establishmentNames: string[];
	upcomingMeetings: number;
}

/** Every RCP with its organising establishments and upcoming meetings, in three queries. */
export async function listPathwaysForAdmin(now = new Date()): Promise<PathwayListItem[]> {
	const db = getDb();
	const rows = await listPathways();
	const links = await db
		.select({ pathwayId: pathwayEstablishments.pathwayId, name: establishments.name })
		.from(pathwayEstablishments)
		.innerJoin(establishments, eq(establishments.id, pathwayEstablishments.establishmentId))
		.orderBy(asc(establishments.name));
	const upcoming = new Map(
		(
			await db
				.select({ pathwayId: meetings.pathwayId, n: sql<number>`count(*)`.mapWith(Number) })
				.from(meetings)
				.where(and(gt(meetings.startsAt, now), inArray(meetings.status, ['scheduled', 'open'])))
				.groupBy(meetings.pathwayId)
		).map((r) => [r.pathwayId, r.n])
	);
	return rows.map((p) => ({
		...p,
		establishmentNames: links.filter((l) => l.pathwayId === p.id).map((l) => l.name),
		upcomingMeetings: upcoming.get(p.id) ?? 0
	}));
}

export async function listPathwayEstablishmentIds(pathwayId: string): Promise<string[]> {
	return (
		await getDb()
			.select({ id: pathwayEstablishments.establishmentId })
			.from(pathwayEstablishments)
			.where(eq(pathwayEstablishments.pathwayId, pathwayId))
	).map((r) => r.id);
}

export interface PathwaySettings extends RcpProfile {
	name: string;
	clinicalForm: ClinicalForm;
	quorumRule: QuorumRule;
	submissionDeadlineHours: number;
	freshnessDays: number;
	/** Omitted at creation: the column's default (120 s) applies. */
	presenceGraceSeconds?: number;
	active: boolean;
	establishmentIds: string[];
}

export type PathwaySaveResult =
	{ ok: true; id: string } | { ok: false; field: string; message: string };

export async function createPathway(
	code: string,
	input: PathwaySettings,
	audit: AuditContext
): Promise<PathwaySaveResult> {
	return transaction(getDb(), async (tx): Promise<PathwaySaveResult> => {
		const clash = await queryOne(
			tx.select({ id: pathways.id }).from(pathways).where(eq(pathways.code, code))
		);
		if (clash) return { ok: false as const, field: 'code', message: 'Une RCP porte déjà ce code.' };
		const id = crypto.randomUUID();
		const { establishmentIds, ...columns } = input;
		await tx
			.insert(pathways)
			.values({ ...columns, id, code, kind: getPathwayKind(input.clinicalForm) });
		if (establishmentIds.length)
			await tx
				.insert(pathwayEstablishments)
				.values(establishmentIds.map((establishmentId) => ({ pathwayId: id, establishmentId })));
		await recordAudit(
			audit,
			{
				action: 'pathway.create',
				objectType: 'pathway',
				objectId: id,
				detail: { code, ...input }
			},
			tx
		);
		return { ok: true as const, id };
	});
}

export async function updatePathway(
	id: string,
	input: PathwaySettings,
	audit: AuditContext
): Promise<void> {
	await transaction(getDb(), async (tx) => {
		const { establishmentIds, ...columns } = input;
		await tx
			.update(pathways)
			.set({ ...columns, kind: getPathwayKind(input.clinicalForm) })
			.where(eq(pathways.id, id));
		await tx.delete(pathwayEstablishments).where(eq(pathwayEstablishments.pathwayId, id));
		if (establishmentIds.length)
			await tx
				.insert(pathwayEstablishments)
				.values(establishmentIds.map((establishmentId) => ({ pathwayId: id, establishmentId })));
		await recordAudit(
			audit,
			{
				action: 'pathway.update',
				objectType: 'pathway',
				objectId: id,
				detail: { quorumRule: input.quorumRule, rcpType: input.rcpType, area: input.area }
			},
			tx
		);
	});
}

export type ArchiveResult = { ok: true } | { ok: false; message: string };

/** Archiving closes the RCP to new requests; refused while meetings are still to come. */
export async function archivePathway(
	id: string,
	audit: AuditContext,
	now = new Date()
): Promise<ArchiveResult> {
	return transaction(getDb(), async (tx): Promise<ArchiveResult> => {
		const upcoming = await queryOne(
			tx
				.select({ n: sql<number>`count(*)`.mapWith(Number) })
				.from(meetings)
				.where(
					and(
						eq(meetings.pathwayId, id),
						gt(meetings.startsAt, now),
						inArray(meetings.status, ['scheduled', 'open'])
					)
				)
		);
		const n = upcoming?.n ?? 0;
		if (n > 0)
			return {
				ok: false as const,
				message: `Cette RCP a encore ${n === 1 ? 'une séance à venir' : `${n} séances à venir`} : annulez-${n === 1 ? 'la' : 'les'} ou terminez ses séries avant de l’archiver.`
			};
		await tx
			.update(pathways)
			.set({ archivedAt: now, active: false })
			.where(and(eq(pathways.id, id), isNull(pathways.archivedAt)));
		await recordAudit(
			audit,
			{ action: 'pathway.archive', objectType: 'pathway', objectId: id },
			tx
		);
		return { ok: true as const };
	});
}

export async function restorePathway(id: string, audit: AuditContext): Promise<void> {
	await transaction(getDb(), async (tx) => {
		await tx.update(pathways).set({ archivedAt: null, active: true }).where(eq(pathways.id, id));
		await recordAudit(
			audit,
			{ action: 'pathway.restore', objectType: 'pathway', objectId: id },
			tx
		);
	});
}

/** Replaces who holds `role` in the RCP (coordinators or chairs); other roles are kept. */
export async function setPathwayRole(
	pathwayId: string,
	role: 'coordinator' | 'chair',
	userIds: string[],
	audit: AuditContext
): Promise<void> {
	await transaction(getDb(), async (tx) => {
		await tx
			.delete(memberships)
			.where(and(eq(memberships.pathwayId, pathwayId), eq(memberships.role, role)));
		if (userIds.length)
			await tx.insert(memberships).values(userIds.map((userId) => ({ userId, pathwayId, role })));
		await recordAudit(
			audit,
			{
				action: 'pathway.roles',
				objectType: 'pathway',
				objectId: pathwayId,
				detail: { role, userIds }
			},
			tx
		);
	});
}

export interface PathwayMember {
	userId: string;
	name: string;
	specialty: string | null;
	sector: string;
	role: 'coordinator' | 'chair' | 'member';
}

export async function listPathwayMembers(pathwayId: string): Promise<PathwayMember[]> {
	return (
		await getDb()
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
	).map(({ title, firstName, lastName, ...m }) => ({
		...m,
		name: [title, firstName, lastName].filter(Boolean).join(' ')
	}));
}
