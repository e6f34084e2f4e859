import { asc, eq } from 'drizzle-orm';
import { checkPasswordPolicy } from '$lib/domain/password-policy';
import type { Actor, Membership, UserActor } from './auth/access';
import { hashPassword, verifyPassword } from './auth/password';
import { createSession, invalidateUserSessions, type SessionRecord } from './auth/session';
import { recordAudit, type AuditContext } from './audit';
import { getDb, queryOne, transaction } from './db';
import { memberships, users } from './db/schema';

type UserRow = typeof users.$inferSelect;
export type Sector = UserRow['sector'];

export interface SessionUser {
	id: string;
	email: string;
	title: UserRow['title'];
	firstName: string;
	lastName: string;
	displayName: string;
	rpps: string | null;
	specialty: string | null;
	sector: Sector;
	isAdmin: boolean;
	/** An administrator reset the password: the account must choose its own before anything else. */
	mustChangePassword: boolean;
	memberships: Membership[];
}

export function formatPersonName(u: Pick<UserRow, 'title' | 'firstName' | 'lastName'>): string {
	return [u.title, u.firstName, u.lastName].filter(Boolean).join(' ');
}

export async function listMemberships(userId: string): Promise<Membership[]> {
	return await getDb()
		.select({ pathwayId: memberships.pathwayId, role: memberships.role })
		.from(memberships)
		.where(eq(memberships.userId, userId));
}

export async function toSessionUser(u: UserRow): Promise<SessionUser> {
	return {
		id: u.id,
		email: u.email,
		title: u.title,
		firstName: u.firstName,
		lastName: u.lastName,
		displayName: formatPersonName(u),
		rpps: u.rpps,
		specialty: u.specialty,
		sector: u.sector,
		isAdmin: u.isAdmin,
		mustChangePassword: u.mustChangePassword,
		memberships: await listMemberships(u.id)
	};
}

export function toActor(u: SessionUser): UserActor {
	return {
		kind: 'user',
		id: u.id,
		isAdmin: u.isAdmin,
		rpps: u.rpps,
		specialty: u.specialty,
		memberships: u.memberships
	};
}

export function normalizeEmail(email: string): string {
	return email.trim().toLowerCase();
}

export async function findUserByEmail(email: string): Promise<UserRow | undefined> {
	return await queryOne(
		getDb()
			.select()
			.from(users)
			.where(eq(users.email, normalizeEmail(email)))
	);
}

export async function getUser(id: string): Promise<UserRow | undefined> {
	return await queryOne(getDb().select().from(users).where(eq(users.id, id)));
}

export async function listUsers(): Promise<UserRow[]> {
	return await getDb().select().from(users).orderBy(asc(users.lastName), asc(users.firstName));
}

export interface UserInput {
	email: string;
	title: UserRow['title'];
	firstName: string;
	lastName: string;
	rpps: string | null;
	specialty: string | null;
	sector: Sector;
	establishmentId: string | null;
	mssanteAddress: string | null;
	isAdmin: boolean;
}

export type SaveResult = { ok: true; id: string } | { ok: false; field: string; message: string };

async function findConflict(input: UserInput, exceptId?: string): Promise<SaveResult | null> {
	const db = getDb();
	const byEmail = await queryOne(
		db.select({ id: users.id }).from(users).where(eq(users.email, input.email))
	);
	if (byEmail && byEmail.id !== exceptId)
		return { ok: false, field: 'email', message: 'Un compte existe déjà avec cette adresse.' };
	if (input.rpps) {
		const byRpps = await queryOne(
			db.select({ id: users.id }).from(users).where(eq(users.rpps, input.rpps))
		);
		if (byRpps && byRpps.id !== exceptId)
			return { ok: false, field: 'rpps', message: 'Un compte existe déjà avec ce numéro RPPS.' };
	}
	return null;
}

export async function createUser(
	input: UserInput,
	password: string | null,
	audit: AuditContext
): Promise<SaveResult> {
	const conflict = await findConflict(input);
	if (conflict) return conflict;
	if (password) {
		const refused = checkPasswordPolicy(password, input);
		if (refused) return { ok: false, field: 'password', message: refused };
	}
	const passwordHash = password ? await hashPassword(password) : null;
	return transaction(getDb(), async (tx): Promise<SaveResult> => {
		const id = crypto.randomUUID();
		await tx.insert(users).values({ ...input, id, passwordHash });
		await recordAudit(audit, { action: 'user.create', objectType: 'user', objectId: id }, tx);
		return { ok: true as const, id };
	});
}

export async function updateUser(
	id: string,
	input: UserInput,
	audit: AuditContext
): Promise<SaveResult> {
	const conflict = await findConflict(input, id);
	if (conflict) return conflict;
	return transaction(getDb(), async (tx): Promise<SaveResult> => {
		await tx
			.update(users)
			.set({ ...input, updatedAt: new Date() })
			.where(eq(users.id, id));
		await recordAudit(audit, { action: 'user.update', objectType: 'user', objectId: id }, tx);
		return { ok: true as const, id };
	});
}

/** Disabling ends every session of the account at once. */
export async function setUserDisabled(
	id: string,
	disabled: boolean,
	audit: AuditContext
): Promise<void> {
	await transaction(getDb(), async (tx) => {
		await tx
			.update(users)
			.set({ disabledAt: disabled ? new Date() : null, updatedAt: new Date() })
			.where(eq(users.id, id));
		await recordAudit(
			audit,
			{ action: disabled ? 'user.disable' : 'user.enable', objectType: 'user', objectId: id },
			tx
		);
	});
	if (disabled) await invalidateUserSessions(id);
}

/**
 * An administrator's reset: the policy applies to the new password, every session ends (whoever
 * knew the old one is out), and the account must choose its own password at its next login.
 */
export async function setUserPassword(
	id: string,
	password: string,
	audit: AuditContext
): Promise<SaveResult> {
	const account = await getUser(id);
	if (!account) return { ok: false, field: 'form', message: 'Ce compte n’existe pas.' };
	const refused = checkPasswordPolicy(password, account);
	if (refused) return { ok: false, field: 'password', message: refused };
	const passwordHash = await hashPassword(password);
	await transaction(getDb(), async (tx) => {
		await tx
			.update(users)
			.set({ passwordHash, mustChangePassword: true, updatedAt: new Date() })
			.where(eq(users.id, id));
		await recordAudit(
			audit,
			{ action: 'user.password_reset', objectType: 'user', objectId: id },
			tx
		);
		await invalidateUserSessions(id);
	});
	return { ok: true, id };
}

export type OwnPasswordResult =
	| { ok: true; token: string; session: SessionRecord }
	| { ok: false; field: string; message: string };

/**
 * A user's own change, once the route has checked the current password: the new one follows
 * the policy and differs from the current one; every session of the account ends and a new one
 * replaces the current session (returned, for the cookie); the reset flag is cleared.
 */
export async function changeOwnPassword(
	id: string,
	password: string,
	meta: { ip: string | null; userAgent: string | null },
	audit: AuditContext
): Promise<OwnPasswordResult> {
	const account = await getUser(id);
	if (!account) return { ok: false, field: 'form', message: 'Ce compte n’existe pas.' };
	const refused = checkPasswordPolicy(password, account);
	if (refused) return { ok: false, field: 'password', message: refused };
	if (account.passwordHash && (await verifyPassword(account.passwordHash, password)))
		return {
			ok: false,
			field: 'password',
			message: 'Le nouveau mot de passe doit être différent du mot de passe actuel.'
		};
	const passwordHash = await hashPassword(password);
	return transaction(getDb(), async (tx): Promise<OwnPasswordResult> => {
		await tx
			.update(users)
			.set({ passwordHash, mustChangePassword: false, updatedAt: new Date() })
			.where(eq(users.id, id));
		await recordAudit(
			audit,
			{
				action: 'user.password_change',
				objectType: 'user',
				objectId: id,
				detail: { forced: account.mustChangePassword }
			},
			tx
		);
		// Same connection, same transaction: the old sessions go and the new one comes at once.
		await invalidateUserSessions(id);
		const { token, session } = await createSession(id, meta);
		return { ok: true as const, token, session };
	});
}

export async function replaceMemberships(
	userId: string,
	list: Membership[],
	audit: AuditContext
): Promise<void> {
	await transaction(getDb(), async (tx) => {
		await tx.delete(memberships).where(eq(memberships.userId, userId));
		if (list.length) await tx.insert(memberships).values(list.map((m) => ({ ...m, userId })));
		await recordAudit(
			audit,
			{
				action: 'user.memberships',
				objectType: 'user',
				objectId: userId,
				detail: { memberships: list }
			},
			tx
		);
	});
}

export function isUserActor(actor: Actor): actor is UserActor {
	return actor.kind === 'user';
}
