import { expect, test, type Page } from '@playwright/test';
import { computeInsKey } from '../../src/lib/domain/ins';
import { expectAccessible, login } from '../support/e2e';

// A new patient of this test only: a woman born in May 1961 in Chalon-sur-Saône.
const first13 = '2610571076950';
const goodIns = first13 + computeInsKey(first13);
const wrongIns = first13 + String((Number(computeInsKey(first13)) % 97) + 1).padStart(2, '0');
const patient = 'VERIFTEST Lucie Anne';

/** A minimal PDF: the header and trailer a viewer (and the upload check) looks for. */
const pdf = Buffer.from(
	'%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n',
	'latin1'
);

/** Over the adapter's default 512 KB request limit: real reports are this size. */
const bigPdf = Buffer.concat([
	pdf.subarray(0, 9),
	Buffer.alloc(1_500_000, '%'),
	Buffer.from('\n'),
	pdf.subarray(9)
]);

let caseUrl = '';

test.describe.configure({ mode: 'serial' });

async function fillRequest(page: Page, ins: string): Promise<void> {
	await page.getByRole('textbox', { name: 'Matricule INS', exact: true }).fill(ins);
	await page.getByLabel('Statut de l’identité').selectOption({ label: 'Identité validée' });
	await page.getByRole('textbox', { name: 'Nom de naissance', exact: true }).fill('Veriftest');
	await page.getByLabel('Prénoms de naissance').fill('Lucie Anne');
	await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
	await page.getByRole('textbox', { name: 'Date de naissance', exact: true }).fill('1961-05-20');
	await page.getByLabel('Commune de naissance', { exact: true }).fill('71076');
	await page.getByLabel('Question posée à la RCP').fill('Radiochimiothérapie préopératoire ?');
	await page
		.getByLabel('Résumé clinique')
		.fill('Adénocarcinome du moyen rectum, bilan d’extension négatif.');
	await page.getByLabel('Localisation primitive (CIM-10)').selectOption('C20');
	await page.getByLabel('Type histologique').fill('Adénocarcinome lieberkühnien');
	await page.getByLabel('Phase de la maladie').selectOption({ label: 'Prise en charge initiale' });
	await page.getByLabel('cT', { exact: true }).fill('t3');
	await page.getByLabel('cN', { exact: true }).fill('N1');
	await page.getByLabel('cM', { exact: true }).fill('M0');
}

test('un médecin demande une RCP : clé INS erronée refusée sans rien perdre, puis PDF joint', async ({
	page
}) => {
	await login(page, 'j.moreau');
	await page.getByRole('link', { name: 'Dossiers' }).click();
	await page.getByRole('link', { name: 'Nouvelle demande d’inscription' }).click();
	await expectAccessible(page);
	await page.getByRole('link', { name: 'RCP oncologie digestive' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Nouvelle demande d’inscription — RCP oncologie digestive'
	);
	await expectAccessible(page);

	await fillRequest(page, wrongIns);
	await page.getByRole('button', { name: 'Soumettre la demande' }).click();
	const insField = page.getByRole('textbox', { name: 'Matricule INS', exact: true });
	await expect(insField).toHaveAttribute('aria-invalid', 'true');
	await expect(page.locator('#f-ins-error')).toContainText(
		'Le matricule INS ne correspond pas à sa clé'
	);
	await expect(insField).toHaveAttribute('aria-describedby', /f-ins-error/);
	// Every value typed is still there.
	await expect(insField).toHaveValue(wrongIns);
	await expect(page.getByRole('textbox', { name: 'Nom de naissance', exact: true })).toHaveValue(
		'Veriftest'
	);
	await expect(page.getByLabel('Question posée à la RCP')).toHaveValue(
		'Radiochimiothérapie préopératoire ?'
	);
	await expect(page.getByLabel('Localisation primitive (CIM-10)')).toHaveValue('C20');
	await expect(page.getByLabel('cT', { exact: true })).toHaveValue('t3');
	await expectAccessible(page);

	await insField.fill(goodIns);
	await page.getByRole('button', { name: 'Soumettre la demande' }).click();
	await expect(page.getByText('La demande a été soumise à la coordination.')).toBeVisible();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Dossier de ${patient}`);
	await expect(page.getByText('Demande soumise', { exact: true }).first()).toBeVisible();
	caseUrl = new URL(page.url()).pathname;

	// An executable renamed .pdf is refused with a French message.
	await page.getByLabel('Fichier').setInputFiles({
		name: 'compte-rendu.pdf',
		mimeType: 'application/pdf',
		buffer: Buffer.from(
			'MZ\x90\x00\x03\x00\x00\x00This program cannot be run in DOS mode',
			'latin1'
		)
	});
	await page
		.getByLabel('Type de document')
		.selectOption({ label: 'Compte rendu d’anatomopathologie' });
	await page.getByRole('button', { name: 'Joindre le document' }).click();
	await expect(page.locator('#f-file-error')).toContainText('ne correspond pas à un PDF');
	await expect(page.getByLabel('Type de document')).toHaveValue('pathology');

	await page.getByLabel('Fichier').setInputFiles({
		name: 'cr-anapath.pdf',
		mimeType: 'application/pdf',
		buffer: pdf
	});
	await page.getByRole('button', { name: 'Joindre le document' }).click();
	await expect(page.getByText('Le document est joint au dossier.')).toBeVisible();
	const row = page.getByRole('row', { name: /cr-anapath\.pdf/ });
	await expect(row).toContainText('Compte rendu d’anatomopathologie');
	await expectAccessible(page);

	const download = page.waitForEvent('download');
	await row.getByRole('link', { name: /Télécharger/ }).click();
	const file = await download;
	expect(file.suggestedFilename()).toBe('cr-anapath.pdf');
	const chunks = await (await file.createReadStream()).toArray();
	expect(Buffer.concat(chunks).equals(pdf)).toBe(true);
});

test('une identité déjà connue est signalée ; le médecin reprend le patient existant sans ressaisir', async ({
	page
}) => {
	await login(page, 'j.moreau');
	await page.goto('/cases/new');
	await page.getByRole('link', { name: 'RCP oncologie digestive' }).click();
	await page.getByRole('textbox', { name: 'Matricule INS', exact: true }).fill(goodIns);
	await page.getByLabel('Statut de l’identité').selectOption({ label: 'Identité validée' });
	await page.getByRole('textbox', { name: 'Nom de naissance', exact: true }).fill('Veriftest');
	await page.getByLabel('Prénoms de naissance').fill('Lucie');
	await page.getByLabel('Sexe').selectOption({ label: 'Féminin' });
	await page.getByRole('textbox', { name: 'Date de naissance', exact: true }).fill('1961-05-20');
	await page.getByLabel('Question posée à la RCP').fill('Avis sur une récidive ?');
	await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
	await expect(page.locator('#f-ins-error')).toContainText(
		`Ce matricule INS est déjà enregistré pour ${patient}`
	);
	await expectAccessible(page);
	await page.getByRole('button', { name: new RegExp(`^Utiliser ce patient : ${patient}`) }).click();
	// The identity fields give way to the known patient; the rest of the form is untouched.
	await expect(page.getByRole('textbox', { name: 'Matricule INS', exact: true })).toHaveCount(0);
	await expect(
		page.getByRole('group', { name: 'Patient' }).getByText(`${patient}, née le 20/05/1961`)
	).toBeVisible();
	await expect(page.getByLabel('Question posée à la RCP')).toHaveValue('Avis sur une récidive ?');
	await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
	await expect(page.getByText('La demande a été enregistrée.')).toBeVisible();
	await expect(page.getByText('Brouillon', { exact: true })).toBeVisible();
});

test('la coordination inscrit le dossier, réordonne l’ordre du jour au clavier et voit ce qui manque', async ({
	page
}) => {
	await login(page, 'coordination');
	await page.getByRole('link', { name: 'Dossiers' }).click();
	await page.getByRole('link', { name: 'RCP oncologie digestive' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Liste de travail — RCP oncologie digestive'
	);
	await expectAccessible(page);

	const row = page.getByRole('row', { name: new RegExp(patient) });
	// The worklist is a table with bulk actions (issue #15): check the line, pick the meeting.
	await row.getByRole('checkbox').check();
	// The meeting after next: its deadline is days away whatever the day of the run.
	const select = page.getByLabel('Séance où inscrire');
	const target = await select.locator('option').nth(1).getAttribute('value');
	await select.selectOption(target!);
	await page.getByRole('button', { name: 'Inscrire à la séance' }).click();
	await expect(page.getByRole('status')).toContainText(/^1 dossier inscrit à la séance du /);
	await expect(page.getByRole('row', { name: new RegExp(patient) })).toHaveCount(0);

	await page.goto(`/meetings/${target}/agenda`);
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(
		'Ordre du jour — RCP oncologie digestive'
	);
	const items = page
		.getByRole('list', { name: 'Dossiers dans l’ordre de passage' })
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { level: 3 }) });
	await expect(items).toHaveCount(3);
	await expect(items.nth(2)).toContainText(patient);
	await expectAccessible(page);

	// Keyboard only: the focus stays on the button, so Enter moves the case again.
	const up = page.getByRole('button', { name: new RegExp(`^Monter le dossier ${patient}`) });
	await up.focus();
	await page.keyboard.press('Enter');
	await expect(
		page
			.getByRole('status')
			.getByText(`Dossier de ${patient}, née le 20/05/1961, déplacé en position 2 sur 3.`)
	).toBeVisible();
	await expect(up).toBeFocused();
	await page.keyboard.press('Enter');
	await expect(
		page
			.getByRole('status')
			.getByText(`Dossier de ${patient}, née le 20/05/1961, déplacé en position 1 sur 3.`)
	).toBeVisible();
	await expect(items.nth(0)).toContainText(patient);
	await expect(
		page.getByRole('button', { name: new RegExp(`^Descendre le dossier ${patient}`) })
	).toBeFocused();

	// Drag and drop does the same with a mouse: the last case dropped on the first one.
	await items.nth(2).dragTo(items.nth(0));
	await expect(
		page.getByRole('status').getByText('Le nouvel ordre du jour est enregistré.')
	).toBeVisible();
	await expect(items.nth(1)).toContainText(patient);

	// What the case still lacks before the meeting, on the case and in the summary.
	const ours = items.nth(1);
	await expect(ours.getByText(/À compléter/)).toBeVisible();
	await ours.getByText('Voir').click();
	await expect(ours.getByText('Aucune imagerie jointe.')).toBeVisible();
	await expect(ours.getByText('Champ à renseigner : État général (OMS).')).toBeVisible();
	await expect(page.getByText(/dossiers? prêts? sur 3/)).toBeVisible();
	await expectAccessible(page);
});

test('« Monter » et « Descendre » fonctionnent sans JavaScript', async ({ browser }) => {
	const context = await browser.newContext({ javaScriptEnabled: false });
	const page = await context.newPage();
	await login(page, 'coordination');
	await page.goto(caseUrl);
	// The multipart upload works as a plain form post too, for a 1.5 MB scan.
	await page.getByLabel('Fichier').setInputFiles({
		name: 'scanner-tap.pdf',
		mimeType: 'application/pdf',
		buffer: bigPdf
	});
	await page.getByLabel('Type de document').selectOption('imaging');
	await page.getByRole('button', { name: 'Joindre le document' }).click();
	await expect(page.getByText('Le document est joint au dossier.')).toBeVisible();
	await expect(page.getByRole('row', { name: /scanner-tap\.pdf/ })).toContainText('1,4 Mo');
	await page
		.getByRole('link', { name: /\d{4}, \d+ h/ })
		.first()
		.click();
	// Second after the drag and drop above: one step down makes it last.
	await page.getByRole('button', { name: new RegExp(`^Descendre le dossier ${patient}`) }).click();
	await expect(
		page.getByText(`Dossier de ${patient}, née le 20/05/1961, déplacé en position 3 sur 3.`)
	).toBeVisible();
	await context.close();
});

test('la coordination voit l’ordre du jour de 15 dossiers de la prochaine séance et leur état', async ({
	page
}) => {
	await login(page, 'coordination');
	await page.getByRole('link', { name: 'Dossiers' }).click();
	await page
		.getByRole('link', { name: /^Ordre du jour du / })
		.first()
		.click();
	const items = page
		.getByRole('list', { name: 'Dossiers dans l’ordre de passage' })
		.getByRole('listitem')
		.filter({ has: page.getByRole('heading', { level: 3 }) });
	await expect(items).toHaveCount(15);
	await expect(page.getByText(/\d+ dossiers prêts sur 15/)).toBeVisible();
	await expect(page.getByText(/identité INS non validée/)).toBeVisible();
	await expect(
		page.getByText('Dr Pierre Renaud (invitation acceptée)', { exact: false })
	).toBeVisible();
	await expectAccessible(page);
});

test('le demandeur suit sa demande ; un membre d’une autre filière n’ouvre pas le dossier (403)', async ({
	page
}) => {
	await login(page, 'j.moreau');
	await page.goto('/cases');
	const mine = page.getByRole('row', { name: new RegExp(patient) }).filter({ hasText: /Inscrit/ });
	await expect(mine).toContainText(/Inscrit à l.ordre du jour/);
	await expectAccessible(page);

	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await login(page, 'a.lefevre');
	const response = await page.goto(caseUrl);
	expect(response?.status()).toBe(403);
	await expect(page.getByText('Vous n’avez pas accès à ce dossier.')).toBeVisible();
	const docs = await page.request.get(`${caseUrl}/documents/${crypto.randomUUID()}`);
	expect(docs.status()).toBe(403);
	expect((await page.request.get(`${caseUrl}/edit`)).status()).toBe(403);
	// Unknown objects are a 404, never a 500.
	expect((await page.request.get('/cases/inconnu')).status()).toBe(404);
	expect((await page.request.get('/meetings/inconnue/agenda')).status()).toBe(404);
	expect((await page.request.get('/pathways/inconnue/worklist')).status()).toBe(404);
});
