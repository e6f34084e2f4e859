import { simpleParser, type ParsedMail } from 'mailparser';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface SmtpCatcher {
	url: string;
	port: number;
	mails: ParsedMail[];
	/** Resolves once `count` mails have arrived (or rejects after `timeoutMs`). */
	waitFor(count: number, timeoutMs?: number): Promise<ParsedMail[]>;
	close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 that keeps and parses every mail it accepts. `reject` lets a
 * test make it refuse recipients (a 550, as a relay would).
 */
export async function startSmtpCatcher(
	options: { reject?: (to: string) => boolean; extra?: Partial<SMTPServerOptions> } = {}
): Promise<SmtpCatcher> {
	const mails: ParsedMail[] = [];
	const waiters: (() => void)[] = [];
	const server = new SMTPServer({
		authOptional: true,
		disabledCommands: ['STARTTLS', 'AUTH'],
		logger: false,
		onRcptTo(address, _session, callback) {
			if (options.reject?.(address.address)) {
				const err = Object.assign(new Error('Destinataire refusé'), { responseCode: 550 });
				return callback(err);
			}
			callback();
		},
		onData(stream, _session, callback) {
			simpleParser(stream)
				.then((mail) => {
					mails.push(mail);
					waiters.splice(0).forEach((w) => w());
					callback();
				})
				.catch((e: Error) => callback(e));
		},
		...options.extra
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.server.address() as AddressInfo).port;
	return {
		url: `smtp://127.0.0.1:${port}`,
		port,
		mails,
		waitFor(count, timeoutMs = 5000) {
			return new Promise((resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`only ${mails.length} of ${count} mails arrived`)),
					timeoutMs
				);
				const check = () => {
					if (mails.length >= count) {
						clearTimeout(timer);
						resolve(mails);
					} else waiters.push(check);
				};
				check();
			});
		},
		close: () => new Promise<void>((resolve) => server.close(() => resolve()))
	};
}

/** A mail kept by the e2e server's SMTP fake (tests/support/delivery-fakes.js). */
export interface CapturedMail {
	to: string;
	subject: string;
	messageId: string;
	text: string;
	headers: Record<string, string>;
	attachments: { filename: string; contentType: string; size: number; content: string }[];
}

/**
 * The mails the e2e server sent so far, as its SMTP fake received them: the only place a
 * working link (guest token, signed reply) exists, since Pluri never stores one in clear.
 */
export async function readCapturedMails(
	port = process.env.E2E_PORT ?? '4317'
): Promise<CapturedMail[]> {
	const info = JSON.parse(
		readFileSync(join(tmpdir(), `pluri-e2e-${port}`, 'delivery.json'), 'utf8')
	) as { mailApiUrl: string };
	const response = await fetch(`${info.mailApiUrl}/mails`);
	return (await response.json()) as CapturedMail[];
}

/** The first link of the latest captured mail to `to` whose subject matches and that has one. */
export async function findCapturedLink(
	to: string,
	subject: RegExp,
	link: RegExp
): Promise<string | null> {
	const mails = (await readCapturedMails()).filter(
		(m) => m.to.toLowerCase().includes(to.toLowerCase()) && subject.test(m.subject)
	);
	for (const mail of mails.reverse()) {
		const found = (mail.text.match(/https?:\/\/[^\s<>"]+/g) ?? []).find((u) => link.test(u));
		if (found) return found;
	}
	return null;
}
