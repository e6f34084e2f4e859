import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, login } from '../support/e2e';

// Issue #15, part 5: one search box in the header; patients and cases the user may see only.
// Demo data: GUÉRIN Odile, born 01/12/1953, has a case on the digestive oncology agenda.

async function expectNoOverflow(page: Page): Promise<void> {
	for (const width of [1280, 768, 390]) {
		await page.setViewportSize({ width, height: 900 });
		const overflow = await page.evaluate(
			() => document.documentElement.scrollWidth - document.documentElement.clientWidth
		);
		expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
	}
	await page.setViewportSize({ width: 1280, height: 800 });
}

async function searchFromHeader(page: Page, text: string): Promise<void> {
	const box = page.getByRole('searchbox', { name: 'Rechercher un patient ou un dossier' });
	await box.fill(text);
	await box.press('Enter');
	await expect(page.getByRole('heading', { level: 1, name: 'Recherche' })).toBeVisible();
}

test('la coordination trouve une patiente par son nom sans accent et par sa date de naissance', async ({
	page
}) => {
	await login(page, 'coordination');
	await searchFromHeader(page, 'guerin odile');
	expect(new URL(page.url()).searchParams.get('q')).toBe('guerin odile');
	const patients = page.getByRole('table', { name: 'Patients' });
	await expect(patients.getByRole('row', { name: /GUÉRIN/ })).toHaveCount(1);
	await expect(patients).toContainText('01/12/1953');
	const cases = page.getByRole('table', { name: 'Dossiers' });
	await expect(cases.getByRole('link', { name: /GUÉRIN Odile/ })).toBeVisible();
	// The value typed stays in the page's own field.
	await expect(page.getByRole('searchbox', { name: 'Patient ou dossier' })).toHaveValue(
		'guerin odile'
	);
	await expectAccessible(page);
	await expectNoOverflow(page);
	await page.screenshot({ path: 'test-results/pw-x/search-1280.png', fullPage: true });

	await patients.getByRole('link', { name: 'GUÉRIN' }).click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]+$/);
	await expect(page.getByText('GUÉRIN', { exact: false }).first()).toBeVisible();

	await searchFromHeader(page, '01/12/1953');
	await expect(
		page.getByRole('table', { name: 'Patients' }).getByRole('row', { name: /GUÉRIN/ })
	).toHaveCount(1);
	await page
		.getByRole('table', { name: 'Dossiers' })
		.getByRole('link', { name: /GUÉRIN Odile/ })
		.click();
	await expect(page).toHaveURL(/\/cases\/[0-9a-f-]+$/);
});

test('une date impossible est signalée sur le champ, la valeur gardée', async ({ page }) => {
	await login(page, 'coordination');
	await page.goto('/search?q=31%2F02%2F1953');
	const field = page.getByRole('searchbox', { name: 'Patient ou dossier' });
	await expect(field).toHaveValue('31/02/1953');
	await expect(field).toHaveAttribute('aria-invalid', 'true');
	await expect(page.getByText(/n’est pas une date valide/)).toBeVisible();
	await expectAccessible(page);
});

test('le président d’une autre filière ne trouve pas la patiente', async ({ page }) => {
	await login(page, 'p.fontaine');
	await searchFromHeader(page, 'guerin');
	await expect(
		page.getByText(/aucun résultat parmi les dossiers auxquels vous avez accès/)
	).toBeVisible();
	await expect(page.getByText('GUÉRIN')).toHaveCount(0);
	await searchFromHeader(page, '01/12/1953');
	await expect(page.getByText('GUÉRIN')).toHaveCount(0);
});

test('l’administrateur n’a pas de recherche de patients', async ({ page }) => {
	await login(page, 'admin');
	await expect(
		page.getByRole('searchbox', { name: 'Rechercher un patient ou un dossier' })
	).toHaveCount(0);
	await page.goto('/search?q=guerin');
	await expect(page.getByText(/n’est pas ouverte au compte\s+d’administration/)).toBeVisible();
	await expect(page.getByText('GUÉRIN')).toHaveCount(0);
	await expectAccessible(page);
});

test('la recherche marche sans JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await page.goto('/login');
	await page.getByLabel('Adresse électronique').fill('coordination@demo.pluri.fr');
	await page.getByLabel('Mot de passe').fill('Demo-Pluri-2026');
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await searchFromHeader(page, 'GUERIN');
	await expect(
		page.getByRole('table', { name: 'Patients' }).getByRole('row', { name: /GUÉRIN/ })
	).toHaveCount(1);
	await context.close();
});
