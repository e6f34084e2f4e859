import { expect, test } from '@playwright/test';
import { demoEmail, expectAccessible, login } from '../support/e2e';

test.describe('connexion', () => {
	test('un médecin se connecte, voit son agenda puis se déconnecte', async ({ page }) => {
		await page.goto('/');
		await expect(page).toHaveURL(/\/login\?redirectTo=%2F/);
		await expectAccessible(page);
		await login(page, 'h.rousseau');
		await expect(page.getByRole('heading', { name: 'Agenda', level: 1 })).toBeVisible();
		await expect(page.getByRole('banner').getByText('Dr Hélène Rousseau')).toBeVisible();
		// Her pathways' meetings are listed.
		await expect(page.getByRole('cell', { name: 'RCP oncologie digestive' }).first()).toBeVisible();
		await expectAccessible(page);
		await page.getByRole('button', { name: 'Se déconnecter' }).click();
		await expect(page).toHaveURL(/\/login/);
		await page.goto('/');
		await expect(page).toHaveURL(/\/login/);
	});

	test('un mauvais mot de passe est refusé en français, l’adresse est conservée', async ({
		page
	}) => {
		await page.goto('/login');
		await page.getByLabel('Adresse électronique').fill(demoEmail('j.moreau'));
		await page.getByLabel('Mot de passe').fill('pas-le-bon');
		await page.getByRole('button', { name: 'Se connecter' }).click();
		await expect(page.getByRole('alert')).toHaveText(
			'Adresse électronique ou mot de passe incorrect.'
		);
		await expect(page.getByLabel('Adresse électronique')).toHaveValue(demoEmail('j.moreau'));
		await expect(page.getByLabel('Mot de passe')).toHaveValue('');
		await expectAccessible(page);
	});

	test('une adresse mal formée reçoit un message lié au champ', async ({ page }) => {
		await page.goto('/login');
		await page.getByLabel('Adresse électronique').fill('pas-une-adresse');
		await page.getByLabel('Mot de passe').fill('x');
		await page.getByRole('button', { name: 'Se connecter' }).click();
		const field = page.getByLabel('Adresse électronique');
		await expect(field).toHaveAttribute('aria-invalid', 'true');
		await expect(page.locator('#f-email-error')).toContainText('n’est pas valide');
		await expect(field).toHaveAttribute('aria-describedby', 'f-email-error');
		await expect(field).toHaveValue('pas-une-adresse');
	});

	test('le formulaire de connexion fonctionne sans JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await login(page, 'coordination');
		await expect(page.getByRole('heading', { name: 'Agenda', level: 1 })).toBeVisible();
		await context.close();
	});
});

test.describe('connexion Pro Santé Connect (OpenID Connect)', () => {
	test('un médecin se connecte par le fournisseur d’identité avec son RPPS', async ({ page }) => {
		await page.goto('/login?redirectTo=%2Fadmin');
		await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
		await expect(page.getByRole('heading', { name: 'Pro Santé Connect (test)' })).toBeVisible();
		// Dr Hélène Rousseau's RPPS in the demo network.
		await page.getByLabel('Numéro RPPS').fill('10099000019');
		await page.getByRole('button', { name: 'Valider' }).click();
		// Back in Pluri, logged in; /admin is refused to a doctor, so the redirect target proves the
		// flow kept where she was going.
		await expect(page.getByRole('heading', { name: 'Accès refusé' })).toBeVisible();
		await page.goto('/');
		await expect(page.getByRole('banner').getByText('Dr Hélène Rousseau')).toBeVisible();
	});

	test('un RPPS sans compte Pluri est refusé avec un message clair', async ({ page }) => {
		await page.goto('/login');
		await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
		await page.getByLabel('Numéro RPPS').fill('10099999999');
		await page.getByRole('button', { name: 'Valider' }).click();
		await expect(page.getByRole('alert')).toContainText('Aucun compte Pluri ne correspond');
		await expectAccessible(page);
	});

	test('un retour forgé sans le parcours de connexion est refusé', async ({ page }) => {
		await page.goto('/login/oidc/callback?code=forged&state=forged');
		await expect(page).toHaveURL(/oidcError=flow/);
		await expect(page.getByRole('alert')).toContainText('La connexion a expiré');
	});
});

test.describe('droits d’accès', () => {
	test('un membre qui ouvre une page d’administration reçoit un 403 en français', async ({
		page
	}) => {
		await login(page, 'j.moreau');
		await expect(page.getByRole('link', { name: 'Administration' })).toHaveCount(0);
		const response = await page.goto('/admin/users');
		expect(response?.status()).toBe(403);
		await expect(page.getByRole('heading', { name: 'Accès refusé' })).toBeVisible();
		await expect(page.getByText('réservée aux administrateurs')).toBeVisible();
		await expectAccessible(page);
	});

	test('l’administrateur gère les comptes ; un compte désactivé perd ses sessions', async ({
		browser
	}) => {
		const adminContext = await browser.newContext();
		const admin = await adminContext.newPage();
		await login(admin, 'admin');
		await admin.getByRole('link', { name: 'Administration' }).click();
		await admin.getByRole('link', { name: 'Utilisateurs' }).click();
		await expectAccessible(admin);

		const userContext = await browser.newContext();
		const doctor = await userContext.newPage();
		await login(doctor, 'l.mercier');

		await admin.getByRole('link', { name: 'Dr Louis Mercier' }).click();
		await expectAccessible(admin);
		await admin.getByRole('button', { name: 'Désactiver le compte' }).click();
		await expect(admin.getByRole('status')).toContainText('sessions ont été fermées');

		await doctor.goto('/');
		await expect(doctor).toHaveURL(/\/login/);
		await doctor.getByLabel('Adresse électronique').fill(demoEmail('l.mercier'));
		await doctor.getByLabel('Mot de passe').fill('Demo-Pluri-2026');
		await doctor.getByRole('button', { name: 'Se connecter' }).click();
		await expect(doctor.getByRole('alert')).toContainText('Ce compte est désactivé');

		await admin.getByRole('button', { name: 'Réactiver le compte' }).click();
		await expect(admin.getByRole('status')).toContainText('réactivé');
		await adminContext.close();
		await userContext.close();
	});

	test('une saisie incorrecte dans l’administration revient avec les valeurs et les erreurs', async ({
		page
	}) => {
		await login(page, 'admin');
		await page.goto('/admin/users/new');
		await page.getByLabel('Prénom').fill('Jeanne');
		await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('Essai');
		await page.getByLabel('Adresse électronique (identifiant)').fill('jeanne.essai@demo.pluri.fr');
		await page.getByLabel('Numéro RPPS').fill('12345678901');
		await page.getByLabel(/^Mot de passe/).fill('court');
		await page.getByLabel('Confirmation du mot de passe').fill('court');
		await page.getByRole('button', { name: 'Créer le compte' }).click();
		await expect(page.locator('#f-rpps-error')).toContainText('chiffre de contrôle');
		await expect(page.locator('#f-password-error')).toContainText('12 caractères');
		await expect(page.getByLabel('Prénom')).toHaveValue('Jeanne');
		await expect(page.getByLabel('Numéro RPPS')).toHaveValue('12345678901');
		await expectAccessible(page);
		await page.getByLabel('Numéro RPPS').fill('');
		await page.getByLabel(/^Mot de passe/).fill('un-mot-de-passe-solide');
		await page.getByLabel('Confirmation du mot de passe').fill('un-mot-de-passe-solide');
		await page.getByRole('button', { name: 'Créer le compte' }).click();
		await expect(page.getByRole('status')).toContainText('Le compte a été créé.');
		await expect(page.getByRole('heading', { name: 'Jeanne Essai' })).toBeVisible();
	});
});

test.describe('sécurité', () => {
	test('un formulaire envoyé depuis un autre site est refusé', async ({ page, baseURL }) => {
		const response = await page.request.post(`${baseURL}/login`, {
			headers: {
				origin: 'https://attaquant.example',
				'content-type': 'application/x-www-form-urlencoded'
			},
			data: 'email=admin%40demo.pluri.fr&password=x'
		});
		expect(response.status()).toBe(403);
		expect(await response.text()).not.toContain('Listening');
	});

	test('les en-têtes de sécurité sont présents sur chaque page', async ({ page }) => {
		const paths = [
			'/login',
			'/',
			'/admin',
			'/admin/users',
			'/admin/pathways',
			'/admin/audit',
			'/page-inconnue'
		];
		await login(page, 'admin');
		for (const path of paths) {
			const response = await page.goto(path);
			const h = response!.headers();
			const csp = h['content-security-policy'] ?? '';
			expect(csp, path).toContain("object-src 'none'");
			expect(csp, path).toContain("base-uri 'none'");
			expect(csp, path).toContain("frame-ancestors 'none'");
			expect(csp, path).toMatch(/script-src 'self' 'nonce-/);
			expect(h['x-content-type-options'], path).toBe('nosniff');
			expect(h['referrer-policy'], path).toBe('same-origin');
			expect(h['permissions-policy'], path).toContain('camera=(self)');
			expect(h['permissions-policy'], path).toContain('display-capture=(self)');
		}
	});

	test('le cookie de session est HttpOnly et SameSite=Lax', async ({ page, context }) => {
		await login(page, 'coordination');
		const cookie = (await context.cookies()).find((c) => c.name === 'pluri_session');
		expect(cookie).toBeDefined();
		expect(cookie!.httpOnly).toBe(true);
		expect(cookie!.sameSite).toBe('Lax');
		expect(cookie!.value).toMatch(/^[a-z2-7]{32}\.[a-z2-7]{32}$/);
	});

	test('une session falsifiée renvoie à la connexion', async ({ page, context, baseURL }) => {
		await login(page, 'coordination');
		const cookie = (await context.cookies()).find((c) => c.name === 'pluri_session')!;
		const [id] = cookie.value.split('.');
		await context.addCookies([
			{ name: 'pluri_session', value: `${id}.${'a'.repeat(32)}`, url: baseURL! }
		]);
		await page.goto('/');
		await expect(page).toHaveURL(/\/login/);
		await expect(page.getByRole('status')).toContainText('Votre session a expiré');
	});

	test('une erreur serveur ne montre aucun détail interne', async ({ page }) => {
		const response = await page.goto('/admin/users/nexiste-pas');
		expect(response?.status()).toBe(200); // not logged in: login page
		await login(page, 'admin');
		const notFound = await page.goto('/admin/users/nexiste-pas');
		expect(notFound?.status()).toBe(404);
		await expect(page.getByText('Ce compte n’existe pas.')).toBeVisible();
		expect(await page.content()).not.toMatch(/at \w+ \(|node_modules|\.ts:\d+/);
	});
});
