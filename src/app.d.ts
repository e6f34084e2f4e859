import type { Actor } from '$lib/server/auth/access';
import type { SessionRecord } from '$lib/server/auth/session';
import type { AuditContext } from '$lib/server/audit';
import type { SessionUser } from '$lib/server/users';

declare global {
	namespace App {
		interface Error {
			message: string;
			errorId?: string;
		}
		interface Locals {
			user: SessionUser | null;
			session: SessionRecord | null;
			actor: Actor;
			audit: AuditContext;
			/** A session cookie came with the request but no longer opens a session. */
			sessionExpired: boolean;
			/** A refusal of this request is already in the audit trail. */
			refusalAudited?: boolean;
		}
	}
}

export {};
