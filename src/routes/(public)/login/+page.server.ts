import { fail, redirect } from '@sveltejs/kit';
import { attemptLogin } from '$lib/server/auth/login';
import { getOidcSettings } from '$lib/server/auth/oidc';
import { createSession, setSessionCookie } from '$lib/server/auth/session';
import { isSecureOrigin } from '$lib/server/config';
import { loginSchema, safeRedirect } from '$lib/validation/auth';
import { parseForm } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

const oidcMessages: Record<string, string> = {
	unreachable:
		'Le service d’authentification est injoignable. Réessayez ou utilisez votre mot de passe.',
	flow: 'La connexion a expiré ou a été interrompue. Recommencez.',
	provider: 'Le service d’authentification a refusé la connexion. Recommencez.',
	acr: 'Le niveau d’authentification obtenu est insuffisant (carte CPS ou e-CPS requise).',
	rpps: 'Le service d’authentification n’a pas transmis de numéro RPPS.',
	unknown:
		'Aucun compte Pluri ne correspond à votre numéro RPPS. Contactez la coordination de votre filière.',
	disabled: 'Ce compte est désactivé. Contactez l’administrateur de Pluri.'
};

export const load: PageServerLoad = ({ locals, url }) => {
	const redirectTo = safeRedirect(url.searchParams.get('redirectTo'));
	if (locals.user) redirect(303, redirectTo);
	const oidcError = url.searchParams.get('oidcError');
	return {
		redirectTo,
		expired: url.searchParams.has('expired'),
		oidcLabel: getOidcSettings()?.label ?? null,
		oidcError: oidcError ? (oidcMessages[oidcError] ?? oidcMessages.provider) : null
	};
};

// public: the login form is what an anonymous visitor uses to get a session; it is throttled
// per account and address (auth/login.ts) and declared open in route-policy.ts.
export const actions: Actions = {
	default: async ({ request, cookies, getClientAddress, url }) => {
		const parsed = parseForm(loginSchema, await request.formData());
		if (!parsed.ok) return fail(400, { values: parsed.values, errors: parsed.errors });
		const secure = isSecureOrigin(url);
		const ip = getClientAddress();
		const result = await attemptLogin(parsed.data.email, parsed.data.password, ip, cookies, secure);
		if (!result.ok) {
			return fail(400, { values: parsed.values, errors: { form: result.message } });
		}
		const { token, session } = await createSession(result.userId, {
			ip,
			userAgent: request.headers.get('user-agent')
		});
		setSessionCookie(cookies, token, session.expiresAt, secure);
		redirect(303, safeRedirect(parsed.data.redirectTo));
	}
};
