import { and, asc, desc, eq, gt, gte, inArray, lt, lte, sql, type SQL } from 'drizzle-orm';
import {
	describeDeniedEntry,
	labelAuditAction,
	labelAuditActor,
	labelAuditObject
} from '$lib/domain/audit-labels';
import { getDb, queryOne, queryRows, unindexed, instantParam } from './db';
import { auditEvents, users } from './db/schema';

export const AUDIT_PAGE_SIZE = 50;
/** Beyond this many matching accounts the search must be narrowed (one index walk each). */
const ACTOR_LIST_LIMIT = 50;

export interface AuditFilters {
	/** Part of a user's name or e-mail, or « système », « anonyme ». */
	actor: string | null;
	patientId: string | null;
	action: string | null;
	/** Inclusive start and exclusive end (Paris days already turned into instants). */
	from: Date | null;
	to: Date | null;
}

export interface AuditLine {
	seq: number;
	at: Date;
	actorType: string;
	actor: string;
	actorEmail: string | null;
	action: string;
	actionLabel: string;
	object: string | null;
	objectId: string | null;
	patientId: string | null;
	ip: string | null;
	/** For a refused access: the route and entry aimed at. */
	denied: string | null;
}

export interface AuditPage {
	lines: AuditLine[];
	/** Cursors for « plus anciennes » (seq < older) and « plus récentes » (seq > newer). */
	older: number | null;
	newer: number | null;
	/** The actor search matched too many accounts to be run. */
	tooManyActors: boolean;
}

const actorKinds: { type: 'system' | 'anonymous'; words: string[] }[] = [
	{ type: 'system', words: ['système', 'systeme'] },
	{ type: 'anonymous', words: ['anonyme'] }
];

function likePattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export type ActorMatch =
	| { ok: true; userIds: string[]; kinds: ('system' | 'anonymous')[] }
	| { ok: false; tooMany: boolean };

/** The accounts (and kinds of actor) an actor search names; past ACTOR_LIST_LIMIT accounts it must be narrowed. */
export async function matchActors(search: string): Promise<ActorMatch> {
	const pattern = likePattern(search.toLowerCase());
	const userIds = (
		await getDb()
			.select({ id: users.id })
			.from(users)
			.where(
				sql`(lower(${users.email}) like ${pattern} escape '\\'
			or lower(${users.firstName} || ' ' || ${users.lastName}) like ${pattern} escape '\\'
			or lower(${users.lastName} || ' ' || ${users.firstName}) like ${pattern} escape '\\')`
			)
			.limit(ACTOR_LIST_LIMIT + 1)
	).map((u) => u.id);
	if (userIds.length > ACTOR_LIST_LIMIT) return { ok: false, tooMany: true };
	const word = search.toLowerCase();
	const kinds = actorKinds
		.filter((k) => k.words.some((w) => w.startsWith(word)))
		.map((k) => k.type);
	return userIds.length || kinds.length
		? { ok: true, userIds, kinds }
		: { ok: false, tooMany: false };
}

/**
 * One condition per matching actor, each walking audit_actor_idx in seq order (the account's
 * id, or the null ids of « système » and « anonyme »); `+` keeps SQLite on the patient index
 * instead when a patient is asked for (fewer rows).
 */
function actorArms(match: { userIds: string[]; kinds: string[] }, indexed: boolean): SQL[] {
	const actorId = indexed ? sql`${auditEvents.actorId}` : unindexed(auditEvents.actorId);
	return [
		...match.userIds.map((id) => sql`(${auditEvents.actorType} = 'user' and ${actorId} = ${id})`),
		...match.kinds.map((k) => sql`(${actorId} is null and ${auditEvents.actorType} = ${k})`)
	];
}

/** Audit rows are appended in time order, give or take a writer waiting for the lock. */
const CLOCK_MARGIN_MS = 3_600_000;

/**
 * The date range as a seq range (two seeks in audit_at_idx) plus the exact test on `at`
 * (unindexed: `+at`), so the page walks the primary key or another index in seq order
 * instead of sorting every row of the range.
 */
async function dateConditions(from: Date | null, to: Date | null): Promise<SQL[]> {
	const db = getDb();
	const conditions: SQL[] = [];
	if (from) {
		const lo = await queryOne(
			db
				.select({ seq: auditEvents.seq })
				.from(auditEvents)
				.where(gte(auditEvents.at, new Date(from.getTime() - CLOCK_MARGIN_MS)))
				.orderBy(asc(auditEvents.at))
				.limit(1)
		);
		conditions.push(gte(auditEvents.seq, lo?.seq ?? Number.MAX_SAFE_INTEGER));
		conditions.push(sql`${unindexed(auditEvents.at)} >= ${instantParam(from)}`);
	}
	if (to) {
		const hi = await queryOne(
			db
				.select({ seq: auditEvents.seq })
				.from(auditEvents)
				.where(lt(auditEvents.at, new Date(to.getTime() + CLOCK_MARGIN_MS)))
				.orderBy(desc(auditEvents.at))
				.limit(1)
		);
		conditions.push(lte(auditEvents.seq, hi?.seq ?? 0));
		conditions.push(sql`${unindexed(auditEvents.at)} < ${instantParam(to)}`);
	}
	return conditions;
}

type Direction = 'older' | 'newer';

/**
 * The seqs of up to `limit` matching rows beyond `bound`, nearest first. With several actors,
 * one indexed arm per actor, each limited, merged by SQLite (never a sort of all their rows).
 */
async function pickSeqs(
	conditions: SQL[],
	arms: SQL[] | null,
	bound: SQL | undefined,
	direction: Direction,
	limit: number
): Promise<number[]> {
	const order = direction === 'older' ? desc(auditEvents.seq) : asc(auditEvents.seq);
	const arm = (actor: SQL | undefined) =>
		getDb()
			.select({ seq: auditEvents.seq })
			.from(auditEvents)
			.where(and(actor, ...conditions, bound))
			.orderBy(order)
			.limit(limit);
	if (!arms || arms.length === 1) return (await arm(arms?.[0])).map((r) => r.seq);
	const union = sql.join(
		arms.map((a) => sql`select seq from (${arm(a).getSQL()}) as arm`),
		sql` union all `
	);
	const rows = await queryRows<{ seq: number }>(
		getDb(),
		sql`select seq from (${union}) as trail order by seq ${direction === 'older' ? sql`desc` : sql`asc`} limit ${limit}`
	);
	return rows.map((r) => r.seq);
}

async function selectLines(seqs: number[]) {
	if (!seqs.length) return [];
	return await getDb()
		.select({
			seq: auditEvents.seq,
			at: auditEvents.at,
			actorType: auditEvents.actorType,
			actorId: auditEvents.actorId,
			action: auditEvents.action,
			objectType: auditEvents.objectType,
			objectId: auditEvents.objectId,
			patientId: auditEvents.patientId,
			ip: auditEvents.ip,
			// Only a refusal's detail is read (route and entry): others may name a patient.
			detail: sql<
				string | null
			>`case when ${auditEvents.action} = 'access.denied' then ${auditEvents.detail} end`,
			title: users.title,
			firstName: users.firstName,
			lastName: users.lastName,
			email: users.email
		})
		.from(auditEvents)
		.leftJoin(users, and(eq(auditEvents.actorType, 'user'), eq(users.id, auditEvents.actorId)))
		.where(inArray(auditEvents.seq, seqs))
		.orderBy(desc(auditEvents.seq));
}

/**
 * One page of the trail, newest first, by seq (keyset: `before` = older than that seq,
 * `after` = newer). A fixed number of statements whatever the size of the trail (seqs, rows
 * with names joined in SQL, one existence check; two date seeks), all walking indexes.
 * No patient data: the patient is its id; `detail` is read only for refused accesses.
 */
export async function listAuditTrail(
	filters: AuditFilters,
	cursor: { before: number | null; after: number | null }
): Promise<AuditPage> {
	let arms: SQL[] | null = null;
	if (filters.actor) {
		const match = await matchActors(filters.actor);
		if (!match.ok) return { lines: [], older: null, newer: null, tooManyActors: match.tooMany };
		arms = actorArms(match, !filters.patientId);
	}
	const conditions: SQL[] = [];
	if (filters.patientId) conditions.push(eq(auditEvents.patientId, filters.patientId));
	// Without statistics SQLite would take the action index; a patient or an actor is narrower.
	if (filters.action)
		conditions.push(
			filters.patientId || arms
				? sql`${unindexed(auditEvents.action)} = ${filters.action}`
				: eq(auditEvents.action, filters.action)
		);
	conditions.push(...(await dateConditions(filters.from, filters.to)));

	const towardNewer = cursor.after !== null;
	const bound = towardNewer
		? gt(auditEvents.seq, cursor.after!)
		: cursor.before !== null
			? lt(auditEvents.seq, cursor.before)
			: undefined;
	const seqs = await pickSeqs(
		conditions,
		arms,
		bound,
		towardNewer ? 'newer' : 'older',
		AUDIT_PAGE_SIZE + 1
	);
	const more = seqs.length > AUDIT_PAGE_SIZE;
	const shown = seqs.slice(0, AUDIT_PAGE_SIZE);
	const page = await selectLines(shown);
	const exists = async (b: SQL, d: Direction): Promise<boolean> =>
		(await pickSeqs(conditions, arms, b, d, 1)).length > 0;
	const first = page[0]?.seq;
	const last = page.at(-1)?.seq;
	let older: number | null = null;
	let newer: number | null = null;
	if (first !== undefined && last !== undefined) {
		if (towardNewer) {
			newer = more ? first : null;
			older = (await exists(lt(auditEvents.seq, last), 'older')) ? last : null;
		} else {
			older = more ? last : null;
			newer =
				cursor.before !== null && (await exists(gt(auditEvents.seq, first), 'newer'))
					? first
					: null;
		}
	}
	return {
		lines: page.map((r) => ({
			seq: r.seq,
			at: r.at,
			actorType: r.actorType,
			actor: labelAuditActor({
				actorType: r.actorType,
				name: r.lastName ? [r.title, r.firstName, r.lastName].filter(Boolean).join(' ') : null,
				email: r.email
			}),
			actorEmail: r.email,
			action: r.action,
			actionLabel: labelAuditAction(r.action),
			object: r.objectType ? labelAuditObject(r.objectType) : null,
			objectId: r.objectId,
			patientId: r.patientId,
			ip: r.ip,
			denied: r.action === 'access.denied' ? describeDeniedEntry(r.detail) : null
		})),
		older,
		newer,
		tooManyActors: false
	};
}
