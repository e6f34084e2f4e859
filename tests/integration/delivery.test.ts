import { and, eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '$lib/server/audit';
import { auditEvents, cases, mailMessages, outbox } from '$lib/server/db/schema';
import {
	countUndelivered,
	listPathwayDeliveries,
	retryDelivery
} from '$lib/server/delivery/outbox';
import {
	drainDeliveries,
	runDeliveryBatch,
	SHUTDOWN_EVENT,
	startDeliveryWorker
} from '$lib/server/delivery/worker';
import { resetMailTransport } from '$lib/server/mail';
import { migratedDb, queryOne } from '../support/db';
import { startFhirFake, type FhirFake } from '../support/fhir-fake.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp';
import { createDecisionWorld, proposal } from './decisions-fixtures';
import { amendDecision } from '$lib/server/decision-amendment';
import { validateDecision } from '$lib/server/decision-validation';

const db = await migratedDb();
const world = await createDecisionWorld(db);
let fhir: FhirFake;
let smtp: SmtpCatcher;
const policy = { baseMs: 1000, capMs: 8000, maxAttempts: 4 };

beforeAll(async () => {
	fhir = await startFhirFake();
	smtp = await startSmtpCatcher({ reject: (to) => to.startsWith('refuse') });
	process.env.FHIR_BASE_URL = fhir.url;
	process.env.SMTP_URL = smtp.url;
	resetMailTransport();
});
afterAll(async () => {
	delete process.env.FHIR_BASE_URL;
	delete process.env.SMTP_URL;
	resetMailTransport();
	await fhir.close();
	await smtp.close();
});
beforeEach(async () => {
	// Rows of earlier tests are done or failed for good; each test drains its own.
	await db.update(outbox).set({ status: 'failed' }).where(eq(outbox.status, 'pending'));
});

async function validated(over: Partial<Parameters<typeof world.newCase>[1]> = {}): Promise<{
	caseId: string;
	decisionId: string;
}> {
	const m = await world.newMeeting();
	const c = await world.newCase(m, over);
	await world.checkIn(m, world.quorumPeople);
	const r = await validateDecision(c, m, proposal(), world.chair);
	if (!r.ok) throw new Error(r.message);
	return { caseId: c, decisionId: r.decisionId };
}

const rows = async (decisionId: string) =>
	await db.select().from(outbox).where(eq(outbox.decisionId, decisionId));
const docsOf = (decisionId: string) =>
	fhir.findByIdentifier(`urn:ietf:rfc:3986|urn:uuid:${decisionId}`);
const mailsTo = (address: string) =>
	smtp.mails.filter((m) => m.to && JSON.stringify(m.to).includes(address));
/** A clock past every lease and backoff of the rows left. */
const later = (minutes: number) => () => new Date(Date.now() + minutes * 60_000);

describe('a validated decision reaches the record and the doctors', () => {
	it('one DocumentReference, two mails with the PDF and the XDM zip, the case « transmis »', async () => {
		const { caseId, decisionId } = await validated();
		const before = smtp.mails.length;
		const report = await drainDeliveries({ policy });
		expect(report).toMatchObject({ claimed: 3, delivered: 3, retried: 0, failed: 0 });
		expect((await rows(decisionId)).every((r) => r.status === 'delivered' && r.deliveredAt)).toBe(
			true
		);
		expect(docsOf(decisionId)).toHaveLength(1);
		expect((await queryOne(db.select().from(cases).where(eq(cases.id, caseId))))!.status).toBe(
			'delivered'
		);

		await smtp.waitFor(before + 2);
		const mailRows = (await rows(decisionId)).filter((r) => r.channel === 'mail');
		for (const row of mailRows) {
			const [mail] = mailsTo(row.recipient);
			expect(mail, row.recipient).toBeDefined();
			expect(mail!.messageId).toBe(`<decision-${row.id}@pluri.localhost>`);
			expect(mail!.subject).toMatch(
				/^Proposition thérapeutique — RCP oncologie digestive du .+ — patient M\. J\. D\., né en 1954$/
			);
			expect(mail!.text).toContain('Chère consœur, cher confrère');
			expect(mail!.text).not.toContain('DURAND');
			expect(mail!.headers.get('x-mss-codecda')).toBe(
				'34794-8^Interdisciplinary conference Note^2.16.840.1.113883.6.1'
			);
			expect(String(mail!.headers.get('x-mss-ins'))).toMatch(
				/^\d{15}\^\^\^&1\.2\.250\.1\.213\.1\.4\.10&ISO\^NH$/
			);
			const pdf = mail!.attachments.find((a) => a.contentType === 'application/pdf')!;
			const zip = mail!.attachments.find((a) => a.contentType === 'application/zip')!;
			expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
			// PDF/A-2b, tagged, with its language and title shown (archiving, screen readers).
			const raw = pdf.content.toString('latin1');
			expect(raw.startsWith('%PDF-1.7')).toBe(true);
			expect(raw).toMatch(/\/StructTreeRoot \d+ 0 R/);
			expect(raw).toMatch(/\/MarkInfo \d+ 0 R/);
			expect(raw).toContain('/Marked true');
			expect(raw).toMatch(/\/Lang \(fr-FR\)/);
			expect(raw).toMatch(/\/DisplayDocTitle true/);
			expect(raw).toContain('<pdfaid:part>2</pdfaid:part>');
			expect(raw).toContain('<pdfaid:conformance>B</pdfaid:conformance>');
			expect(raw).toMatch(/\/S \/GTS_PDFA1/);
			expect(raw).toMatch(/\/FontFile2 \d+ 0 R/);
			const files = unzipSync(new Uint8Array(zip.content));
			expect(Object.keys(files).sort()).toEqual([
				'IHE_XDM/SUBSET01/DOC0001.XML',
				'IHE_XDM/SUBSET01/DOC0002.PDF',
				'IHE_XDM/SUBSET01/DOC0003.JSN',
				'IHE_XDM/SUBSET01/METADATA.XML',
				'INDEX.HTM',
				'README.TXT'
			]);
			expect(Buffer.from(files['IHE_XDM/SUBSET01/DOC0002.PDF']!).equals(pdf.content)).toBe(true);
			const metadata = new TextDecoder().decode(files['IHE_XDM/SUBSET01/METADATA.XML']);
			const sha1 = createHash('sha1').update(pdf.content).digest('hex');
			expect(metadata).toContain(`<rim:Value>${sha1}</rim:Value>`);
			expect(metadata).toContain('urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd');
			expect(metadata).toContain(`^^Internet^${row.recipient}`);
			expect(metadata).toMatch(/nodeRepresentation="34794-8"/);
			expect(new TextDecoder().decode(files['INDEX.HTM'])).toContain(
				'IHE_XDM/SUBSET01/DOC0002.PDF'
			);
			expect(new TextDecoder().decode(files['README.TXT'])).toContain('IHE XDM');
			const bundle = JSON.parse(
				new TextDecoder().decode(files['IHE_XDM/SUBSET01/DOC0003.JSN'])
			) as { type: string };
			expect(bundle.type).toBe('document');
			// The record got the very same fiche.
			const [doc] = docsOf(decisionId) as unknown as {
				content: { attachment: { data: string } }[];
			}[];
			expect(Buffer.from(doc!.content[0]!.attachment.data, 'base64').equals(pdf.content)).toBe(
				true
			);
		}
		// Every mail is kept in the in-app record too, once.
		for (const row of mailRows) {
			const kept = await db
				.select()
				.from(mailMessages)
				.where(eq(mailMessages.messageId, `<decision-${row.id}@pluri.localhost>`));
			expect(kept).toHaveLength(1);
			expect(kept[0]).toMatchObject({ status: 'sent', kind: 'decision' });
		}
		const audits = await db
			.select()
			.from(auditEvents)
			.where(
				and(
					eq(auditEvents.action, 'delivery.delivered'),
					eq(auditEvents.patientId, world.patientId)
				)
			);
		expect(audits.length).toBeGreaterThanOrEqual(3);
		expect((await verifyAuditTrail()).ok).toBe(true);
	});

	it('an amendment is delivered again, replacing the first version in the record', async () => {
		const { caseId, decisionId } = await validated();
		await drainDeliveries({ policy });
		const v2 = await amendDecision(
			caseId,
			proposal({ text: 'Chirurgie d’emblée.' }),
			'Relecture de l’IRM après la séance',
			world.chair
		);
		if (!v2.ok) throw new Error(v2.message);
		await drainDeliveries({ policy });
		expect(docsOf(decisionId)).toHaveLength(1);
		const [doc] = docsOf(v2.decisionId) as unknown as { docStatus: string; relatesTo: unknown }[];
		expect(doc).toMatchObject({
			docStatus: 'amended',
			relatesTo: [{ code: 'replaces', target: { identifier: { value: `urn:uuid:${decisionId}` } } }]
		});
		expect((await rows(v2.decisionId)).every((r) => r.status === 'delivered')).toBe(true);
	});
});

describe('when the record server misbehaves', () => {
	it('500, timeout, reset: retried with backoff, then delivered once', async () => {
		const { decisionId } = await validated();
		fhir.failNext({ status: 500 });
		await runDeliveryBatch({ policy });
		const [row] = (await rows(decisionId)).filter((r) => r.channel === 'fhir');
		expect(row).toMatchObject({ status: 'pending', attempts: 1 });
		expect(row!.lastError).toMatch(/a répondu 500/);
		expect(row!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 400);

		fhir.setTimeoutHold(3000);
		fhir.failNext('timeout');
		await runDeliveryBatch({ policy, fhirTimeoutMs: 300 }, later(1)());
		expect((await rows(decisionId)).find((r) => r.channel === 'fhir')!.lastError).toMatch(
			/n’a pas répondu dans le délai/
		);

		fhir.failNext('reset');
		await runDeliveryBatch({ policy }, later(2)());
		expect((await rows(decisionId)).find((r) => r.channel === 'fhir')!.lastError).toMatch(
			/Connexion au serveur du dossier patient impossible/
		);

		await drainDeliveries({ policy }, later(5));
		expect((await rows(decisionId)).find((r) => r.channel === 'fhir')).toMatchObject({
			status: 'delivered',
			attempts: 4
		});
		expect(docsOf(decisionId)).toHaveLength(1);
	});

	it('the record stored it but the answer was lost: the resend finds it (200), no duplicate', async () => {
		const { decisionId } = await validated();
		fhir.failNext('reset-after-create');
		await runDeliveryBatch({ policy });
		expect(docsOf(decisionId)).toHaveLength(1);
		expect((await rows(decisionId)).find((r) => r.channel === 'fhir')!.status).toBe('pending');
		await drainDeliveries({ policy }, later(1));
		expect((await rows(decisionId)).find((r) => r.channel === 'fhir')!.status).toBe('delivered');
		expect(docsOf(decisionId)).toHaveLength(1);
		expect(fhir.requests.at(-1)?.status).toBe(200);
	});

	it('412 fails at once with a clear reason, shows on the coordinator’s page, and « Relancer » works', async () => {
		const { decisionId } = await validated();
		fhir.failNext({ status: 412 });
		await runDeliveryBatch({ policy });
		const failed = (await rows(decisionId)).find((r) => r.channel === 'fhir')!;
		expect(failed.status).toBe('failed');
		expect(failed.lastError).toMatch(/plusieurs documents pour cette décision \(412\)/);
		const lines = await listPathwayDeliveries(world.pathwayId, 'failed', world.coordinator);
		expect(lines.find((l) => l.id === failed.id)).toMatchObject({
			status: 'failed',
			channel: 'fhir'
		});
		expect(lines[0]!.status).toBe('failed');

		expect(await retryDelivery(failed.id, 'another-pathway', world.coordinator)).toMatchObject({
			ok: false
		});
		expect(await retryDelivery(failed.id, world.pathwayId, world.coordinator)).toEqual({
			ok: true
		});
		expect(await retryDelivery(failed.id, world.pathwayId, world.coordinator)).toMatchObject({
			ok: false
		});
		await drainDeliveries({ policy });
		expect((await rows(decisionId)).find((r) => r.channel === 'fhir')).toMatchObject({
			status: 'delivered',
			attempts: 1
		});
		expect(docsOf(decisionId)).toHaveLength(1);
	});

	it('waiting after an error: « Relancer » sends it now, without waiting for the backoff', async () => {
		const { decisionId } = await validated();
		fhir.failNext({ status: 503 });
		await runDeliveryBatch({ policy: { ...policy, baseMs: 600_000, capMs: 600_000 } });
		const waiting = (await rows(decisionId)).find((r) => r.channel === 'fhir')!;
		expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
		const line = (await listPathwayDeliveries(world.pathwayId, 'pending', world.coordinator)).find(
			(l) => l.id === waiting.id
		);
		expect(line?.relaunchable).toBe(true);
		// Nothing is due yet: a plain run sends nothing.
		expect((await runDeliveryBatch({ policy })).claimed).toBe(0);
		expect(await retryDelivery(waiting.id, world.pathwayId, world.coordinator)).toEqual({
			ok: true
		});
		// A second click finds it already due.
		expect(await retryDelivery(waiting.id, world.pathwayId, world.coordinator)).toMatchObject({
			ok: false,
			message: 'Cet envoi est déjà en cours ou programmé.'
		});
		await drainDeliveries({ policy });
		expect((await rows(decisionId)).find((r) => r.channel === 'fhir')).toMatchObject({
			status: 'delivered',
			attempts: 2
		});
		expect(docsOf(decisionId)).toHaveLength(1);
	});

	it('down for a while: every attempt fails, the row ends failed after the last one, nothing lost', async () => {
		const { decisionId } = await validated();
		fhir.failNext(...Array.from({ length: policy.maxAttempts }, () => ({ status: 503 })));
		for (let i = 0; i < policy.maxAttempts; i++)
			await runDeliveryBatch({ policy }, later(10 * (i + 1))());
		const row = (await rows(decisionId)).find((r) => r.channel === 'fhir')!;
		expect(row).toMatchObject({ status: 'failed', attempts: policy.maxAttempts });
		expect(row.lastError).toMatch(/503 .*abandon après 4 tentatives/);
		expect(docsOf(decisionId)).toHaveLength(0);
		// The server is back: the coordinator relaunches, the decision arrives.
		await retryDelivery(row.id, world.pathwayId, world.coordinator);
		await drainDeliveries({ policy });
		expect(docsOf(decisionId)).toHaveLength(1);
	});
});

describe('when the mail server misbehaves', () => {
	it('a refused recipient fails for good with the server’s words; an unreachable server is retried', async () => {
		const { decisionId } = await validated({ gpEmail: 'refuse.gp@test.mssante.fr' });
		await drainDeliveries({ policy });
		const refused = (await rows(decisionId)).find(
			(r) => r.recipient === 'refuse.gp@test.mssante.fr'
		)!;
		expect(refused.status).toBe('failed');
		expect(refused.lastError).toMatch(/refusé ou interrompu.*550/);

		const second = await validated();
		process.env.SMTP_URL = 'smtp://127.0.0.1:9';
		resetMailTransport();
		try {
			await runDeliveryBatch({ policy });
			const mail = (await rows(second.decisionId)).filter((r) => r.channel === 'mail');
			expect(
				mail.every((r) => r.status === 'pending' && r.lastError?.includes('ECONNREFUSED'))
			).toBe(true);
		} finally {
			process.env.SMTP_URL = smtp.url;
			resetMailTransport();
		}
		await drainDeliveries({ policy }, later(1));
		expect((await rows(second.decisionId)).every((r) => r.status === 'delivered')).toBe(true);
	});
});

describe('a worker killed between sending and marking', () => {
	it('again and again: in the end one DocumentReference per decision version, nothing undelivered', async () => {
		const decided = [await validated(), await validated(), await validated()];
		const crash = () => {
			throw new Error('killed');
		};
		let clock = Date.now();
		for (let i = 0; i < 3; i++) {
			await expect(
				runDeliveryBatch({ policy, afterSend: crash, leaseMs: 1000 }, new Date(clock))
			).rejects.toThrow('killed');
			// Nothing was marked: the rows stay claimed until their lease runs out.
			for (const { decisionId } of decided)
				expect((await rows(decisionId)).every((r) => r.status === 'sending')).toBe(true);
			clock += 2000;
		}
		await drainDeliveries({ policy, leaseMs: 1000 }, () => new Date(clock));
		for (const { decisionId } of decided) {
			expect(docsOf(decisionId)).toHaveLength(1);
			expect(
				(await rows(decisionId)).every((r) => r.status === 'delivered' && r.attempts === 4)
			).toBe(true);
			for (const row of (await rows(decisionId)).filter((r) => r.channel === 'mail')) {
				// Resent mails keep their Message-ID; the in-app record holds each once.
				expect(
					await db
						.select()
						.from(mailMessages)
						.where(eq(mailMessages.messageId, `<decision-${row.id}@pluri.localhost>`))
				).toHaveLength(1);
			}
		}
		expect(await countUndelivered()).toBe(
			(await db.select().from(outbox).where(eq(outbox.status, 'failed'))).length
		);
		for (const { decisionId } of decided)
			expect((await rows(decisionId)).every((r) => r.status === 'delivered')).toBe(true);
	});
});

describe('the worker started with the server', () => {
	it('stops with the server, and the SMTP pool closes, so SIGTERM ends the process', async () => {
		// Earlier tests sent mails: the pooled SMTP transport is open.
		const listeners = () => process.listeners(SHUTDOWN_EVENT as 'exit');
		expect(listeners()).toContain(resetMailTransport);
		const baseline = listeners().length;
		const worker = startDeliveryWorker({ policy, pollMs: 60_000 });
		expect(startDeliveryWorker()).toBe(worker);
		expect(listeners()).toHaveLength(baseline + 1);
		// The Node adapter emits this once its HTTP server has closed; a sleeping worker or open
		// SMTP connections would hold the event loop and the process would never exit.
		process.emit(SHUTDOWN_EVENT as 'exit', 0);
		await expect.poll(() => startDeliveryWorker() !== worker).toBe(true);
		expect(listeners()).not.toContain(resetMailTransport);
		await startDeliveryWorker().stop();
		expect(listeners()).toHaveLength(0);
	});
});
