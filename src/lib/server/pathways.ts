import { and, asc, eq, gt, inArray, isNull, sql } from 'drizzle-orm';
import type { QuorumRule } from '$lib/domain/quorum';
import type { ClinicalForm, RcpProfile } from '$lib/domain/rcp-types';
import { getPathwayKind } from '$lib/domain/rcp-types';
import { recordAudit, type AuditContext } from './audit';
import { getDb } from './db';
import {
	establishments,
	meetings,
	memberships,
	pathwayEstablishments,
	pathways,
	users
} from './db/schema';

export type PathwayRow = typeof pathways.$inferSelect;

export function listPathways(): PathwayRow[] {
	return getDb().select().from(pathways).orderBy(asc(pathways.name)).all();
}

export function getPathway(id: string): PathwayRow | undefined {
	return getDb().select().from(pathways).where(eq(pathways.id, id)).get();
}

export interface PathwayListItem extends PathwayRow {
	establishmentNames: string[];
	upcomingMeetings: number;
}

/** Every RCP with its organising establishments and upcoming meetings, in three queries. */
export function listPathwaysForAdmin(now = new Date()): PathwayListItem[] {
	const db = getDb();
	const rows = listPathways();
	const links = db
		.select({ pathwayId: pathwayEstablishments.pathwayId, name: establishments.name })
		.from(pathwayEstablishments)
		.innerJoin(establishments, eq(establishments.id, pathwayEstablishments.establishmentId))
		.orderBy(asc(establishments.name))
		.all();
	const upcoming = new Map(
		db
			.select({ pathwayId: meetings.pathwayId, n: sql<number>`count(*)` })
			.from(meetings)
			.where(and(gt(meetings.startsAt, now), inArray(meetings.status, ['scheduled', 'open'])))
			.groupBy(meetings.pathwayId)
			.all()
			.map((r) => [r.pathwayId, r.n])
	);
	return rows.map((p) => ({
		...p,
		establishmentNames: links.filter((l) => l.pathwayId === p.id).map((l) => l.name),
		upcomingMeetings: upcoming.get(p.id) ?? 0
	}));
}

export function listPathwayEstablishmentIds(pathwayId: string): string[] {
	return getDb()
		.select({ id: pathwayEstablishments.establishmentId })
		.from(pathwayEstablishments)
		.where(eq(pathwayEstablishments.pathwayId, pathwayId))
		.all()
		.map((r) => r.id);
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

export function createPathway(
	code: string,
	input: PathwaySettings,
	audit: AuditContext
): PathwaySaveResult {
	return getDb().transaction(
		(tx) => {
			const clash = tx
				.select({ id: pathways.id })
				.from(pathways)
				.where(eq(pathways.code, code))
				.get();
			if (clash)
				return { ok: false as const, field: 'code', message: 'Une RCP porte déjà ce code.' };
			const id = crypto.randomUUID();
			const { establishmentIds, ...columns } = input;
			tx.insert(pathways)
				.values({ ...columns, id, code, kind: getPathwayKind(input.clinicalForm) })
				.run();
			if (establishmentIds.length)
				tx.insert(pathwayEstablishments)
					.values(establishmentIds.map((establishmentId) => ({ pathwayId: id, establishmentId })))
					.run();
			recordAudit(
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
		},
		{ behavior: 'immediate' }
	);
}

export function updatePathway(id: string, input: PathwaySettings, audit: AuditContext): void {
	getDb().transaction(
		(tx) => {
			const { establishmentIds, ...columns } = input;
			tx.update(pathways)
				.set({ ...columns, kind: getPathwayKind(input.clinicalForm) })
				.where(eq(pathways.id, id))
				.run();
			tx.delete(pathwayEstablishments).where(eq(pathwayEstablishments.pathwayId, id)).run();
			if (establishmentIds.length)
				tx.insert(pathwayEstablishments)
					.values(establishmentIds.map((establishmentId) => ({ pathwayId: id, establishmentId })))
					.run();
			recordAudit(
				audit,
				{
					action: 'pathway.update',
					objectType: 'pathway',
					objectId: id,
					detail: { quorumRule: input.quorumRule, rcpType: input.rcpType, area: input.area }
				},
				tx
			);
		},
		{ behavior: 'immediate' }
	);
}

export type ArchiveResult = { ok: true } | { ok: false; message: string };

/** Archiving closes the RCP to new requests; refused while meetings are still to come. */
export function archivePathway(id: string, audit: AuditContext, now = new Date()): ArchiveResult {
	return getDb().transaction(
		(tx) => {
			const upcoming = tx
				.select({ n: sql<number>`count(*)` })
				.from(meetings)
				.where(
					and(
						eq(meetings.pathwayId, id),
						gt(meetings.startsAt, now),
						inArray(meetings.status, ['scheduled', 'open'])
					)
				)
				.get();
			const n = upcoming?.n ?? 0;
			if (n > 0)
				return {
					ok: false as const,
					message: `Cette RCP a encore ${n === 1 ? 'une séance à venir' : `${n} séances à venir`} : annulez-${n === 1 ? 'la' : 'les'} ou terminez ses séries avant de l’archiver.`
				};
			tx.update(pathways)
				.set({ archivedAt: now, active: false })
				.where(and(eq(pathways.id, id), isNull(pathways.archivedAt)))
				.run();
			recordAudit(audit, { action: 'pathway.archive', objectType: 'pathway', objectId: id }, tx);
			return { ok: true as const };
		},
		{ behavior: 'immediate' }
	);
}

export function restorePathway(id: string, audit: AuditContext): void {
	getDb().transaction(
		(tx) => {
			tx.update(pathways).set({ archivedAt: null, active: true }).where(eq(pathways.id, id)).run();
			recordAudit(audit, { action: 'pathway.restore', objectType: 'pathway', objectId: id }, tx);
		},
		{ behavior: 'immediate' }
	);
}

/** Replaces who holds `role` in the RCP (coordinators or chairs); other roles are kept. */
export function setPathwayRole(
	pathwayId: string,
	role: 'coordinator' | 'chair',
	userIds: string[],
	audit: AuditContext
): void {
	getDb().transaction(
		(tx) => {
			tx.delete(memberships)
				.where(and(eq(memberships.pathwayId, pathwayId), eq(memberships.role, role)))
				.run();
			if (userIds.length)
				tx.insert(memberships)
					.values(userIds.map((userId) => ({ userId, pathwayId, role })))
					.run();
			recordAudit(
				audit,
				{
					action: 'pathway.roles',
					objectType: 'pathway',
					objectId: pathwayId,
					detail: { role, userIds }
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
