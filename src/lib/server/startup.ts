import { checkPasswordPolicy } from '$lib/domain/password-policy';
import { applyMigrations, getDb, queryOne } from './db';
import { getDatabaseUrl, isDemoMode, isPostgresUrl } from './config';
import { startPgMeetingBus, type PgMeetingBus } from './live/pg-bus';
import { wireDecisionReactions } from './decision-reactions';
import { seedDemoNetwork, type SeedReport } from './demo/network';
import { eq } from 'drizzle-orm';
import { users } from './db/schema';
import { createUser } from './users';
import { systemAudit } from './audit';
import { startDeliveryWorker } from './delivery/worker';
import { runAuditVerifyCommand, startAuditVerification } from './audit-verify';
import { loadSpecialtyRegistry } from './specialties';
import { startCalendarUpkeep } from './meeting-upkeep';

let started: Promise<void> | undefined;

/** Runs once per process: schema up to date, demo data on first start, background work. */
export function startServer(): Promise<void> {
	started ??= (async () => {
		await applyMigrations(getDb());
		wireDecisionReactions();
		// Several instances on one PostgreSQL: meeting events go through LISTEN/NOTIFY.
		if (isPostgresUrl()) await waitForBus(startPgMeetingBus(getDatabaseUrl()));
		await loadSpecialtyRegistry();
		// `npm run worker`: the built app loaded without its HTTP server, for deliveries only.
		if (process.env.PLURI_ROLE === 'worker') {
			startDeliveryWorker();
			return;
		}
		// `npm run audit:verify`: the same loading, only to verify the audit chain and exit.
		if (process.env.PLURI_ROLE === 'audit-verify') {
			await runAuditVerifyCommand(process.env.PLURI_AUDIT_FROM_LAST === '1');
			return;
		}
		if (isDemoMode()) printDemoAccounts(await seedDemoNetwork());
		await ensureFirstAdmin();
		startCalendarUpkeep();
		startAuditVerification();
		if (process.env.PLURI_WORKER !== '0') startDeliveryWorker();
	})();
	return started;
}

/** Start-up waits for LISTEN (a few ms), but never more than five seconds: it reconnects alone. */
async function waitForBus(bus: PgMeetingBus): Promise<void> {
	process.once('sveltekit:shutdown', () => void bus.stop());
	await Promise.race([bus.ready, new Promise((r) => setTimeout(r, 5_000).unref())]);
}

function printDemoAccounts(report: SeedReport): void {
	const lines = [
		'',
		'Pluri — réseau de démonstration (Chalon-sur-Saône)',
		report.created
			? 'Données de démonstration créées.'
			: 'Données de démonstration déjà présentes.',
		`Mot de passe de tous les comptes de démonstration : ${report.password}`,
		'',
		...report.accounts.map((a) => `  ${a.role.padEnd(44)} ${a.email}`),
		''
	];
	console.log(lines.join('\n'));
}

/** Production bootstrap: the first administrator comes from the environment, once. */
async function ensureFirstAdmin(): Promise<void> {
	const email = process.env.PLURI_ADMIN_EMAIL?.trim().toLowerCase();
	const password = process.env.PLURI_ADMIN_PASSWORD;
	if (!email || !password) return;
	if (await queryOne(getDb().select({ id: users.id }).from(users).where(eq(users.isAdmin, true))))
		return;
	const firstAdmin = { email, firstName: 'Administrateur', lastName: 'Pluri' };
	const refused = checkPasswordPolicy(password, firstAdmin);
	if (refused) {
		console.error(`PLURI_ADMIN_PASSWORD refusé : ${refused} Aucun compte créé.`);
		return;
	}
	const result = await createUser(
		{
			...firstAdmin,
			title: null,
			rpps: null,
			specialty: null,
			sector: 'other',
			establishmentId: null,
			mssanteAddress: null,
			isAdmin: true
		},
		password,
		systemAudit
	);
	console.log(
		result.ok ? `Administrateur créé : ${email}` : `Administrateur non créé : ${result.message}`
	);
}
