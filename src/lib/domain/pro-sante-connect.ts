/**
 * Reads the health professional's RPPS from the claims of an OpenID Connect provider shaped like
 * Pro Santé Connect: `SubjectNameID` carries the national identifier, an 8 (RPPS type) followed
 * by the 11-digit RPPS; other providers may send a plain `rpps` claim.
 */
export function extractRpps(claims: Record<string, unknown>): string | null {
	const rpps = claims.rpps;
	if (typeof rpps === 'string' && /^\d{11}$/.test(rpps)) return rpps;
	const national = claims.SubjectNameID;
	if (typeof national === 'string') {
		const m = /^8(\d{11})$/.exec(national);
		if (m) return m[1]!;
	}
	return null;
}

/** eIDAS "substantial" (eidas1) is the level Pro Santé Connect grants to CPS and e-CPS logins. */
export function isAcceptedAcr(acr: unknown, required: string): boolean {
	return typeof acr === 'string' && acr === required;
}
