import { canAdminister, canSubmitCase } from '$lib/server/auth/access';
import { requireUser } from '$lib/server/guard';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
	const user = requireUser(locals, url);
	const nav = [
		{ href: '/', label: 'Agenda' },
		{ href: '/calendar', label: 'Calendrier' },
		{ href: '/mailbox', label: 'Messagerie' }
	];
	if (canSubmitCase(locals.actor)) nav.push({ href: '/cases', label: 'Dossiers' });
	if (user.memberships.length) nav.push({ href: '/pathways', label: 'Filières' });
	if (canAdminister(locals.actor) || user.memberships.some((m) => m.role !== 'member'))
		nav.push({ href: '/stats', label: 'Statistiques' });
	if (canAdminister(locals.actor)) nav.push({ href: '/admin', label: 'Administration' });
	return {
		user: { displayName: user.displayName, specialty: user.specialty, isAdmin: user.isAdmin },
		nav
	};
};
