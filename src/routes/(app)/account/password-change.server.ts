import { fail, type RequestEvent } from '@sveltejs/kit';
import { recordAudit } from '$lib/server/audit';
import { checkCurrentPassword } from '$lib/server/auth/login';
import { setSessionCookie } from '$lib/server/auth/session';
import { isSecureOrigin } from '$lib/server/config';
import { requireUser } from '$lib/server/guard';
import { changeOwnPassword, getUser } from '$lib/server/users';
import { changePasswordSchema } from '$lib/validation/auth';
import { parseForm } from '$lib/validation/form';

/**
 * The own-password change behind `/account?/password` and `/account/password`: the current
 * password (throttled like a login), the new one twice under the policy; on success every
 * session of the account ends and this browser gets a new one.
 */
export async function changePasswordFromForm(event: RequestEvent) {
	const { locals, url, request, cookies } = event;
	const user = requireUser(locals, url);
	const parsed = parseForm(changePasswordSchema, await request.formData());
	if (!parsed.ok) return fail(400, { action: 'password', errors: parsed.errors });
	const account = await getUser(user.id);
	if (!account?.passwordHash)
		return fail(400, {
			action: 'password',
			errors: {
				form: 'Ce compte se connecte par un fournisseur d’identité, sans mot de passe Pluri : il n’y a rien à changer.'
			}
		});
	const ip = locals.audit.ip ?? 'unknown';
	const current = await checkCurrentPassword(account, parsed.data.currentPassword, ip);
	if (!current.ok) {
		await recordAudit(locals.audit, {
			action: 'user.password_change_failure',
			objectType: 'user',
			objectId: user.id,
			detail: { reason: current.throttled ? 'throttled' : 'current_password' }
		});
		return fail(400, { action: 'password', errors: { currentPassword: current.message } });
	}
	const result = await changeOwnPassword(
		user.id,
		parsed.data.password,
		{ ip, userAgent: request.headers.get('user-agent') },
		locals.audit
	);
	if (!result.ok)
		return fail(400, { action: 'password', errors: { [result.field]: result.message } });
	setSessionCookie(cookies, result.token, result.session.expiresAt, isSecureOrigin(url));
	locals.session = result.session;
	user.mustChangePassword = false;
	return { action: 'password' as const, changed: true as const };
}
