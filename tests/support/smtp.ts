import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
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
