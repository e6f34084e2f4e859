import { canReadMailbox } from '$lib/server/auth/access';
import { ensure } from '$lib/server/guard';
import {
	formatMailboxCursor,
	listMailbox,
	MAILBOX_PAGE,
	parseMailboxCursor
} from '$lib/server/mailbox';
import { getSmtpUrl } from '$lib/server/config';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	ensure(canReadMailbox(locals.actor), 'La messagerie est réservée aux administrateurs.');
	const search = url.searchParams.get('q')?.trim().slice(0, 200) || null;
	const before = parseMailboxCursor(url.searchParams.get('avant'));
	const mails = listMailbox({ search, before });
	return {
		search,
		mails,
		smtp: getSmtpUrl() !== null,
		older: mails.length === MAILBOX_PAGE ? formatMailboxCursor(mails.at(-1)!) : null
	};
};
