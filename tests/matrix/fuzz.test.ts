// Malformed input at every entry point of the inventory: truncated or mislabelled bodies, JSON
// posted to form actions, files where text is expected, control characters, absurd route
// parameters. Nothing may answer 500; unreadable form bodies get a French 400 or 415.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { findEntryPolicy } from '../../src/lib/server/auth/route-policy';
import { getDb, queryOne } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { listEntryPoints, type EntryPoint } from '../support/route-inventory';
import { accountKeys, collectObjects, demoPassword, emailOf, type Objects } from './fixtures';
import { logIn } from './http';
import { origin, startMatrixServer, stopMatrixServer } from './server';

let objects: Objects;
const cookies = new Map<string, string>();

/** One concrete path per route, from the demo objects (the most privileged caller is used). */
function samplePath(routeId: string): string {
	const o = objects;
	const values: Record<string, string> = {
		caseId: o.meetingCases[0]!.caseId,
		documentId: o.meetingDocuments[0]?.documentId ?? o.caseDocuments[0]!.documentId,
		meetingId: o.meetingCases[0]!.meetingId,
		pathwayId: o.pathwayIds[0]!,
		seriesId: o.pathwaySeries[0]!.seriesId,
		userId: o.userIds[0]!,
		establishmentId: o.establishmentIds[0]!,
		mailId: o.mailIds[0] ?? 'none',
		index: '0',
		code: o.specialtyCodes[0] ?? 'none',
		token: o.guests[0]!.token,
		invitationId: o.replyLinks[0]!.invitationId,
		feed: o.feeds[0]!.feed
	};
	if (routeId.includes('[invitationId]')) values.meetingId = o.replyLinks[0]!.meetingId;
	return (
		'/' +
		routeId
			.split('/')
			.filter((s) => s && !s.startsWith('('))
			.map((s) =>
				s.replace(/^\[([^\]]+)\]$/, (_, n: string) => {
					if (!(n in values)) throw new Error(`The fuzzer has no value for [${n}] in ${routeId}`);
					return encodeURIComponent(values[n]!);
				})
			)
			.join('/')
	);
}

/** Whose session reaches the handler: administrators for /admin, the oncology coordinator otherwise. */
function callerFor(entry: EntryPoint): string | null {
	const policy = findEntryPolicy(
		entry.routeId,
		entry.kind === 'action'
			? { kind: 'action', name: entry.name }
			: entry.kind === 'method'
				? { kind: 'method', method: entry.name }
				: { kind: 'load' }
	);
	if (policy?.gate === 'admin') return cookies.get('admin')!;
	if (policy?.gate === 'user') {
		const chairs = /room|decision|minutes|token|events/.test(entry.routeId);
		return cookies.get(chairs ? 'h.rousseau' : 'coordination')!;
	}
	return null;
}

const boundary = '----pluriFuzz';
const textFields = [
	'email',
	'password',
	'reason',
	'caseId',
	'reply',
	'question',
	'redirectTo',
	'name'
];

interface Malformed {
	name: string;
	type: string | null;
	body: string;
	/** An unreadable form body: the answer must be a 400 or 415, not just "not 500". */
	unreadable: boolean;
}

const malformed: Malformed[] = [
	{
		name: 'multipart tronqué',
		type: `multipart/form-data; boundary=${boundary}`,
		body: `--${boundary}\r\nContent-Disposition: form-data; name="reason"\r\n\r\nabc`,
		unreadable: true
	},
	{ name: 'multipart sans frontière', type: 'multipart/form-data', body: 'a=b', unreadable: true },
	{
		name: 'JSON vers une action',
		type: 'application/json',
		body: '{"reason":1}',
		unreadable: true
	},
	{ name: 'texte brut', type: 'text/plain', body: 'reason=x', unreadable: true },
	{ name: 'sans type', type: null, body: 'reason=x', unreadable: true },
	{
		name: 'encodage pourcent invalide',
		type: 'application/x-www-form-urlencoded',
		body: 'reason=%E0%A4%A&caseId=%',
		unreadable: false
	},
	{
		name: 'champs répétés, NUL, très longs, saut de ligne',
		type: 'application/x-www-form-urlencoded',
		body: textFields
			.flatMap((f) => [
				`${f}=${encodeURIComponent('\u0000\u202e\r\nSet-Cookie: x=1')}`,
				`${f}=${'x'.repeat(20000)}`
			])
			.join('&'),
		unreadable: false
	},
	{
		name: 'fichiers à la place du texte',
		type: `multipart/form-data; boundary=${boundary}`,
		body:
			textFields
				.map(
					(f) =>
						`--${boundary}\r\nContent-Disposition: form-data; name="${f}"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\n12\r\n`
				)
				.join('') + `--${boundary}--\r\n`,
		unreadable: false
	}
];

const strangeParams = ['%00', "'%20OR%201=1--", 'x'.repeat(400), '..%2F..%2Fetc%2Fpasswd'];

interface Shot {
	id: string;
	status: number;
	problem: string | null;
}

const shots: Shot[] = [];

async function shoot(id: string, url: string, init: RequestInit, unreadable: boolean) {
	let res: Response;
	try {
		res = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
	} catch (e) {
		const alive = await fetch(`${origin}/health`).then(
			(r) => r.ok,
			() => false
		);
		shots.push({
			id,
			status: 0,
			problem: `no answer (${String(e)}); server ${alive ? 'up' : 'down'}`
		});
		if (!alive) throw new Error(`The server died on ${id}`);
		return;
	}
	const type = res.headers.get('content-type') ?? '';
	if (type.startsWith('text/event-stream')) await res.body?.cancel();
	else await res.text();
	let problem: string | null = null;
	if (res.status >= 500) problem = `answered ${res.status}`;
	else if (unreadable && ![400, 415].includes(res.status) && res.status < 300)
		problem = `accepted an unreadable body (${res.status})`;
	shots.push({ id, status: res.status, problem });
}

beforeAll(async () => {
	await startMatrixServer();
	objects = await collectObjects();
	for (const key of [
		'admin',
		'coordination',
		'h.rousseau'
	] satisfies (typeof accountKeys)[number][]) {
		await queryOne(
			getDb()
				.select()
				.from(users)
				.where(eq(users.email, emailOf(key)))
		);
		cookies.set(key, await logIn(emailOf(key), demoPassword));
	}
}, 120_000);

afterAll(async () => {
	await stopMatrixServer();
});

describe('malformed input', () => {
	it('no entry point answers 500, unreadable form bodies get 400 or 415', async () => {
		const entries = listEntryPoints().filter((e) => e.kind !== 'layout-load');
		// Logging out ends the sessions the fuzzer uses: last.
		entries.sort(
			(a, b) => Number(a.routeId === '/(public)/logout') - Number(b.routeId === '/(public)/logout')
		);
		for (const entry of entries) {
			const path = samplePath(entry.routeId);
			const cookie = callerFor(entry);
			const headers: Record<string, string> = { origin, ...(cookie ? { cookie } : {}) };
			if (entry.kind === 'action' || (entry.kind === 'method' && entry.name !== 'GET')) {
				const url =
					entry.kind === 'action'
						? `${origin}${path}${entry.name === 'default' ? '' : `?/${entry.name}`}`
						: `${origin}${path}`;
				for (const m of malformed) {
					for (const enhanced of entry.kind === 'action' ? [true, false] : [false]) {
						await shoot(
							`${entry.kind === 'action' ? `POST ?/${entry.name}` : entry.name} ${path} — ${m.name}${enhanced ? ' (enhance)' : ''}`,
							url,
							{
								method: entry.kind === 'action' ? 'POST' : entry.name,
								headers: {
									...headers,
									...(m.type ? { 'content-type': m.type } : {}),
									...(enhanced
										? { 'x-sveltekit-action': 'true', accept: 'application/json' }
										: { accept: 'text/html' })
								},
								body: m.body
							},
							// Machine endpoints answer their own way (a webhook's signature comes first).
							m.unreadable && entry.kind === 'action'
						);
					}
				}
			} else {
				// Loads and GET endpoints: absurd parameters and query strings.
				const variants = [
					`${path}?version=abc&year=-1&page=%00&redirectTo=%0d%0aSet-Cookie:x`,
					...(entry.routeId.includes('[')
						? strangeParams.map((v) => path.replace(/[^/]+$/, v))
						: [])
				];
				for (const v of variants) await shoot(`GET ${v}`, `${origin}${v}`, { headers }, false);
			}
		}
		const problems = shots.filter((s) => s.problem);
		console.log(
			`Fuzzing : ${entries.length} points d’entrée, ${shots.length} requêtes malformées, ${problems.length} écart(s).`
		);
		expect(shots.length).toBeGreaterThan(300);
		expect(problems.map((s) => `${s.id} → ${s.problem}`)).toEqual([]);
	}, 600_000);
});
