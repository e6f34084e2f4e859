import { listEstablishments } from '$lib/server/establishments';
import { listUsers } from '$lib/server/users';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => {
	const names = new Map((await listEstablishments()).map((e) => [e.id, e.name]));
	return {
		users: (await listUsers()).map((u) => ({
			id: u.id,
			name: [u.title, u.firstName, u.lastName].filter(Boolean).join(' '),
			email: u.email,
			rpps: u.rpps,
			specialty: u.specialty,
			sector: u.sector,
			establishment: u.establishmentId ? (names.get(u.establishmentId) ?? null) : null,
			isAdmin: u.isAdmin,
			disabled: u.disabledAt !== null
		}))
	};
};
