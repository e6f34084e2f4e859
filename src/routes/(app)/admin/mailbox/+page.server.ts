import { canReadMailbox } from '$lib/server/auth/access';
import { getSmtpUrl } from '$lib/server/config';
import { ensure } from '$lib/server/guard';
import {
	formatMailboxCursor,
	listMailDeliveries,
	MAILBOX_PAGE,
	parseMailboxCursor
} from '$lib/server/mailbox';
import type { PageServerLoad } from './$types';

/** Delivery metadata only: the body and attachments are for the recipient alone. */
export const load: PageServerLoad = async ({ locals, url }) => {
	await ensure(
		canReadMailbox(locals.actor),
		'Le suivi des envois est réservé aux administrateurs.'
	);
	const search = url.searchParams.get('q')?.trim().slice(0, 200) || null;
	const before = parseMailboxCursor(url.searchParams.get('avant'));
	const mails = await listMailDeliveries({ search, before });
	return {
		search,
		mails,
		smtp: getSmtpUrl() !== null,
		older: mails.length === MAILBOX_PAGE ? formatMailboxCursor(mails.at(-1)!) : null
	};
};
