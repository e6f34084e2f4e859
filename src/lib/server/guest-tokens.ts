/**
 * Guest link tokens the server can derive again without keeping them in clear:
 * token = HMAC-SHA256(app secret, invitation id + a random nonce stored on the invitation).
 * The database holds the nonce and the token's SHA-256 (the lookup key), never the token; a
 * database leak without the app secret gives no working link. Renewal or revocation changes the
 * nonce (and the hash), so the previous link stops working. Links issued before nonces existed
 * (random tokens) keep working by their hash, but cannot be re-derived.
 */
import { generateToken, hashToken } from './tokens';
import { signPayload } from './signing';

function payload(invitationId: string, nonce: string): string {
	return `guest-link:${invitationId}:${nonce}`;
}

/** A fresh token for an invitation, with what the row stores for it. */
export async function issueGuestToken(invitationId: string): Promise<{
	token: string;
	tokenNonce: string;
	tokenHash: string;
}> {
	const tokenNonce = generateToken();
	const token = await signPayload(payload(invitationId, tokenNonce));
	return { token, tokenNonce, tokenHash: hashToken(token) };
}

/**
 * The invitation's current token, derived again for a later mail (meeting moved, reminder), or
 * null when it cannot be: no nonce (a link issued before), or a hash that no longer matches.
 */
export async function deriveGuestToken(inv: {
	id: string;
	tokenNonce: string | null;
	tokenHash: string | null;
}): Promise<string | null> {
	if (!inv.tokenNonce || !inv.tokenHash) return null;
	const token = await signPayload(payload(inv.id, inv.tokenNonce));
	return hashToken(token) === inv.tokenHash ? token : null;
}
