// The outside systems a validated decision goes to, for the e2e server: the FHIR contract fake
// (the patient record) and a real SMTP server on 127.0.0.1 that keeps every mail, with a small
// HTTP API to read them. Their addresses are written to delivery.json in the e2e folder.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { startFhirFake } from './fhir-fake.js';

/** @param {import('node:net').AddressInfo | string | null} a */
const portOf = (a) => (typeof a === 'object' && a ? a.port : 0);

/** @param {string} dir */
export async function startDeliveryFakes(dir) {
	const fhir = await startFhirFake();
	/** @type {object[]} */
	const mails = [];
	const smtp = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onData(stream, _session, callback) {
			simpleParser(stream)
				.then((mail) => {
					mails.push({
						to: mail.to
							? (Array.isArray(mail.to) ? mail.to : [mail.to]).map((t) => t.text).join(', ')
							: '',
						subject: mail.subject ?? '',
						messageId: mail.messageId ?? '',
						text: mail.text ?? '',
						headers: Object.fromEntries(
							[...mail.headers.entries()]
								.filter(([k]) => k.startsWith('x-mss-'))
								.map(([k, v]) => [k, String(v)])
						),
						attachments: mail.attachments.map((a) => ({
							filename: a.filename ?? '',
							contentType: a.contentType,
							size: a.size,
							content: a.content.toString('base64')
						}))
					});
					callback();
				})
				.catch((/** @type {Error} */ e) => callback(e));
		}
	});
	await new Promise((resolve) => smtp.listen(0, '127.0.0.1', () => resolve(undefined)));
	const smtpPort = portOf(smtp.server.address());

	const api = createServer((req, res) => {
		if (req.url === '/mails') {
			res.writeHead(200, { 'content-type': 'application/json' });
			return res.end(JSON.stringify(mails));
		}
		// POST /fhir/fail with a JSON list of faults (see fhir-fake.js): the record's next creates
		// fail that way, so the pages can be tried with the record down.
		if (req.url === '/fhir/fail' && req.method === 'POST') {
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				fhir.failNext(...JSON.parse(body || '[]'));
				res.writeHead(204).end();
			});
			return;
		}
		res.writeHead(404).end();
	});
	await new Promise((resolve) => api.listen(0, '127.0.0.1', () => resolve(undefined)));
	const mailApiUrl = `http://127.0.0.1:${portOf(api.address())}`;

	const info = { fhirUrl: fhir.url, smtpUrl: `smtp://127.0.0.1:${smtpPort}`, mailApiUrl };
	writeFileSync(join(dir, 'delivery.json'), JSON.stringify(info));
	return {
		env: { FHIR_BASE_URL: fhir.url, SMTP_URL: info.smtpUrl },
		stop: async () => {
			await fhir.close();
			await new Promise((resolve) => smtp.close(() => resolve(undefined)));
			await new Promise((resolve) => api.close(() => resolve(undefined)));
		}
	};
}
