import { requireUser } from '$lib/server/guard';
import {
	formatMailboxCursor,
	listInbox,
	MAILBOX_PAGE,
	parseMailboxCursor
} from '$lib/server/mailbox';
import type { PageServerLoad } from './$types';

/** The mails addressed to the logged-in account, and only those. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const user = requireUser(locals, url);
	const before = parseMailboxCursor(url.searchParams.get('avant'));
	const mails = await listInbox(user.id, before);
	return {
		mails,
		paged: before !== null,
		older: mails.length === MAILBOX_PAGE ? formatMailboxCursor(mails.at(-1)!) : null
	};
};
