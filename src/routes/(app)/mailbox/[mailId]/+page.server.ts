import { canReadOwnMail } from '$lib/server/auth/access';
import { hideRefusal, requireUser } from '$lib/server/guard';
import { auditMailRead, findMail } from '$lib/server/mailbox';
import type { PageServerLoad } from './$types';

/** One of the user's own mails; anyone else's reads as absent. */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	requireUser(locals, url);
	const mail = await findMail(params.mailId);
	if (!mail || !canReadOwnMail(locals.actor, mail))
		return await hideRefusal('Ce message n’existe pas.');
	await auditMailRead(mail, locals.audit);
	return {
		mail: {
			id: mail.id,
			to: mail.to,
			subject: mail.subject,
			text: mail.text,
			kind: mail.kind,
			status: mail.status,
			error: mail.error,
			createdAt: mail.createdAt,
			sentAt: mail.sentAt,
			attachments: mail.attachments.map((a) => ({
				filename: a.filename,
				contentType: a.contentType.split(';')[0]!,
				size: a.size ?? Math.ceil((a.content.length * 3) / 4),
				kept: a.content !== ''
			}))
		}
	};
};
