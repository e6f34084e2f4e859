/**
 * TNM values (UICC 8th edition) as typed in a case request. The check is site-independent: it
 * refuses what no site allows (T5, N4, M2, the withdrawn MX) and leaves finer, site-specific
 * subcategories to the pathway's doctors.
 */
export type TnmField = 'cT' | 'cN' | 'cM' | 'pT' | 'pN';

export type TnmCheck = { ok: true; value: string } | { ok: false; error: string };

const patterns: Readonly<Record<'T' | 'N' | 'M', RegExp>> = {
	T: /^T(?:X|0|IS|1MI|[1-4][A-D]?)$/,
	N: /^N(?:X|0|1MI|[1-3][A-C]?)$/,
	M: /^M(?:0|1[A-D]?)$/
};

const allowed: Readonly<Record<'T' | 'N' | 'M', string>> = {
	T: 'TX, T0, Tis, T1 à T4, avec une sous-catégorie a à d (par exemple T3 ou T2a)',
	N: 'NX, N0, N1 à N3, avec une sous-catégorie a à c (par exemple N1b)',
	M: 'M0 ou M1, avec une sous-catégorie a à d (par exemple M1a)'
};

/** Display spelling: « Tis », « T1mi », « T2a ». */
function spell(upper: string): string {
	return upper.charAt(0) + upper.slice(1).toLowerCase().replace(/^x$/, 'X');
}

/**
 * Normalizes one TNM value. Accepts « T2a », « 2a », « cT2a » (the field's own prefix) in any
 * case; returns the value without prefix (« T2a »).
 */
export function checkTnmValue(field: TnmField, input: string): TnmCheck {
	const axis = field.charAt(1) as 'T' | 'N' | 'M';
	const prefix = field.charAt(0).toUpperCase();
	let text = input.trim().replace(/\s+/g, '').toUpperCase();
	if (text.startsWith(prefix + axis)) text = text.slice(1);
	else if (/^[0-9]/.test(text) || text === 'X' || text === 'IS') text = axis + text;
	if (axis === 'M' && text === 'MX') {
		return {
			ok: false,
			error: `${field} : MX n’existe plus dans la 8e édition de la classification TNM ; indiquez ${field === 'cM' ? 'cM0 ou cM1' : 'M0 ou M1'}.`
		};
	}
	if (!patterns[axis].test(text)) {
		return {
			ok: false,
			error: `${field} : « ${input.trim()} » n’est pas une valeur possible. Valeurs admises : ${allowed[axis]}.`
		};
	}
	return { ok: true, value: spell(text) };
}

/** « cT2a cN1 cM0 — pT3 pN1 »; empty parts are left out. */
export function formatTnm(values: Partial<Record<TnmField, string | null | undefined>>): string {
	const clinical = (['cT', 'cN', 'cM'] as const)
		.filter((f) => values[f])
		.map((f) => `c${values[f]}`);
	const pathological = (['pT', 'pN'] as const).filter((f) => values[f]).map((f) => `p${values[f]}`);
	return [clinical.join(' '), pathological.join(' ')].filter(Boolean).join(' — ');
}
