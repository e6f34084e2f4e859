import { z } from 'zod';
import { emailField } from './form';

export const loginSchema = z.object({
	email: emailField,
	password: z
		.string({ error: 'Le mot de passe est obligatoire.' })
		.min(1, 'Le mot de passe est obligatoire.')
		.max(256, 'Le mot de passe est trop long.'),
	redirectTo: z.string().optional()
});

export const newPasswordSchema = z
	.object({
		password: z
			.string({ error: 'Le mot de passe est obligatoire.' })
			.min(12, 'Le mot de passe doit comporter au moins 12 caractères.')
			.max(256, 'Le mot de passe est trop long.'),
		confirmPassword: z.string().optional()
	})
	.refine((v) => v.password === v.confirmPassword, {
		message: 'Les deux mots de passe ne sont pas identiques.',
		path: ['confirmPassword']
	});

/** Only same-site paths, so the login form cannot redirect elsewhere. */
export function safeRedirect(target: string | null | undefined): string {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\'))
		return '/';
	return target;
}
