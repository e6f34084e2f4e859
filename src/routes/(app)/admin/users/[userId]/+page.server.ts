import { fail } from '@sveltejs/kit';
import { listSpecialtyChoices } from '$lib/domain/specialty-options';
import { isSpecialtyCode, listSpecialtyEntries } from '$lib/domain/specialties';
import { listEstablishments } from '$lib/server/establishments';
import { canAdminister } from '$lib/server/auth/access';
import { ensure, notFound } from '$lib/server/guard';
import { listPathways } from '$lib/server/pathways';
import {
	getUser,
	listMemberships,
	replaceMemberships,
	setUserDisabled,
	setUserPassword,
	updateUser
} from '$lib/server/users';
import { membershipSchema, userSchema } from '$lib/validation/admin';
import { newPasswordSchema } from '$lib/validation/auth';
import { parseForm } from '$lib/validation/form';
import type { Actions, PageServerLoad } from './$types';

async function loadUser(id: string) {
	return (await getUser(id)) ?? notFound('Ce compte n’existe pas.');
}

export const load: PageServerLoad = async ({ params, url, locals }) => {
	await ensure(canAdminister(locals.actor));
	const { passwordHash: _hash, ...user } = await loadUser(params.userId);
	return {
		account: { ...user, hasPassword: _hash !== null },
		memberships: (await listMemberships(user.id)).map((m) => `${m.pathwayId}:${m.role}`),
		pathways: (await listPathways()).map((p) => ({ id: p.id, name: p.name })),
		establishments: (await listEstablishments()).map((e) => ({ id: e.id, name: e.name })),
		specialties: listSpecialtyChoices(listSpecialtyEntries(), user.specialty),
		created: url.searchParams.has('created')
	};
};

export const actions: Actions = {
	save: async ({ request, params, locals }) => {
		await ensure(canAdminister(locals.actor));
		const current = await loadUser(params.userId);
		const parsed = parseForm(userSchema, await request.formData());
		if (!parsed.ok)
			return fail(400, { action: 'save', values: parsed.values, errors: parsed.errors });
		// A specialty disabled since may stay on the person; choosing it anew is refused.
		const specialty = parsed.data.specialty;
		if (specialty && specialty !== current.specialty && !isSpecialtyCode(specialty))
			return fail(400, {
				action: 'save',
				values: parsed.values,
				errors: { specialty: 'Spécialité inconnue ou désactivée : choisissez-en une de la liste.' }
			});
		if (params.userId === locals.user?.id && !parsed.data.isAdmin)
			return fail(400, {
				action: 'save',
				values: parsed.values,
				errors: { isAdmin: 'Vous ne pouvez pas retirer vos propres droits d’administration.' }
			});
		const result = await updateUser(params.userId, parsed.data, locals.audit);
		if (!result.ok)
			return fail(400, {
				action: 'save',
				values: parsed.values,
				errors: { [result.field]: result.message }
			});
		return { action: 'save', success: 'Le compte a été enregistré.' };
	},
	memberships: async ({ request, params, locals }) => {
		await ensure(canAdminister(locals.actor));
		await loadUser(params.userId);
		const parsed = parseForm(membershipSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'memberships', errors: parsed.errors });
		const known = new Set((await listPathways()).map((p) => p.id));
		const list = parsed.data.memberships
			.map((entry) => entry.split(':') as [string, 'coordinator' | 'chair' | 'member'])
			.filter(([pathwayId]) => known.has(pathwayId))
			.map(([pathwayId, role]) => ({ pathwayId, role }));
		await replaceMemberships(params.userId, list, locals.audit);
		return { action: 'memberships', success: 'Les rôles dans les filières ont été enregistrés.' };
	},
	disable: async ({ params, locals }) => {
		await ensure(canAdminister(locals.actor));
		await loadUser(params.userId);
		if (params.userId === locals.user?.id)
			return fail(400, {
				action: 'disable',
				errors: { form: 'Vous ne pouvez pas désactiver votre propre compte.' }
			});
		await setUserDisabled(params.userId, true, locals.audit);
		return {
			action: 'disable',
			success: 'Le compte est désactivé ; ses sessions ont été fermées.'
		};
	},
	enable: async ({ params, locals }) => {
		await ensure(canAdminister(locals.actor));
		await loadUser(params.userId);
		await setUserDisabled(params.userId, false, locals.audit);
		return { action: 'enable', success: 'Le compte est réactivé.' };
	},
	password: async ({ request, params, locals }) => {
		await ensure(canAdminister(locals.actor));
		await loadUser(params.userId);
		const parsed = parseForm(newPasswordSchema, await request.formData());
		if (!parsed.ok) return fail(400, { action: 'password', errors: parsed.errors });
		const result = await setUserPassword(params.userId, parsed.data.password, locals.audit);
		if (!result.ok)
			return fail(400, { action: 'password', errors: { [result.field]: result.message } });
		return {
			action: 'password',
			success:
				'Le mot de passe a été remplacé ; les sessions ouvertes ont été fermées. La personne devra choisir son propre mot de passe à sa prochaine connexion.'
		};
	}
};
