import { expect, test, type Browser, type Page } from '@playwright/test';
import { demoEmail, expectAccessible, login } from '../support/e2e';

/** An administrator creates a fresh account, so the demo accounts keep their password. */
async function createAccount(
	browser: Browser,
	firstName: string,
	lastName: string,
	key: string,
	password: string
): Promise<Page> {
	const admin = await (await browser.newContext()).newPage();
	await login(admin, 'admin');
	await admin.goto('/admin/users/new');
	await admin.getByLabel('Prénom').fill(firstName);
	await admin.getByRole('textbox', { name: 'Nom', exact: true }).fill(lastName);
	await admin.getByLabel('Adresse électronique (identifiant)').fill(demoEmail(key));
	await admin.getByLabel(/^Mot de passe/).fill(password);
	await admin.getByLabel('Confirmation du mot de passe').fill(password);
	await admin.getByRole('button', { name: 'Créer le compte' }).click();
	await expect(admin.getByRole('status')).toContainText('Le compte a été créé.');
	return admin;
}

async function fillChange(page: Page, current: string, next: string): Promise<void> {
	await page.getByLabel(/^Mot de passe actuel/).fill(current);
	await page.getByLabel(/^Nouveau mot de passe/).fill(next);
	await page.getByLabel(/^Confirmation du nouveau mot de passe/).fill(next);
	await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
}

test.describe('mots de passe', () => {
	test('chacun change son mot de passe ; ses autres sessions sont fermées', async ({ browser }) => {
		const admin = await createAccount(
			browser,
			'Paule',
			'Vasseur',
			'p.vasseur',
			'initiale-du-lundi'
		);
		await admin.context().close();
		const page = await (await browser.newContext()).newPage();
		const elsewhere = await (await browser.newContext()).newPage();
		await login(page, 'p.vasseur', 'initiale-du-lundi');
		await login(elsewhere, 'p.vasseur', 'initiale-du-lundi');

		await page.goto('/account');
		await fillChange(page, 'initiale-du-lundi', 'vasseur-cardio-2026');
		await expect(page.locator('#f-password-error')).toContainText('ni le nom');
		await fillChange(page, 'initiale-du-lundi', 'la-saone-coule-a-chalon');
		await expect(page.getByRole('status')).toContainText('Votre mot de passe a été changé.');
		await expectAccessible(page);

		// This browser keeps a (renewed) session; the other one is logged out.
		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Agenda', level: 1 })).toBeVisible();
		await elsewhere.goto('/');
		await expect(elsewhere).toHaveURL(/\/login/);
		await login(elsewhere, 'p.vasseur', 'la-saone-coule-a-chalon');
		await page.context().close();
		await elsewhere.context().close();
	});

	test('après une réinitialisation par l’administrateur, le changement est imposé', async ({
		browser
	}) => {
		const admin = await createAccount(
			browser,
			'Bruno',
			'Caillet',
			'b.caillet',
			'premiere-phrase-b'
		);
		const page = await (await browser.newContext()).newPage();
		await login(page, 'b.caillet', 'premiere-phrase-b');

		await admin.getByLabel(/^Nouveau mot de passe/).fill('donnee-par-le-support');
		await admin.getByLabel(/^Confirmation/).fill('donnee-par-le-support');
		await admin.getByRole('button', { name: 'Remplacer le mot de passe' }).click();
		await expect(admin.getByRole('status').filter({ hasText: 'remplacé' })).toContainText(
			'prochaine connexion'
		);

		await page.goto('/');
		await expect(page).toHaveURL(/\/login/);
		await login(page, 'b.caillet', 'donnee-par-le-support');
		await expect(page).toHaveURL(/\/account\/password$/);
		await expect(page.getByRole('status')).toContainText('réinitialisé par un administrateur');
		await expectAccessible(page);
		await page.goto('/cases');
		await expect(page).toHaveURL(/\/account\/password$/);

		await fillChange(page, 'donnee-par-le-support', 'donnee-par-le-support');
		await expect(page.locator('#f-password-error')).toContainText('différent');
		await fillChange(page, 'donnee-par-le-support', 'une-phrase-a-moi-seul');
		await expect(page).toHaveURL(/\/account\?passwordChanged=1$/);
		await expect(page.getByRole('status')).toContainText('Votre mot de passe a été changé.');
		await page.goto('/');
		await expect(page.getByRole('heading', { name: 'Agenda', level: 1 })).toBeVisible();
		await admin.context().close();
		await page.context().close();
	});
});
