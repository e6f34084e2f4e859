import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createInterface } from 'node:readline';
import { it } from 'vitest';
import { validateDecision } from '$lib/server/decisions';
import { loadDecisionDocumentData } from '$lib/server/delivery/document-data';
import { countUndelivered } from '$lib/server/delivery/outbox';
import { loadDecisionPdf } from '$lib/server/delivery/pdf-store';
import { renderDecisionPdf } from '$lib/server/delivery/report-pdf';
import { drainDeliveries } from '$lib/server/delivery/worker';
import { resetMailTransport } from '$lib/server/mail';
import { migratedDb } from '../tests/support/db';
import { createDecisionWorld, proposal } from '../tests/integration/decisions-fixtures';

/**
 * P5 (DESIGN §9): 1,000 validated decisions drained to the loopback FHIR fake and SMTP server —
 * each decision is one DocumentReference and two mails (referring doctor and GP) with the PDF
 * and the XDM zip. Goal ≥ 200 decisions/s. Printed: the PDF rendering time, the drain rate
 * with the fiches already rendered (as after validation), and with the rendering inside it.
 */
const COUNT = Number(process.env.BENCH_DECISIONS ?? 1000);

function startFakes() {
	const child = spawn(process.execPath, ['bench/delivery-fakes.js'], {
		stdio: ['pipe', 'pipe', 'inherit']
	});
	const lines = createInterface({ input: child.stdout });
	const next = () => new Promise((resolve) => lines.once('line', (l) => resolve(JSON.parse(l))));
	return {
		ready: next(),
		stats: async () => {
			const p = next();
			child.stdin.write('stats\n');
			return p;
		},
		stop: () => child.stdin.end()
	};
}

function validateMany(world, n) {
	const ids = [];
	let meetingId = '';
	for (let i = 0; i < n; i++) {
		if (i % 100 === 0) {
			meetingId = world.newMeeting();
			world.checkIn(meetingId, world.quorumPeople);
		}
		const caseId = world.newCase(meetingId, { agendaPosition: (i % 100) + 1 });
		const r = validateDecision(caseId, meetingId, proposal(), world.chair);
		if (!r.ok) throw new Error(r.message);
		ids.push(r.decisionId);
	}
	return ids;
}

async function drain(label, n, fakes) {
	const before = await fakes.stats();
	const session = process.env.BENCH_PROFILE ? new Session() : null;
	if (session) {
		session.connect();
		await session.post('Profiler.enable');
		await session.post('Profiler.start');
	}
	const t0 = performance.now();
	const report = await drainDeliveries({ batchSize: 150, concurrency: 24 });
	const seconds = (performance.now() - t0) / 1000;
	if (session) {
		const { profile } = await session.post('Profiler.stop');
		writeFileSync(
			`${process.env.BENCH_PROFILE}-${label.replace(/\W+/g, '_')}.cpuprofile`,
			JSON.stringify(profile)
		);
		session.disconnect();
	}
	const after = await fakes.stats();
	console.log(
		`${label}: ${n} décisions (${report.delivered} envois) en ${seconds.toFixed(2)} s → ${(n / seconds).toFixed(0)} décisions/s` +
			` — FHIR +${after.documents - before.documents} DocumentReference, SMTP +${after.mails - before.mails} courriels` +
			(report.retried || report.failed
				? ` — ${report.retried} à reprendre, ${report.failed} en échec`
				: '')
	);
	return n / seconds;
}

it(`drains ${COUNT} validated decisions to loopback FHIR and SMTP`, async () => {
	const fakes = startFakes();
	const { fhirUrl, smtpUrl } = await fakes.ready;
	process.env.FHIR_BASE_URL = fhirUrl;
	// One pooled connection set, as a production relay would be used.
	process.env.SMTP_URL = `${smtpUrl}?pool=true&maxConnections=8&maxMessages=1000`;
	resetMailTransport();
	const db = migratedDb();
	const world = createDecisionWorld(db);

	try {
		// The fiche alone, rendered from scratch (fonts already parsed).
		const sample = validateMany(world, 30);
		await Promise.all(sample.map((id) => loadDecisionPdf(id)));
		const data = sample.map((id) => loadDecisionDocumentData(id));
		const times = [];
		for (const d of data) {
			const t = performance.now();
			await renderDecisionPdf(d);
			times.push(performance.now() - t);
		}
		times.sort((a, b) => a - b);
		console.log(
			`Fiche RCP (PDF) : médiane ${times[Math.floor(times.length / 2)].toFixed(1)} ms, p95 ${times[Math.floor(times.length * 0.95)].toFixed(1)} ms par fiche`
		);
		await drain('Échauffement', sample.length, fakes);

		// As after a meeting: decisions validated, their fiches rendered right after validation.
		let t0 = performance.now();
		const ready = validateMany(world, COUNT);
		const validateSeconds = (performance.now() - t0) / 1000;
		t0 = performance.now();
		await Promise.all(ready.map((id) => loadDecisionPdf(id)));
		console.log(
			`Validation : ${COUNT} décisions en ${validateSeconds.toFixed(2)} s ; fiches rendues en ${((performance.now() - t0) / 1000).toFixed(2)} s`
		);
		const rate = await drain('Envoi (fiches prêtes)', COUNT, fakes);

		// A backlog whose fiches are not rendered yet: rendering happens inside the drain.
		const cold = validateMany(world, COUNT);
		void cold;
		await drain('Envoi (fiches rendues pendant l’envoi)', COUNT, fakes);

		const left = countUndelivered();
		console.log(
			`Non transmis : ${left}. Objectif P5 ≥ 200 décisions/s (fiches prêtes) : ${rate >= 200 ? 'atteint' : 'non atteint'} (${rate.toFixed(0)}/s).`
		);
	} finally {
		fakes.stop();
		delete process.env.FHIR_BASE_URL;
		delete process.env.SMTP_URL;
		resetMailTransport();
	}
});
