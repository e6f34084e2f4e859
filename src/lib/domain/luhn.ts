/** Luhn (mod 10) check over a string of digits, the key being its last digit. */
export function hasValidLuhnKey(digits: string): boolean {
	if (!/^\d+$/.test(digits)) return false;
	let sum = 0;
	for (let i = 0; i < digits.length; i++) {
		let d = digits.charCodeAt(digits.length - 1 - i) - 48;
		if (i % 2 === 1) {
			d *= 2;
			if (d > 9) d -= 9;
		}
		sum += d;
	}
	return sum % 10 === 0;
}

/** The key digit that makes `body` followed by it pass the Luhn check. */
export function computeLuhnKey(body: string): string {
	for (let k = 0; k <= 9; k++) if (hasValidLuhnKey(`${body}${k}`)) return String(k);
	throw new Error('computeLuhnKey: digits only');
}
