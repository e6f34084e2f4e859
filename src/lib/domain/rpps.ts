import { hasValidLuhnKey } from './luhn';

/**
 * RPPS: 11 digits whose last is a Luhn key over the 11. Checked on numbers of the public
 * directory (10001341998, 10000705706, 10100192334). The directory's « Identification
 * nationale PP » is the RPPS prefixed with 8 (12 digits); both forms are accepted here.
 */
export type RppsCheck = { ok: true; rpps: string } | { ok: false; error: string };

export function checkRpps(input: string): RppsCheck {
	let rpps = input.replace(/\s+/g, '');
	if (/^8\d{11}$/.test(rpps)) rpps = rpps.slice(1);
	if (!/^\d{11}$/.test(rpps)) return { ok: false, error: 'Le numéro RPPS comporte 11 chiffres.' };
	if (!hasValidLuhnKey(rpps))
		return {
			ok: false,
			error: 'La clé du numéro RPPS (dernier chiffre) est fausse : vérifiez le numéro.'
		};
	return { ok: true, rpps };
}
