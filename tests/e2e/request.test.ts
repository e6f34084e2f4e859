import { expect, test, type Browser, type Page } from '@playwright/test';
import { computeInsKey } from '../../src/lib/domain/ins';
import { expectAccessible, login } from '../support/e2e';

// Issue #15: a request prefilled from what Pluri already knows (the requester, the directory of
// doctors, the communes), with its documents chosen in the form itself.

const pdf = (title: string): Buffer =>
	Buffer.from(
		`%PDF-1.4\n% ${title}\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`,
		'latin1'
	);
const png = Buffer.from(
	'89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
		'1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
	'hex'
);

const insFor = (first13: string): string => first13 + computeInsKey(first13);

async function openRequest(page: Page): Promise<void> {
	await login(page, 'j.moreau');
	await page.goto('/cases/new');
	await page.getByRole('link', { name: 'RCP oncologie digestive' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toContainText('Nouvelle demande');
}

async function fillIdentity(page: Page, ins: string, name: string): Promise<void> {
	await page.getByRole('textbox', { name: 'Matricule INS', exact: true }).fill(ins);
	await page.getByLabel('Statut de l’identité').selectOption({ label: 'Identité validée' });
	await page.getByRole('textbox', { name: 'Nom de naissance', exact: true }).fill(name);
	await page.getByLabel('Prénoms de naissance').fill('Rose');
	await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
	await page.getByRole('textbox', { name: 'Date de naissance', exact: true }).fill('1962-04-11');
}

async function fillClinical(page: Page): Promise<void> {
	await page.getByLabel('Question posée à la RCP').fill('Chirurgie première ?');
	await page.getByLabel('Résumé clinique').fill('Adénocarcinome du côlon droit, bilan négatif.');
	await page.getByLabel('Localisation primitive (CIM-10)').selectOption('C18');
	await page.getByLabel('Phase de la maladie').selectOption({ label: 'Prise en charge initiale' });
}

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

/** Types into a field backed by a datalist and takes the first suggestion, as a pick would. */
async function pickSuggestion(
	page: Page,
	label: string,
	typed: string,
	list: string
): Promise<string> {
	const field = page.getByLabel(label, { exact: true });
	await field.pressSequentially(typed, { delay: 20 });
	const option = page.locator(`#${list} option`).first();
	await expect(option).toBeAttached();
	const value = (await option.getAttribute('value'))!;
	await field.fill(value);
	return value;
}

/**
 * axe needs JavaScript: the page as the server rendered it (no script) is checked in a second,
 * scripted context on the same origin, with the same style sheets.
 */
async function expectAccessibleWithoutJs(browser: Browser, page: Page): Promise<void> {
	const html = (await page.content()).replace(/<script[\s\S]*?<\/script>/g, '');
	const context = await browser.newContext({
		baseURL: new URL(page.url()).origin,
		javaScriptEnabled: true
	});
	const copy = await context.newPage();
	await copy.goto('/health');
	await copy.setContent(html, { waitUntil: 'load' });
	await expectAccessible(copy);
	await context.close();
}

test.describe.configure({ mode: 'serial' });

test('un médecin demande une RCP avec deux documents, le médecin traitant pris dans l’annuaire', async ({
	page
}) => {
	await openRequest(page);
	await page.waitForLoadState('networkidle');
	const started = Date.now();

	// The requester is the referring doctor by default.
	await expect(page.getByLabel('Nom du médecin référent', { exact: true })).toHaveValue(
		'Dr Julien Moreau'
	);
	await expect(page.getByLabel('RPPS du médecin référent', { exact: true })).toHaveValue(
		'10099000035'
	);
	// Completeness fields are marked before submission.
	await expect(page.locator('#f-ins-mark')).toHaveText('requis pour la complétude');
	await expect(page.locator('#f-documentsPathology-mark')).toBeVisible();

	await fillIdentity(page, insFor('2620471076321'), 'Annuairetest');
	await pickSuggestion(page, 'Commune de naissance', 'chalon sur sa', 'dl-communes');
	await expect(page.getByText('Code INSEE : 71076')).toBeVisible();
	await pickSuggestion(page, 'Nom du médecin traitant', 'vincen', 'dl-gp');
	await expect(page.getByLabel('Nom du médecin traitant', { exact: true })).toHaveValue(
		'Dr Chloé Vincent'
	);
	await expect(page.getByLabel('RPPS du médecin traitant', { exact: true })).toHaveValue(
		'10099000167'
	);
	await fillClinical(page);
	await page.getByLabel('Compte rendu d’anatomopathologie').setInputFiles({
		name: 'anapath.pdf',
		mimeType: 'application/pdf',
		buffer: pdf('anapath')
	});
	await page.getByLabel('Imagerie', { exact: true }).setInputFiles({
		name: 'scanner.png',
		mimeType: 'image/png',
		buffer: png
	});
	// The draft is saved as one types.
	await expect(page.getByRole('status').filter({ hasText: 'Brouillon enregistré à' })).toBeVisible({
		timeout: 10_000
	});
	await expectAccessible(page);
	await expectNoOverflow(page);
	await page.screenshot({ path: 'test-results/pw-q/request-form-1280.png', fullPage: true });

	await page.getByRole('button', { name: 'Soumettre la demande' }).click();
	await expect(page).toHaveURL(/\/cases\/[\w-]+\?submitted=1/);
	console.log(
		`request with two documents submitted in ${((Date.now() - started) / 1000).toFixed(1)} s (scripted)`
	);
	const main = page.locator('main');
	await expect(main).toContainText('anapath.pdf');
	await expect(main).toContainText('scanner.png');
	await expect(main).toContainText('Dr Chloé Vincent');
	await expect(main).toContainText('Dr Julien Moreau');
	// One case only: the autosaved draft became the submitted request.
	await page.goto('/cases');
	await expect(page.locator('main').getByText('ANNUAIRETEST')).toHaveCount(1);
});

test.describe('sans JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('la demande se remplit et se soumet : commune ambiguë, annuaire, valeurs gardées', async ({
		page,
		browser
	}) => {
		await openRequest(page);
		await fillIdentity(page, insFor('2620471076456'), 'Sansjstest');
		await page.getByLabel('Commune de naissance', { exact: true }).fill('Beaumont');
		await fillClinical(page);
		await page.getByLabel('Compte rendu d’anatomopathologie').setInputFiles({
			name: 'anapath.pdf',
			mimeType: 'application/pdf',
			buffer: pdf('anapath')
		});
		await page.getByRole('button', { name: 'Soumettre la demande' }).click();

		// Several communes are called Beaumont: the form comes back with the choices, values kept.
		await expect(page.locator('#f-birthplaceName-error')).toContainText('Plusieurs lieux');
		await expect(page.getByLabel('Commune de naissance', { exact: true })).toHaveAttribute(
			'aria-invalid',
			'true'
		);
		await expect(page.getByLabel('Question posée à la RCP')).toHaveValue('Chirurgie première ?');
		await expect(page.getByRole('textbox', { name: 'Nom de naissance', exact: true })).toHaveValue(
			'Sansjstest'
		);
		await expect(page.locator('#f-documents-reselect')).toContainText('anapath.pdf');
		await expectAccessibleWithoutJs(browser, page);
		await page.getByRole('radio', { name: /^Beaumont \(63\)/ }).check();

		// The GP from the directory, with « Rechercher » and « Choisir ».
		await page.getByLabel('Nom du médecin traitant', { exact: true }).fill('Vincent');
		await page
			.getByRole('button', { name: 'Rechercher dans l’annuaire : Médecin traitant' })
			.click();
		await page
			.getByRole('button', { name: /Choisir comme médecin traitant : Dr Chloé Vincent/ })
			.click();
		await expect(page.getByLabel('RPPS du médecin traitant', { exact: true })).toHaveValue(
			'10099000167'
		);
		await expect(page.getByLabel('Question posée à la RCP')).toHaveValue('Chirurgie première ?');
		await expectAccessibleWithoutJs(browser, page);
		await expectNoOverflow(page);

		await page.getByLabel('Compte rendu d’anatomopathologie').setInputFiles({
			name: 'anapath.pdf',
			mimeType: 'application/pdf',
			buffer: pdf('anapath')
		});
		await page.getByLabel('Imagerie', { exact: true }).setInputFiles({
			name: 'scanner.png',
			mimeType: 'image/png',
			buffer: png
		});
		await page.getByRole('button', { name: 'Soumettre la demande' }).click();
		await expect(page).toHaveURL(/\/cases\/[\w-]+\?submitted=1/);
		await expect(page.locator('main')).toContainText('anapath.pdf');
		await expect(page.locator('main')).toContainText('Dr Chloé Vincent');
	});

	test('un fichier refusé revient avec les valeurs et la liste des fichiers à choisir', async ({
		page,
		browser
	}) => {
		await openRequest(page);
		await fillIdentity(page, insFor('2620471076789'), 'Fichiertest');
		await page.getByLabel('Commune de naissance', { exact: true }).fill('71076');
		await fillClinical(page);
		await page.getByLabel('Imagerie', { exact: true }).setInputFiles([
			{ name: 'faux.pdf', mimeType: 'application/pdf', buffer: Buffer.from('pas un PDF') },
			{ name: 'scanner.png', mimeType: 'image/png', buffer: png }
		]);
		await page.getByRole('button', { name: 'Soumettre la demande' }).click();
		await expect(page.locator('#f-documents-error')).toContainText('faux.pdf');
		await expect(page.locator('#f-documents-reselect')).toContainText('scanner.png');
		await expect(page.getByLabel('Commune de naissance', { exact: true })).toHaveValue(
			'Chalon-sur-Saône (71)'
		);
		await expect(page.getByLabel('Question posée à la RCP')).toHaveValue('Chirurgie première ?');
		await expectAccessibleWithoutJs(browser, page);
	});
});
