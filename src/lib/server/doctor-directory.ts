/**
 * The directory of known doctors the request form offers for the referring doctor and the GP
 * (issue #15): accounts of this instance, and doctors already named on cases the user may see
 * (their own requests, the pathways they coordinate or chair). Only a doctor's identity,
 * RPPS, secure mail address, specialty and establishment ever come out: never which case or
 * patient named them.
 */
import { and, eq, inArray, isNull, like, or, type SQL } from 'drizzle-orm';
import { rankDoctors, type DoctorCandidate } from '$lib/domain/doctor-ranking';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import type { Actor } from './auth/access';
import { getDb } from './db';
import { cases, establishments, users } from './db/schema';
import { formatPersonName } from './users';

export type DirectoryEntry = DoctorCandidate;

/** Words of the query as LIKE patterns (SQLite's LIKE ignores ASCII case). */
function wordPatterns(query: string): string[] {
	return query
		.replace(/[%_\\]/g, ' ')
		.split(/[\s'’-]+/)
		.filter((w) => w.length >= 2 && !/^(dr|pr)\.?$/i.test(w))
		.slice(0, 4)
		.map((w) => `%${w}%`);
}

function rppsQuery(query: string): string | null {
	const digits = query.replace(/\s+/g, '');
	return /^\d{3,11}$/.test(digits) ? digits : null;
}

function searchAccounts(query: string, limit: number): DoctorCandidate[] {
	const rpps = rppsQuery(query);
	const words = wordPatterns(query);
	if (!rpps && !words.length) return [];
	const match: SQL | undefined = rpps
		? like(users.rpps, `${rpps}%`)
		: and(...words.map((w) => or(like(users.firstName, w), like(users.lastName, w))));
	return (
		getDb()
			.select({ u: users, e: establishments })
			.from(users)
			.leftJoin(establishments, eq(establishments.id, users.establishmentId))
			.where(and(isNull(users.disabledAt), match))
			.limit(limit)
			.all()
			// Health professionals only: an account without RPPS nor specialty is staff.
			.filter(({ u }) => u.rpps !== null || u.specialty !== null)
			.map(({ u, e }) => ({
				name: formatPersonName({ ...u, title: u.title ?? 'Dr' }),
				rpps: u.rpps,
				email: u.mssanteAddress ?? null,
				specialty: u.specialty ? getSpecialtyLabel(u.specialty) : null,
				establishment: e?.name ?? null,
				city: e?.city ?? null,
				source: 'user' as const
			}))
	);
}

/** Pathways whose every case the actor sees (canViewCase: coordinators and chairs). */
function overseenPathways(actor: Actor): string[] {
	if (actor.kind !== 'user') return [];
	return actor.memberships
		.filter((m) => m.role === 'coordinator' || m.role === 'chair')
		.map((m) => m.pathwayId);
}

function searchCaseDoctors(actor: Actor, query: string, limit: number): DoctorCandidate[] {
	if (actor.kind !== 'user') return [];
	const rpps = rppsQuery(query);
	const words = wordPatterns(query);
	if (!rpps && !words.length) return [];
	const pathwayIds = overseenPathways(actor);
	const visible = pathwayIds.length
		? or(eq(cases.requesterId, actor.id), inArray(cases.pathwayId, pathwayIds))
		: eq(cases.requesterId, actor.id);
	const roles = [
		{ name: cases.referringName, rpps: cases.referringRpps, email: cases.referringEmail },
		{ name: cases.gpName, rpps: cases.gpRpps, email: cases.gpEmail }
	];
	const found: DoctorCandidate[] = [];
	for (const r of roles) {
		const match = rpps ? like(r.rpps, `${rpps}%`) : and(...words.map((w) => like(r.name, w)));
		const rows = getDb()
			.selectDistinct({ name: r.name, rpps: r.rpps, email: r.email })
			.from(cases)
			.where(and(visible, match))
			.limit(limit)
			.all();
		for (const row of rows) {
			if (!row.name) continue;
			found.push({
				name: row.name,
				rpps: row.rpps,
				email: row.email,
				specialty: null,
				establishment: null,
				city: null,
				source: 'case'
			});
		}
	}
	return found;
}

/**
 * Known doctors matching a name (any order of words, accents ignored in the ranking) or an
 * RPPS (its first digits), best first. Needs two letters or three digits.
 */
export function searchDoctorDirectory(actor: Actor, query: string, limit = 10): DirectoryEntry[] {
	const q = query.trim().slice(0, 100);
	if (actor.kind !== 'user' || q.length < 2) return [];
	const candidates = [...searchAccounts(q, 50), ...searchCaseDoctors(actor, q, 50)];
	return rankDoctors(q, candidates, limit);
}
