import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { outbox } from '$lib/server/db/schema';
import { enqueueDeliveries } from '$lib/server/delivery/outbox';
import { drainDeliveries, startDeliveryWorker } from '$lib/server/delivery/worker';
import { resetMailTransport } from '$lib/server/mail';
import { migratedDb, transaction, queryOne } from '../support/db';
import { startFhirFake, type FhirFake } from '../support/fhir-fake.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp';
import { createDecisionWorld, proposal } from './decisions-fixtures';
import { validateDecision } from '$lib/server/decision-validation';

/**
 * A decision validated in the room leaves at once: rows enqueued in this process wake the
 * sleeping worker, whose poll (here a minute) is only the fallback for other processes.
 */

const db = await migratedDb();
const world = await createDecisionWorld(db);
let fhir: FhirFake;
let smtp: SmtpCatcher;

beforeAll(async () => {
	fhir = await startFhirFake();
	smtp = await startSmtpCatcher();
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

it('wakes the sleeping worker when delivery rows are enqueued, without waiting for its poll', async () => {
	const m = await world.newMeeting();
	const c = await world.newCase(m);
	await world.checkIn(m, world.quorumPeople);
	const r = await validateDecision(c, m, proposal(), world.chair);
	if (!r.ok) throw new Error(r.message);
	await drainDeliveries();
	const before = smtp.mails.length;

	const worker = startDeliveryWorker({ pollMs: 60_000 });
	try {
		// Let its first batch find nothing and the loop go to sleep for a minute.
		await new Promise((resolve) => setTimeout(resolve, 100));
		const enqueuedAt = Date.now();
		await transaction(db, async (tx) =>
			enqueueDeliveries(
				tx,
				r.decisionId,
				[{ channel: 'mail', recipient: 'dr.tardif@test.mssante.fr' }],
				new Date()
			)
		);
		const mails = await smtp.waitFor(before + 1, 5_000);
		const latency = Date.now() - enqueuedAt;
		expect(mails.at(-1)!.to).toMatchObject({ text: 'dr.tardif@test.mssante.fr' });
		expect(latency).toBeLessThan(2_000);
		console.log(`Ligne d’envoi ajoutée → mail reçu : ${latency} ms`);
		const row = db.select().from(outbox).where(eq(outbox.recipient, 'dr.tardif@test.mssante.fr'));
		await expect.poll(async () => (await queryOne(row))?.status).toBe('delivered');
	} finally {
		await worker.stop();
	}
});
