import { describe, expect, it } from 'vitest';
import { mailMessages } from '$lib/server/db/schema';
import {
	formatMailboxCursor,
	listMailbox,
	MAILBOX_PAGE,
	parseMailboxCursor
} from '$lib/server/mailbox';
import { migratedDb } from '../support/db';

const db = migratedDb();

describe('admin mailbox pages', () => {
	it('pages back through a batch of mails stored in the same millisecond, losing none', () => {
		const at = new Date('2027-02-05T08:00:00.123Z');
		const total = MAILBOX_PAGE + 7;
		for (let i = 0; i < total; i++) {
			db.insert(mailMessages)
				.values({
					id: crypto.randomUUID(),
					to: `medecin${i}@demo.fr`,
					subject: 'Invitation : RCP',
					text: 'Bonjour',
					kind: 'invitation',
					messageId: `<${crypto.randomUUID()}@pluri>`,
					status: 'stored',
					createdAt: at
				})
				.run();
		}
		const first = listMailbox();
		expect(first).toHaveLength(MAILBOX_PAGE);
		const cursor = parseMailboxCursor(formatMailboxCursor(first.at(-1)!));
		const second = listMailbox({ before: cursor });
		const seen = new Set([...first, ...second].map((m) => m.id));
		expect(second).toHaveLength(total - MAILBOX_PAGE);
		expect(seen.size).toBe(total);
	});

	it('reads a plain date cursor and ignores a malformed one', () => {
		expect(parseMailboxCursor('1800000000000')).toEqual({
			at: new Date(1800000000000),
			id: null
		});
		expect(parseMailboxCursor('abc')).toBeNull();
		expect(parseMailboxCursor('-5')).toBeNull();
		expect(parseMailboxCursor(null)).toBeNull();
	});
});
