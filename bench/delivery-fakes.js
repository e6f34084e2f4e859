// Child process of the delivery benchmark: the FHIR contract fake and an SMTP server on
// loopback, in their own process so that they do not share the worker's event loop. The SMTP
// server reads each message fully and counts it (no parsing: it stands for a relay).
import { SMTPServer } from 'smtp-server';
import { startFhirFake } from '../tests/support/fhir-fake.js';

const fhir = await startFhirFake();
let mails = 0;
let bytes = 0;
const smtp = new SMTPServer({
	authOptional: true,
	disabledCommands: ['STARTTLS', 'AUTH'],
	logger: false,
	size: 50 * 1024 * 1024,
	onData(stream, _session, callback) {
		stream.on('data', (chunk) => (bytes += chunk.length));
		stream.on('end', () => {
			mails++;
			callback();
		});
	}
});
await new Promise((resolve) => smtp.listen(0, '127.0.0.1', () => resolve(undefined)));
const address = smtp.server.address();
const port = typeof address === 'object' && address ? address.port : 0;
process.stdout.write(
	`${JSON.stringify({ fhirUrl: fhir.url, smtpUrl: `smtp://127.0.0.1:${port}` })}\n`
);
process.stdin.on('data', (line) => {
	if (String(line).trim() === 'stats') {
		process.stdout.write(
			`${JSON.stringify({ documents: fhir.documents().length, mails, bytes })}\n`
		);
	}
});
process.stdin.on('end', () => process.exit(0));
