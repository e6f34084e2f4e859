/**
 * The directory of known doctors the request form offers for the referring doctor and the GP
 * (issue #15): accounts of this instance, and doctors already named on cases the user may see
 * (their own requests, the pathways they coordinate or chair). Only a doctor's identity,
 * RPPS, secure mail address, specialty and establishment ever come out: never which case or
 * patient named them.
 */
import { and, eq, inArray, isNull, or, type SQL } from 'drizzle-orm';
import { rankDoctors, type DoctorCandidate } from '$lib/domain/doctor-ranking';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import type { Actor } from './auth/access';
import { getDb, likeAnyCase } from './db';
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

async function searchAccounts(query: string, limit: number): Promise<DoctorCandidate[]> {
	const rpps = rppsQuery(query);
	const words = wordPatterns(query);
	if (!rpps && !words.length) return [];
	const match: SQL | undefined = rpps
		? likeAnyCase(users.rpps, `${rpps}%`)
		: and(...words.map((w) => or(likeAnyCase(users.firstName, w), likeAnyCase(users.lastName, w))));
	return (
		(
			await getDb()
				.select({ u: users, e: establishments })
				.from(users)
				.leftJoin(establishments, eq(establishments.id, users.establishmentId))
				.where(and(isNull(users.disabledAt), match))
				.limit(limit)
		)
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

async function searchCaseDoctors(
	actor: Actor,
	query: string,
	limit: number
): Promise<DoctorCandidate[]> {
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
		const match = rpps
			? likeAnyCase(r.rpps, `${rpps}%`)
			: and(...words.map((w) => likeAnyCase(r.name, w)));
		const rows = await getDb()
			.selectDistinct({ name: r.name, rpps: r.rpps, email: r.email })
			.from(cases)
			.where(and(visible, match))
			.limit(limit);
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
export async function searchDoctorDirectory(
	actor: Actor,
	query: string,
	limit = 10
): Promise<DirectoryEntry[]> {
	const q = query.trim().slice(0, 100);
	if (actor.kind !== 'user' || q.length < 2) return [];
	const candidates = [...(await searchAccounts(q, 50)), ...(await searchCaseDoctors(actor, q, 50))];
	return rankDoctors(q, candidates, limit);
}
