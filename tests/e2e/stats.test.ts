import { expect, test } from '@playwright/test';
import { expectAccessible, login } from '../support/e2e';

test('la coordination consulte les statistiques et les exporte pour le 3C', async ({ page }) => {
	await login(page, 'coordination');
	await page.getByRole('link', { name: 'Statistiques' }).click();
	await expect(page.getByRole('heading', { name: /Statistiques d’activité \d{4}/ })).toBeVisible();
	// The oncology coordinator sees her three pathways, not heart failure.
	await expect(page.getByRole('columnheader', { name: 'RCP oncologie digestive' })).toBeVisible();
	await expect(page.getByRole('columnheader', { name: 'RCP insuffisance cardiaque' })).toHaveCount(
		0
	);
	await expect(page.getByRole('rowheader', { name: 'Séances tenues' })).toBeVisible();
	await expectAccessible(page);
	const downloadPromise = page.waitForEvent('download');
	await page.getByRole('link', { name: /Exporter \(CSV\)/ }).click();
	const download = await downloadPromise;
	expect(download.suggestedFilename()).toMatch(/^pluri-activite-\d{4}\.csv$/);
	const text = await (await download.createReadStream()).toArray();
	const csv = Buffer.concat(text).toString('utf8');
	expect(csv.startsWith('\uFEFFFilière;Année;Séances tenues')).toBe(true);
	expect(csv).toContain('RCP sénologie;');
});

test('un membre sans rôle de coordination n’a pas accès aux statistiques', async ({ page }) => {
	await login(page, 'j.moreau');
	await expect(page.getByRole('link', { name: 'Statistiques' })).toHaveCount(0);
	const response = await page.goto('/stats');
	expect(response?.status()).toBe(403);
	const csv = await page.request.get('/stats/export');
	expect(csv.status()).toBe(403);
});
