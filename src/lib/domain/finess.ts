import { hasValidLuhnKey } from './luhn';

/**
 * FINESS: 9 characters, the department (2 digits, 2A/2B for Corsica, 97/98 overseas) then 6
 * digits and a Luhn key over the 9 characters. Checked on real numbers (CHU Dijon Bourgogne
 * 210780581, AP-HP 750712184). For Corsican numbers no published rule for the key was found, so
 * only their form is checked (judgement call: refusing a real establishment is worse).
 */
export type FinessCheck = { ok: true; finess: string } | { ok: false; error: string };

export function checkFiness(input: string): FinessCheck {
	const finess = input.replace(/\s+/g, '').toUpperCase();
	if (!/^(\d{2}|2A|2B)\d{7}$/.test(finess))
		return {
			ok: false,
			error:
				'Le numéro FINESS comporte 9 caractères : le département puis 7 chiffres (exemple : 210780581).'
		};
	if (/^2[AB]/.test(finess)) return { ok: true, finess };
	if (!hasValidLuhnKey(finess))
		return {
			ok: false,
			error: 'La clé du numéro FINESS (dernier chiffre) est fausse : vérifiez le numéro.'
		};
	return { ok: true, finess };
}
