import { canReadMailbox } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { readMailAttachment } from '$lib/server/mailbox';
import type { RequestHandler } from './$types';

export const GET: RequestHandler = ({ locals, params }) => {
	ensure(canReadMailbox(locals.actor), 'La messagerie est réservée aux administrateurs.');
	const index = Number(params.index);
	const file = Number.isInteger(index)
		? readMailAttachment(params.mailId, index, locals.audit)
		: null;
	if (!file) notFound('Cette pièce jointe n’existe pas.');
	const safeName = file.filename.replace(/[^\w.-]+/g, '_');
	return new Response(new Uint8Array(file.content), {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `attachment; filename="${safeName}"`,
			'cache-control': 'private, no-store'
		}
	});
};
