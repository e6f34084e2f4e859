import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
	computeKeyedHash,
	computeUnkeyedHash,
	GENESIS_HASH,
	parseKeyedFrom
} from '$lib/domain/audit-chain';
import { parisLocalToUtc } from '$lib/domain/schedule';
import type { Actor } from '$lib/server/auth/access';
import {
	getChainKey,
	KEYED_FROM_SETTING,
	recordAudit,
	recordAuditBatch,
	recordDenied,
	systemAudit,
	verifyAuditTrail
} from '$lib/server/audit';
import { AUDIT_PAGE_SIZE, listAuditTrail, type AuditFilters } from '$lib/server/audit-trail';
import {
	readVerification,
	runAuditVerifyCommand,
	VERIFICATION_SETTING,
	verifyAuditChain
} from '$lib/server/audit-verify';
import { auditEvents, settings, users } from '$lib/server/db/schema';
import { getSetting } from '$lib/server/settings';
import { load as auditLoad } from '../../src/routes/(app)/admin/audit/+page.server';
import {
	executeSql,
	getEngineKind,
	instantParam,
	migratedDb,
	queryOne,
	transaction
} from '../support/db';

const db = await migratedDb();
const ctx = { actorType: 'user' as const, actorId: 'u1', ip: '10.1.2.3' };

async function resetTrail(): Promise<void> {
	await db.delete(auditEvents);
	// Numbering restarts at 1, as on a new database.
	await executeSql(
		db,
		getEngineKind(db) === 'postgres'
			? sql`alter table audit_event alter column seq restart with 1`
			: sql`delete from sqlite_sequence where name = 'audit_event'`
	);
	await db.delete(settings).where(eq(settings.key, KEYED_FROM_SETTING));
	await db.delete(settings).where(eq(settings.key, VERIFICATION_SETTING));
}

async function writeRows(n: number, patient = (i: number) => `p${i}`): Promise<void> {
	for (let i = 1; i <= n; i++) {
		await recordAudit(ctx, {
			action: 'case.read',
			objectType: 'rcp_case',
			objectId: `c${i}`,
			patientId: patient(i)
		});
	}
}

beforeEach(resetTrail);

describe('the keyed audit chain in SQLite', () => {
	it('chains rows with the key and detects an edited row', async () => {
		await writeRows(20);
		expect(await verifyAuditTrail()).toEqual({ ok: true, count: 20 });
		const row = (await queryOne(db.select().from(auditEvents).where(eq(auditEvents.seq, 3))))!;
		expect(row.hash).toBe(computeKeyedHash(await getChainKey(), row.prevHash, row));
		await executeSql(db, sql`update audit_event set patient_id = 'p-other' where seq = 7`);
		expect(await verifyAuditTrail()).toEqual({ ok: false, brokenAt: 7, count: 7 });
	});

	it('marks the start of the keyed chain once, at the first row of a new database', async () => {
		expect(await getSetting(KEYED_FROM_SETTING)).toBeNull();
		await writeRows(3);
		expect(parseKeyedFrom(await getChainKey(), (await getSetting(KEYED_FROM_SETTING))!)).toBe(1);
	});

	it('refuses a row edited and rehashed with plain SHA-256, relinked to the end', async () => {
		await writeRows(6);
		const rows = await db.select().from(auditEvents).orderBy(auditEvents.seq);
		let prev = rows[2]!.prevHash;
		for (const r of rows.slice(2)) {
			const forged = { ...r, action: r.seq === 3 ? 'case.update' : r.action };
			const hash = computeUnkeyedHash(prev, forged);
			await db
				.update(auditEvents)
				.set({ action: forged.action, prevHash: prev, hash })
				.where(eq(auditEvents.seq, r.seq));
			prev = hash;
		}
		expect(await verifyAuditTrail()).toMatchObject({ ok: false, brokenAt: 3 });
	});

	it('keeps one chain when many flows append at once', async () => {
		await Promise.all(
			Array.from({ length: 30 }, (_, i) =>
				i % 2
					? recordAudit(ctx, { action: 'case.read', objectId: `c${i}` })
					: transaction(db, async (tx) => {
							await recordAudit(ctx, { action: 'case.update', objectId: `c${i}` }, tx);
							await recordAudit(ctx, { action: 'case.read', objectId: `c${i}` }, tx);
						})
			)
		);
		expect(await verifyAuditTrail()).toEqual({ ok: true, count: 45 });
	});

	it('appends a page’s rows in one batch, chained in order, between single appends', async () => {
		await writeRows(2);
		await recordAuditBatch(
			ctx,
			[3, 4, 5, 6, 7].map((i) => ({
				action: 'case.list',
				objectType: 'rcp_case',
				objectId: `c${i}`
			}))
		);
		await writeRows(1);
		const rows = await db.select().from(auditEvents).orderBy(auditEvents.seq);
		expect(rows.map((r) => r.objectId)).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c1']);
		expect(await verifyAuditTrail()).toEqual({ ok: true, count: 8 });
	});

	it('rolls the audit row back with the change it records', async () => {
		await writeRows(2);
		const before = (await db.select().from(auditEvents)).length;
		await expect(
			transaction(db, async (tx) => {
				await recordAudit(ctx, { action: 'case.update', objectId: 'x' }, tx);
				throw new Error('the change failed');
			})
		).rejects.toThrow('the change failed');
		expect((await db.select().from(auditEvents)).length).toBe(before);
	});
});

describe('upgrading a database with unkeyed rows', () => {
	/** Rows as the first version wrote them: plain SHA-256, no marker. */
	async function writeLegacyRows(n: number): Promise<void> {
		let prev = GENESIS_HASH;
		for (let i = 1; i <= n; i++) {
			const f = {
				at: new Date(Date.UTC(2025, 0, 1, 8, i)),
				actorType: 'user' as const,
				actorId: 'u1',
				action: 'case.read',
				objectType: 'rcp_case',
				objectId: `old${i}`,
				patientId: `p${i}`,
				ip: '10.0.0.1',
				detail: null
			};
			const hash = computeUnkeyedHash(prev, f);
			await db.insert(auditEvents).values({ ...f, prevHash: prev, hash });
			prev = hash;
		}
	}

	it('verifies the old rows the old way and keys the new ones from the first write', async () => {
		await writeLegacyRows(5);
		expect(await verifyAuditTrail()).toEqual({ ok: true, count: 5 });
		await writeRows(3);
		expect(parseKeyedFrom(await getChainKey(), (await getSetting(KEYED_FROM_SETTING))!)).toBe(6);
		expect(await verifyAuditTrail()).toEqual({ ok: true, count: 8 });
		const sixth = (await queryOne(db.select().from(auditEvents).where(eq(auditEvents.seq, 6))))!;
		expect(sixth.hash).toBe(computeKeyedHash(await getChainKey(), sixth.prevHash, sixth));

		// An old row is still protected by its link to the keyed rows.
		await executeSql(db, sql`update audit_event set object_id = 'changed' where seq = 2`);
		expect(await verifyAuditTrail()).toMatchObject({ ok: false, brokenAt: 2 });
	});

	it('cannot be fooled by moving or removing the marker', async () => {
		await writeLegacyRows(3);
		await writeRows(3);
		expect((await verifyAuditTrail()).ok).toBe(true);
		await db
			.update(settings)
			.set({ value: '6.' + '0'.repeat(64) })
			.where(eq(settings.key, KEYED_FROM_SETTING));
		expect(await verifyAuditTrail()).toMatchObject({ ok: false, brokenAt: 1 });
		await db.delete(settings).where(eq(settings.key, KEYED_FROM_SETTING));
		expect(await verifyAuditTrail()).toMatchObject({ ok: false, brokenAt: 4 });
	});
});

describe('background and command-line verification', () => {
	afterEach(() => {
		process.exitCode = undefined;
	});

	it('records the result and goes on from the last verified row', async () => {
		await writeRows(30);
		const first = await verifyAuditChain({ fromLast: true, chunkSize: 7 });
		expect(first).toMatchObject({ ok: true, count: 30, lastSeq: 30, mode: 'full' });
		expect(await readVerification()).toMatchObject({ ok: true, count: 30, lastSeq: 30 });

		await writeRows(5);
		const next = await verifyAuditChain({ fromLast: true, chunkSize: 7 });
		expect(next).toMatchObject({ ok: true, count: 35, lastSeq: 35, mode: 'incremental' });

		await writeRows(5);
		await executeSql(db, sql`update audit_event set ip = '6.6.6.6' where seq = 38`);
		const broken = await verifyAuditChain({ fromLast: true, chunkSize: 7 });
		expect(broken).toMatchObject({ ok: false, count: 37, lastSeq: 37 });
		expect(broken.broken).toMatchObject({ seq: 38, action: 'case.read' });
		expect(broken.broken!.at).toBeInstanceOf(Date);
		// Found again by the next run, not forgotten.
		expect(await verifyAuditChain({ fromLast: true })).toMatchObject({
			ok: false,
			broken: { seq: 38 }
		});
	});

	it('notices that an already verified row was deleted, and keeps saying so', async () => {
		await writeRows(10);
		await verifyAuditChain({ fromLast: true });
		await executeSql(db, sql`delete from audit_event where seq = 10`);
		const r = await verifyAuditChain({ fromLast: true });
		expect(r).toMatchObject({ ok: false, broken: { seq: 10, at: null, action: null } });
		expect((await verifyAuditChain({ fromLast: true })).ok).toBe(false);
		// A full verification starts again from the rows as they are.
		expect(await verifyAuditChain({ fromLast: false })).toMatchObject({ ok: true, count: 9 });
	});

	it('ignores a tampered verification record and walks the whole chain', async () => {
		await writeRows(10);
		await verifyAuditChain({ fromLast: true });
		await executeSql(db, sql`update audit_event set patient_id = 'x' where seq = 2`);
		const raw = JSON.parse((await getSetting(VERIFICATION_SETTING))!) as {
			mac: string;
			body: string;
		};
		const body = JSON.stringify({ ...JSON.parse(raw.body), lastSeq: 10, count: 10 });
		await db
			.update(settings)
			.set({ value: JSON.stringify({ mac: raw.mac, body }) })
			.where(eq(settings.key, VERIFICATION_SETTING));
		// A record edited by hand no longer carries a valid MAC: a full walk finds seq 2.
		await db
			.update(settings)
			.set({
				value: JSON.stringify({ mac: raw.mac.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')), body })
			})
			.where(eq(settings.key, VERIFICATION_SETTING));
		expect(await readVerification()).toBeNull();
		expect(await verifyAuditChain({ fromLast: true })).toMatchObject({
			ok: false,
			broken: { seq: 2 },
			mode: 'full'
		});
	});

	it('yields to the event loop between chunks', async () => {
		await writeRows(40);
		// Eight chunks, each followed by a turn of the event loop where other work runs.
		let immediateRan = false;
		setImmediate(() => (immediateRan = true));
		const again = verifyAuditChain({ fromLast: false, chunkSize: 5 });
		expect(immediateRan).toBe(false);
		await again;
		expect(immediateRan).toBe(true);
	});

	it('prints the count or the broken row, with an exit code', async () => {
		await writeRows(4);
		const log = vi.spyOn(console, 'log').mockImplementation(() => {});
		await runAuditVerifyCommand(false);
		expect(log.mock.calls.flat().join('\n')).toContain('4 entrées vérifiées : chaîne intègre.');
		expect(process.exitCode).toBe(0);

		await writeRows(2);
		log.mockClear();
		await runAuditVerifyCommand(true);
		expect(log.mock.calls.flat().join('\n')).toContain('à partir de l’entrée n° 5');
		expect(log.mock.calls.flat().join('\n')).toContain('6 entrées vérifiées : chaîne intègre.');

		await executeSql(db, sql`update audit_event set action = 'case.update' where seq = 3`);
		log.mockClear();
		await runAuditVerifyCommand(false);
		const out = log.mock.calls.flat().join('\n');
		expect(out).toContain('Chaîne rompue à l’entrée n° 3');
		expect(out).toContain('Dossier modifié [case.update]');
		expect(process.exitCode).toBe(1);
		log.mockRestore();
		expect(await readVerification()).toMatchObject({ ok: false, broken: { seq: 3 } });
	});
});

describe('the administrator’s audit trail', () => {
	const none: AuditFilters = { actor: null, patientId: null, action: null, from: null, to: null };
	const first = { before: null, after: null };
	const anne = crypto.randomUUID();
	const paul = crypto.randomUUID();

	beforeEach(async () => {
		if (!(await queryOne(db.select().from(users).where(eq(users.id, anne))))) {
			await db.insert(users).values([
				{
					id: anne,
					email: 'anne.martin@chu.test',
					title: 'Dr',
					firstName: 'Anne',
					lastName: 'Martin',
					sector: 'establishment'
				},
				{
					id: paul,
					email: 'paul.durand@chu.test',
					firstName: 'Paul',
					lastName: 'Durand',
					sector: 'gp'
				}
			]);
		}
	});

	async function seedTrail(): Promise<void> {
		for (let i = 1; i <= 120; i++) {
			await recordAudit(
				{ actorType: 'user', actorId: i % 2 ? anne : paul, ip: '10.0.0.2' },
				{
					action: i % 3 ? 'case.read' : 'decision.read',
					objectType: 'rcp_case',
					objectId: `case-${i}`,
					patientId: i % 10 === 0 ? 'patient-x' : `patient-${i}`,
					detail: { query: 'Dupont Jeanne' }
				}
			);
		}
		await recordAudit(systemAudit, {
			action: 'delivery.delivered',
			objectType: 'outbox',
			objectId: 'o1'
		});
		await recordAudit(
			{ actorType: 'guest', actorId: 'inv-1', ip: null },
			{ action: 'guest.access' }
		);
		await recordDenied(
			{ actorType: 'user', actorId: paul, ip: '10.0.0.3' },
			{
				route: '/(app)/cases/[caseId]',
				entry: 'load',
				objectType: 'case',
				objectId: 'c-9',
				status: 403,
				reason: 'Refusé'
			}
		);
		await recordAudit(
			{ actorType: 'anonymous', actorId: null, ip: '10.9.9.9' },
			{ action: 'login.failure' }
		);
	}

	it('pages newest first, 50 at a time, both ways by seq', async () => {
		await seedTrail();
		const p1 = await listAuditTrail(none, first);
		expect(p1.lines).toHaveLength(AUDIT_PAGE_SIZE);
		expect(p1.lines[0]!.seq).toBe(124);
		expect(p1.newer).toBeNull();
		expect(p1.older).toBe(75);
		const p2 = await listAuditTrail(none, { before: p1.older, after: null });
		expect(p2.lines.map((l) => l.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 74 - i));
		const p3 = await listAuditTrail(none, { before: p2.older, after: null });
		expect(p3.lines).toHaveLength(24);
		expect(p3.older).toBeNull();
		expect(p3.newer).toBe(24);
		const back = await listAuditTrail(none, { before: null, after: p3.newer });
		expect(back.lines.map((l) => l.seq)).toEqual(p2.lines.map((l) => l.seq));
		expect(back.older).toBe(25);
		expect(back.newer).toBe(74);
	});

	it('names the actors and labels the actions, never showing a patient’s data', async () => {
		await seedTrail();
		const [anonymous, denied, guest, system, last] = (await listAuditTrail(none, first)).lines;
		expect(anonymous).toMatchObject({ actor: 'anonyme', actionLabel: 'Échec de connexion' });
		expect(denied).toMatchObject({
			actor: 'Paul Durand',
			actorEmail: 'paul.durand@chu.test',
			actionLabel: 'Accès refusé',
			object: 'Dossier',
			denied: '/(app)/cases/[caseId] (consultation) — réponse 403'
		});
		expect(guest).toMatchObject({
			actor: 'invité (lien)',
			actionLabel: 'Accès d’un invité par son lien'
		});
		expect(system).toMatchObject({ actor: 'système', actionLabel: 'Décision transmise' });
		expect(last).toMatchObject({
			actor: 'Paul Durand',
			actionLabel: 'Décision consultée',
			patientId: 'patient-x'
		});
		const text = JSON.stringify(await listAuditTrail(none, first));
		expect(text).not.toContain('Dupont');
	});

	it('the page names every actor in words, never by an account or invitation id', async () => {
		await seedTrail();
		// An account deleted since: its id stays in the trail, never on the page.
		const gone = crypto.randomUUID();
		await recordAudit({ actorType: 'user', actorId: gone, ip: null }, { action: 'login.success' });
		const data = await loadAs(admin);
		const lines = data.lines as { actor: string; actorType: string }[];
		expect(new Set(lines.map((l) => l.actor))).toEqual(
			new Set([
				'compte supprimé',
				'anonyme',
				'Paul Durand',
				'invité (lien)',
				'système',
				'Dr Anne Martin'
			])
		);
		for (const l of lines) {
			expect(l.actor).not.toMatch(/^(user|guest|system|anonymous)\b/);
			expect(l.actor).not.toMatch(/[0-9a-f]{8}/);
		}
		const text = JSON.stringify(data);
		expect(text).not.toContain(gone.slice(0, 8));
		expect(text).not.toContain('inv-1');
		// Still no patient data for the administrator: ids only, never a name.
		expect(text).not.toContain('Dupont');
	});

	it('filters by actor name or e-mail, patient, action and Paris days', async () => {
		await seedTrail();
		const byName = await listAuditTrail({ ...none, actor: 'anne mar' }, first);
		expect(byName.lines).toHaveLength(50);
		expect(byName.lines.every((l) => l.actor === 'Dr Anne Martin')).toBe(true);
		const byEmail = await listAuditTrail(
			{ ...none, actor: 'durand@' },
			{ before: 200, after: null }
		);
		expect(new Set(byEmail.lines.map((l) => l.actor))).toEqual(new Set(['Paul Durand']));
		const both = await listAuditTrail(
			{ ...none, actor: 'chu.test', patientId: 'patient-x' },
			first
		);
		expect(both.lines.map((l) => l.seq)).toEqual([
			120, 110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10
		]);
		const system = await listAuditTrail({ ...none, actor: 'système' }, first);
		expect(system.lines.map((l) => l.action)).toEqual(['delivery.delivered']);
		expect((await listAuditTrail({ ...none, actor: 'personne' }, first)).lines).toEqual([]);

		const denied = await listAuditTrail({ ...none, action: 'access.denied' }, first);
		expect(denied.lines.map((l) => l.seq)).toEqual([123]);
		const decisions = await listAuditTrail(
			{ ...none, action: 'decision.read', actor: 'anne' },
			first
		);
		expect(decisions.lines.map((l) => l.seq)).toEqual([
			117, 111, 105, 99, 93, 87, 81, 75, 69, 63, 57, 51, 45, 39, 33, 27, 21, 15, 9, 3
		]);

		// Rows on either side of midnight in Paris (23:30 the day before, 00:30 the day itself).
		const day = (date: string, time: string) => {
			const r = parisLocalToUtc(date, time);
			if (!r.ok) throw new Error(r.error);
			return r.instant;
		};
		const at = (date: string, time: string) => instantParam(day(date, time));
		await executeSql(
			db,
			sql`update audit_event set at = ${at('2026-07-13', '23:30')} where seq = 5`
		);
		await executeSql(
			db,
			sql`update audit_event set at = ${at('2026-07-14', '00:30')} where seq = 6`
		);
		await executeSql(
			db,
			sql`update audit_event set at = ${at('2026-07-14', '23:59')} where seq = 7`
		);
		await executeSql(
			db,
			sql`update audit_event set at = ${at('2026-07-15', '00:00')} where seq = 8`
		);
		const from = day('2026-07-14', '00:00');
		const to = day('2026-07-15', '00:00');
		const oneDay = await listAuditTrail({ ...none, from, to }, first);
		expect(oneDay.lines.map((l) => l.seq)).toEqual([7, 6]);
	});

	it('asks to narrow a search that matches too many accounts', async () => {
		const many = Array.from({ length: 51 }, (_, i) => ({
			id: crypto.randomUUID(),
			email: `homonyme${i}@chu.test`,
			firstName: 'Jean',
			lastName: `Homonyme${i}`,
			sector: 'other' as const
		}));
		await db.insert(users).values(many);
		expect(await listAuditTrail({ ...none, actor: 'homonyme' }, first)).toMatchObject({
			tooManyActors: true,
			lines: []
		});
	});

	function loadAs(actor: Actor, query = '') {
		return auditLoad({
			locals: { actor, audit: ctx, user: null },
			url: new URL(`https://pluri.test/admin/audit${query}`)
		} as unknown as Parameters<typeof auditLoad>[0]) as
			Promise<Record<string, unknown>> | Record<string, unknown>;
	}
	const admin: Actor = {
		kind: 'user',
		id: anne,
		isAdmin: true,
		rpps: null,
		specialty: null,
		memberships: []
	};

	it('shows the recorded verification without walking the chain on the request', async () => {
		await seedTrail();
		await verifyAuditChain({ fromLast: true });
		await executeSql(db, sql`update audit_event set ip = '1.1.1.1' where seq = 4`);
		const data = await loadAs(admin);
		// The page reports the last recorded result; the break is found by the next background run.
		expect(data.verification).toMatchObject({ ok: true, count: 124 });
		await verifyAuditChain({ fromLast: false });
		expect((await loadAs(admin)).verification).toMatchObject({
			ok: false,
			broken: { seq: 4, label: 'Dossier consulté' }
		});
	});

	it('returns the typed values and French messages for bad filters, and refuses non-admins', async () => {
		const data = await loadAs(
			admin,
			'?du=2026-02-30&au=2026-01-01&patient=%3Cscript%3E&action=DROP'
		);
		expect(data.values).toMatchObject({ du: '2026-02-30', patient: '<script>', action: 'DROP' });
		expect(data.errors).toMatchObject({
			du: expect.stringContaining('date valide'),
			patient: expect.stringContaining('identifiant'),
			action: expect.stringContaining('liste')
		});
		expect(data.lines).toEqual([]);
		const reversed = await loadAs(admin, '?du=2026-03-02&au=2026-03-01');
		expect(reversed.errors).toMatchObject({ au: expect.stringContaining('date de début') });
		let status = 200;
		try {
			await loadAs({ ...admin, isAdmin: false });
		} catch (e) {
			status = (e as { status?: number }).status ?? 500;
		}
		expect(status).toBe(403);
	});
});
