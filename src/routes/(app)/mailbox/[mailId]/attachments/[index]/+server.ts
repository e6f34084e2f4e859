import { error } from '@sveltejs/kit';
import { canReadOwnMail } from '$lib/server/auth/access';
import { hideRefusal, notFound } from '$lib/server/guard';
import { auditMailRead, findMail, readMailAttachment } from '$lib/server/mailbox';
import type { RequestHandler } from './$types';

/** An attachment of the user's own mail (decision PDF, XDM zip, calendar invite). */
export const GET: RequestHandler = async ({ locals, params }) => {
	if (!locals.user) error(401, 'Connectez-vous pour télécharger cette pièce jointe.');
	const mail = await findMail(params.mailId);
	if (!mail || !canReadOwnMail(locals.actor, mail))
		return await hideRefusal('Ce message n’existe pas.');
	const file =
		readMailAttachment(mail, Number(params.index)) ?? notFound('Cette pièce jointe n’existe pas.');
	await auditMailRead(mail, locals.audit, file.filename);
	const safeName = file.filename.replace(/[^\w.-]+/g, '_');
	return new Response(new Uint8Array(file.content), {
		headers: {
			'content-type': file.contentType,
			'content-disposition': `attachment; filename="${safeName}"`,
			'cache-control': 'private, no-store'
		}
	});
};
