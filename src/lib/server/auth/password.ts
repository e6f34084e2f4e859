import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export async function hashPassword(password: string): Promise<string> {
	return hash(password, options);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
	try {
		return await verify(stored, password);
	} catch {
		return false;
	}
}

/** A fixed hash to verify against for unknown accounts, so timing does not reveal them. */
let decoy: Promise<string> | undefined;
export async function verifyDecoy(password: string): Promise<void> {
	decoy ??= hashPassword('decoy-password-for-timing');
	await verifyPassword(await decoy, password);
}
