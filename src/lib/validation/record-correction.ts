import { z } from 'zod';
import { findCim10 } from '$lib/domain/cim10';
import { checkTnmValue, type TnmField } from '$lib/domain/tnm';

function tnm(field: TnmField) {
	return z
		.string()
		.optional()
		.transform((v, ctx) => {
			if (!v || !v.trim()) return null;
			const check = checkTnmValue(field, v);
			if (!check.ok) {
				ctx.addIssue({ code: 'custom', message: check.error });
				return z.NEVER;
			}
			return check.value;
		});
}

/** The staging a coordinator completes after the meeting so the Fiche RCP (CDA) can leave. */
export const stagingCorrectionSchema = z
	.object({
		primarySite: z
			.string()
			.optional()
			.transform((v, ctx) => {
				const entry = v && v.trim() ? findCim10(v) : undefined;
				if (!entry) {
					ctx.addIssue({
						code: 'custom',
						message: v?.trim()
							? `Localisation primitive : « ${v.trim()} » n’est pas un code CIM-10 de tumeur maligne (C00 à C97).`
							: 'Indiquez la localisation primitive (code CIM-10) : la fiche RCP CDA l’exige.'
					});
					return z.NEVER;
				}
				return entry.code;
			}),
		cT: tnm('cT'),
		cN: tnm('cN'),
		cM: tnm('cM')
	})
	.superRefine((v, ctx) => {
		if (!v.cT && !v.cN && !v.cM) {
			ctx.addIssue({
				code: 'custom',
				path: ['cT'],
				message: 'Indiquez au moins un élément du stade TNM clinique (cT, cN ou cM).'
			});
		}
	});
