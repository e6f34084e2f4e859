import { canReadMailbox } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { openMail } from '$lib/server/mailbox';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, params }) => {
	ensure(canReadMailbox(locals.actor), 'La messagerie est réservée aux administrateurs.');
	const mail = openMail(params.mailId, locals.audit) ?? notFound('Ce message n’existe pas.');
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
			messageId: mail.messageId,
			icsSequence: mail.icsSequence,
			attachments: mail.attachments.map((a) => ({
				filename: a.filename,
				contentType: a.contentType,
				size: a.size ?? Math.ceil((a.content.length * 3) / 4),
				kept: a.content !== ''
			}))
		}
	};
};
