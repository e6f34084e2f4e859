// The authorization matrix: every entry point of the route tree (tests/support/route-inventory.ts)
// × every actor × the objects it may and may not reach, against the built server. A forbidden
// request must be refused (403/404, or the login page for anonymous), change nothing in the
// database and record no read; an allowed one must get through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/lib/server/auth/access';
import { findEntryPolicy, type EntryPolicy } from '../../src/lib/server/auth/route-policy';
import { getDb, queryOne } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { toActor, toSessionUser } from '../../src/lib/server/users';
import { eq } from 'drizzle-orm';
import { listEntryPoints, type EntryPoint } from '../support/route-inventory';
import { accountKeys, collectObjects, demoPassword, emailOf, type Objects } from './fixtures';
import { callEndpoint, getData, getPage, logIn, postAction, type Outcome } from './http';
import { expect as expectFor, type Expectation } from './oracle';
import { installChangeLog, readAuditSince, readChangeCount } from './changes';
import { startMatrixServer, stopMatrixServer } from './server';

interface Caller {
	name: string;
	actor: Actor;
	cookie: string | null;
}

interface Binding {
	params: Record<string, string>;
	query?: string;
	link?: { valid: boolean; ownCase?: boolean };
}

interface Result {
	id: string;
	expected: Expectation;
	outcome: Outcome;
	problem: string | null;
}

let callers: Caller[] = [];
let objects: Objects;

/** Every way the matrix fills a route's parameters, from the demo network's objects. */
function bindingsFor(routeId: string): Binding[] {
	const names = [...routeId.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]!);
	const key = names.join(',');
	const o = objects;
	const p = (params: Record<string, string>): Binding => ({ params });
	switch (key) {
		case '':
			return [p({})];
		case 'caseId':
			return o.caseIds.map((caseId) => p({ caseId }));
		case 'caseId,documentId':
			return [
				...o.caseDocuments.map((d) => p(d)),
				// A document asked for under another case.
				p({ caseId: o.caseIds[0]!, documentId: o.caseDocuments.at(-1)!.documentId })
			];
		case 'meetingId':
			// Room actions on a case name it in the query (`?/validate&case=…`).
			return o.meetingIds.map((meetingId) => {
				const c = o.meetingCases.find((x) => x.meetingId === meetingId);
				return c
					? { params: { meetingId, caseId: c.caseId }, query: `case=${c.caseId}` }
					: p({ meetingId });
			});
		case 'meetingId,caseId':
			return o.meetingCases.map((x) => p(x));
		case 'meetingId,documentId':
			return [
				...o.meetingDocuments.map((x) => p(x)),
				p({ meetingId: o.meetingIds[0]!, documentId: o.caseDocuments.at(-1)!.documentId })
			];
		case 'pathwayId':
			return o.pathwayIds.map((pathwayId) => p({ pathwayId }));
		case 'pathwayId,seriesId':
			return o.pathwaySeries.map((x) => p(x));
		case 'userId':
			return o.userIds.map((userId) => p({ userId }));
		case 'establishmentId':
			return o.establishmentIds.map((establishmentId) => p({ establishmentId }));
		case 'mailId':
			return o.mailIds.map((mailId) => p({ mailId }));
		case 'code':
			return o.specialtyCodes.map((code) => p({ code }));
		case 'mailId,index':
			return o.mailIds.map((mailId) => p({ mailId, index: '0' }));
		case 'token':
			return o.guests.map((g) => ({
				params: { token: g.token },
				link: { valid: g.invitationId !== 'none' }
			}));
		case 'token,documentId':
			return o.guestDocuments.map((g) => ({
				params: { token: g.token, documentId: g.documentId },
				link: { valid: true, ownCase: g.ownCase }
			}));
		case 'invitationId,meetingId':
			return o.replyLinks.map((r) => ({
				params: { invitationId: r.invitationId, meetingId: r.meetingId },
				query: r.query,
				link: { valid: r.valid }
			}));
		case 'invitationId':
			// Series reply links (/reply/<id>/serie): a meeting reply signature never opens them.
			return o.replyLinks.map((r) => ({
				params: { invitationId: r.invitationId },
				query: r.query,
				link: { valid: false }
			}));
		case 'feed':
			return o.feeds.map((f) => ({ params: { feed: f.feed }, link: { valid: f.valid } }));
		default:
			throw new Error(
				`The matrix has no objects for the parameters [${key}] of ${routeId}: add them to tests/matrix/fixtures.ts`
			);
	}
}

function toPath(routeId: string, b: Binding): string {
	const path =
		routeId
			.split('/')
			.filter((s) => s && !s.startsWith('('))
			.map((s) =>
				s.replace(/^\[([^\]]+)\]$/, (_, name: string) => encodeURIComponent(b.params[name]!))
			)
			.join('/') || '';
	return `/${path}${b.query ? `?${b.query}` : ''}`;
}

/** A plausible body, so that a missing check would act rather than fail on an empty form. */
function bodyFor(b: Binding): URLSearchParams {
	const caseId = b.params.caseId ?? objects.caseIds[0]!;
	return new URLSearchParams({
		password: 'Matrice-Fuite-2026-xyz',
		confirmPassword: 'Matrice-Fuite-2026-xyz',
		currentPassword: demoPassword,
		reply: 'accepted',
		reason: 'Essai de la matrice d’accès',
		caseId,
		userIds: objects.userIds[0]!,
		invitationId: objects.replyLinks[0]!.invitationId,
		outboxId: 'x',
		name: 'Matrice',
		email: 'matrice@example.fr',
		firstName: 'Matrice',
		lastName: 'Essai',
		question: 'Question posée par la matrice d’accès ?',
		text: 'Texte de la matrice',
		s: b.query ? (new URLSearchParams(b.query).get('s') ?? '') : ''
	});
}

async function send(entry: EntryPoint, path: string, b: Binding, c: Caller, data: boolean) {
	if (entry.kind === 'load')
		return data ? getData(path, entry.routeId, c.cookie) : getPage(path, c.cookie);
	if (entry.kind === 'action') return postAction(path, entry.name, bodyFor(b), c.cookie);
	return callEndpoint(entry.name, path, c.cookie);
}

/** Auditing of refusals: some refusals are recorded under their own name (an unknown link). */
const refusalActions = new Set(['access.denied', 'guest.refused', 'guest.access']);

function judge(
	expected: Expectation,
	outcome: Outcome,
	changed: number,
	audit: { mine: string[]; all: string[] }
): string | null {
	if (outcome.kind === 'error') return `server error ${outcome.status}: ${outcome.detail}`;
	if (expected === 'unchecked') return null;
	if (expected === 'allow') {
		if (outcome.kind === 'denied' && outcome.status === 403)
			return `refused (403): ${outcome.detail}`;
		if (outcome.kind === 'login') return 'sent to the login page';
		return null;
	}
	if (expected === 'state') {
		const problems: string[] = [];
		if (outcome.kind === 'through' && outcome.status < 400)
			problems.push(`LEAK: answered ${outcome.status} ${outcome.detail}`);
		if (changed) problems.push(`LEAK: ${changed} database change(s)`);
		return problems.length ? problems.join('; ') : null;
	}
	if (expected === 'absent') {
		return outcome.kind === 'through'
			? `LEAK: answered ${outcome.status} for a missing object`
			: null;
	}
	const problems: string[] = [];
	if (outcome.kind === 'through')
		problems.push(`LEAK: answered ${outcome.status} ${outcome.detail}`);
	if (changed) problems.push(`LEAK: ${changed} database change(s)`);
	const reads = audit.mine.filter((a) => !refusalActions.has(a));
	if (reads.length) problems.push(`audited as a read: ${reads.join(', ')}`);
	if (
		outcome.kind === 'denied' &&
		outcome.status === 403 &&
		!audit.all.some((a) => refusalActions.has(a))
	)
		problems.push('refusal not audited');
	return problems.length ? problems.join('; ') : null;
}

const results: Result[] = [];

beforeAll(async () => {
	await startMatrixServer();
	objects = await collectObjects();
	await installChangeLog();
	const anonymous: Caller = { name: 'anonyme', actor: { kind: 'anonymous' }, cookie: null };
	const accounts: Caller[] = [];
	for (const key of accountKeys) {
		const row = (await queryOne(
			getDb()
				.select()
				.from(users)
				.where(eq(users.email, emailOf(key)))
		))!;
		accounts.push({
			name: key,
			actor: toActor(await toSessionUser(row)),
			cookie: await logIn(emailOf(key), demoPassword)
		});
	}
	callers = [anonymous, ...accounts];
}, 120_000);

afterAll(async () => {
	await stopMatrixServer();
});

describe('authorization matrix', () => {
	it('every entry point × actor × object is answered as the policy says', async () => {
		// MATRIX_ROUTES=<regex> runs part of the matrix (to check one route quickly while working).
		const only = process.env.MATRIX_ROUTES ? new RegExp(process.env.MATRIX_ROUTES) : null;
		const entries = listEntryPoints().filter(
			(e) => e.kind !== 'layout-load' && (!only || only.test(e.routeId))
		);
		// Actions that act on the caller's own session are run last, so the matrix keeps its sessions.
		const ownSession = (e: EntryPoint) => e.routeId === '/(public)/logout';
		entries.sort((a, b) => Number(ownSession(a)) - Number(ownSession(b)));
		for (const entry of entries) {
			const policy: EntryPolicy | null = findEntryPolicy(
				entry.routeId,
				entry.kind === 'load'
					? { kind: 'load' }
					: entry.kind === 'action'
						? { kind: 'action', name: entry.name }
						: { kind: 'method', method: entry.name }
			);
			expect(policy, `${entry.routeId} ${entry.kind} ${entry.name} has no policy`).not.toBeNull();
			for (const b of bindingsFor(entry.routeId)) {
				const path = toPath(entry.routeId, b);
				for (const caller of callers) {
					const expected = await expectFor({
						policy: policy!,
						actor: caller.actor,
						params: b.params,
						link: b.link
					});
					// An allowed action would really act: the journeys (tests/e2e) prove those.
					if (entry.kind === 'action' && expected === 'allow') continue;
					if (entry.kind === 'method' && entry.name !== 'GET' && expected === 'allow') continue;
					if (ownSession(entry) && caller.cookie) continue;
					for (const data of entry.kind === 'load' ? [false, true] : [false]) {
						const changesBefore = await readChangeCount();
						const audit = await readAuditSince(
							caller.actor.kind === 'user' ? caller.actor.id : null
						);
						const outcome = await send(entry, path, b, caller, data);
						const changed = (await readChangeCount()) - changesBefore;
						const problem = judge(expected, outcome, changed, audit.next());
						results.push({
							id: `${entry.kind === 'load' ? (data ? 'DATA' : 'PAGE') : entry.kind === 'action' ? `POST ?/${entry.name}` : entry.name} ${path} as ${caller.name}`,
							expected,
							outcome,
							problem
						});
					}
				}
			}
		}
		const problems = results.filter((r) => r.problem);
		const denied = results.filter((r) => r.expected === 'deny').length;
		const leaks = problems.filter((r) => r.problem!.includes('LEAK')).length;
		console.log(
			`Matrice d’autorisation : ${entries.length} points d’entrée, ${results.length} cas ` +
				`(${denied} interdits, ${results.filter((r) => r.expected === 'allow').length} permis, ` +
				`${results.filter((r) => r.expected === 'absent' || r.expected === 'unchecked').length} sans objet ou dépendant de l’état) ; ` +
				`${leaks} fuite(s), ${problems.length} écart(s).`
		);
		if (!only) {
			expect(results.length).toBeGreaterThan(1000);
			expect(denied).toBeGreaterThan(500);
		}
		expect(
			problems.map((r) => `${r.id} [attendu : ${r.expected}] → ${r.problem}`),
			'entry points that do not apply the policy'
		).toEqual([]);
	}, 600_000);
});
