import { canAdminister } from '$lib/server/auth/access';
import { requireUser } from '$lib/server/guard';
import type { LayoutServerLoad } from './$types';

export const load: LayoutServerLoad = ({ locals, url }) => {
	const user = requireUser(locals, url);
	const nav = [{ href: '/', label: 'Agenda' }];
	if (canAdminister(locals.actor)) nav.push({ href: '/admin', label: 'Administration' });
	return {
		user: { displayName: user.displayName, specialty: user.specialty, isAdmin: user.isAdmin },
		nav
	};
};
