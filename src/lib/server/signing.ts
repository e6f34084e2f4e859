import { hmac } from '@oslojs/crypto/hmac';
import { SHA256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding';
import { getAppSecret } from './settings';

const encoder = new TextEncoder();

/** HMAC-SHA256 of a payload with the instance secret, base64url. */
export async function signPayload(payload: string): Promise<string> {
	const mac = hmac(SHA256, encoder.encode(await getAppSecret()), encoder.encode(payload));
	return encodeBase64urlNoPadding(mac);
}

export async function verifyPayload(payload: string, signature: string): Promise<boolean> {
	let given: Uint8Array;
	try {
		given = decodeBase64urlIgnorePadding(signature);
	} catch {
		return false;
	}
	const expected = hmac(SHA256, encoder.encode(await getAppSecret()), encoder.encode(payload));
	return given.length === expected.length && constantTimeEqual(given, expected);
}
