import { expect, test, type Page } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { computeLuhnKey } from '../../src/lib/domain/luhn';
import { hashPassword } from '../../src/lib/server/auth/password';
import { computeInsKey } from '../../src/lib/domain/ins';
import {
	describeHolidayClash,
	findPublicHoliday,
	findSeriesHolidays,
	formatHoliday
} from '../../src/lib/domain/holidays';
import { toParisParts } from '../../src/lib/domain/schedule';
import { attendance, cases, meetings, pathways, users } from '../../src/lib/server/db/schema';
import {
	CLEAN_ADMIN_EMAIL,
	CLEAN_ADMIN_PASSWORD,
	startCleanInstall,
	type CleanInstall
} from '../support/clean-install';
import { expectAccessible } from '../support/e2e';
import { queryOne } from '../../src/lib/server/db/index';

// A new network on a fresh install without demo data: admin → establishments → specialties →
// users → RCP → series, as ISSUE-11 « first run » describes, on a second server of its own.
test.describe.configure({ mode: 'serial', timeout: 90_000 });

let app: CleanInstall;
test.beforeAll(async () => {
	app = await startCleanInstall();
});
test.afterAll(async () => {
	await app?.stop();
});

const rpps = (body: string): string => `${body}${computeLuhnKey(body)}`;
const people = {
	coordinator: rpps('1009912340'),
	chair: rpps('1009912341'),
	pharmacist: rpps('1009912342'),
	cardiologist: rpps('1009912343'),
	pathologist: rpps('1009912345'),
	radiologist: rpps('1009912346')
};
const header =
	"Identifiant PP|Code civilité d'exercice|Code civilité|Nom d'exercice|Prénom d'exercice|Code profession|Code savoir-faire|Libellé savoir-faire|Code mode exercice|Numéro FINESS site|Adresse BAL MSSanté";
const goodCsv = [
	header,
	`${people.coordinator}|DR||MARTIN|Claire|10|SM21|Hématologie|S|210780581|claire.martin@chu.mssante.fr`,
	`${people.chair}|PR||BERNARD|Louis|10|SM71|Hématologie|S|210780581|louis.bernard@chu.mssante.fr`,
	`${people.pharmacist}||MME|ROUX|Inès|21|||S|210780581|ines.roux@chu.mssante.fr`,
	`${people.cardiologist}|DR||LEROY|Paul|10|SM04|Cardiologie|S|750712184|paul.leroy@partenaire.mssante.fr`,
	`${people.pathologist}|DR||FABRE|Marie|10|SM01|Anatomie et cytologie pathologiques|S|210780581|marie.fabre@chu.mssante.fr`,
	`${people.radiologist}|DR||GIRARD|Hugo|10|SM44|Radio-diagnostic|S|210780581|hugo.girard@chu.mssante.fr`
].join('\n');

async function loginAs(page: Page, email: string, password: string): Promise<void> {
	await page.goto(`${app.baseURL}/login`);
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Adresse électronique').fill(email);
	await page.getByLabel('Mot de passe').fill(password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
}

async function addEstablishment(page: Page, finess: string, name: string): Promise<void> {
	await page.getByLabel('Numéro FINESS').fill(finess);
	await page.getByRole('textbox', { name: 'Nom', exact: true }).fill(name);
	await page.getByLabel('Ville').fill('Dijon');
	await page.getByRole('combobox', { name: 'Type', exact: true }).selectOption('hospital');
	await page.getByRole('button', { name: 'Ajouter' }).click();
}

async function preview(page: Page, csv: string): Promise<void> {
	await page.goto(`${app.baseURL}/admin/users/import`);
	await page.getByLabel('ou contenu collé').fill(csv);
	await page.getByRole('button', { name: 'Prévisualiser' }).click();
	await expect(page.getByRole('heading', { name: 'Aperçu' })).toBeVisible();
}

test('an admin sets a network up from a clean install and a coordinator plans its series', async ({
	page
}) => {
	await loginAs(page, CLEAN_ADMIN_EMAIL, CLEAN_ADMIN_PASSWORD);

	// 1. The admin home says what to do first.
	await page.goto(`${app.baseURL}/admin`);
	await expect(page.getByText('Prochaine étape')).toContainText('Établissements');
	await expectAccessible(page);

	// 2. Establishments: empty state, a wrong FINESS key refused on its field, then two saved.
	await page.goto(`${app.baseURL}/admin/establishments`);
	await expect(page.getByText('Aucun établissement pour l’instant')).toBeVisible();
	await addEstablishment(page, '210780582', 'CHU Dijon Bourgogne (essai)');
	await expect(page.locator('#f-finess-error')).toHaveText(
		'La clé du numéro FINESS (dernier chiffre) est fausse : vérifiez le numéro.'
	);
	await expect(page.getByRole('textbox', { name: 'Nom', exact: true })).toHaveValue(
		'CHU Dijon Bourgogne (essai)'
	);
	await page.getByLabel('Numéro FINESS').fill('210780581');
	await page.getByRole('button', { name: 'Ajouter' }).click();
	await expect(page.getByText('L’établissement a été ajouté.')).toBeVisible();
	await addEstablishment(page, '750712184', 'Hôpital partenaire (essai)');
	await expect(page.getByRole('link', { name: 'Hôpital partenaire (essai)' })).toBeVisible();
	await expectAccessible(page);

	// 3. Specialties: the national nomenclature is there without demo data.
	await page.goto(`${app.baseURL}/admin/specialties`);
	const haematology = page.getByRole('row', { name: /^Hématologie haematology/ });
	await expect(haematology).toContainText('SM21');
	await expect(
		page.getByRole('row', { name: /Pharmacien\(ne\) référent\(e\) en biothérapies/ })
	).toContainText('Ne compte pas');

	// 4. Users: a file with an unknown specialty imports nothing; the right one imports all.
	await preview(
		page,
		`${goodCsv}\n${rpps('1009912344')}|DR||PETIT|Luc|10|SM99|Inconnue|L||l.petit@x.mssante.fr`
	);
	await expect(page.getByRole('alert').filter({ hasText: '1 ligne(s) en erreur' })).toBeVisible();
	await expect(page.getByText('« SM99 — Inconnue » est inconnue de Pluri')).toBeVisible();
	await expect(page.getByRole('button', { name: /^Importer/ })).toHaveCount(0);
	await preview(page, goodCsv);
	await page.getByRole('button', { name: 'Importer 6 ligne(s)' }).click();
	await expect(page.getByText('6 compte(s) créé(s), 0 mis à jour, 0 inchangé(s)')).toBeVisible();
	// Re-importing the same file changes nothing and creates no duplicate.
	await preview(page, goodCsv);
	await page.getByRole('button', { name: 'Importer 6 ligne(s)' }).click();
	await expect(page.getByText('0 compte(s) créé(s), 0 mis à jour, 6 inchangé(s)')).toBeVisible();
	expect((await app.db().select().from(users)).filter((u) => u.rpps !== null)).toHaveLength(6);

	// 5. A haematology recours RCP of a cell-therapy establishment.
	await page.goto(`${app.baseURL}/admin/pathways`);
	await expect(page.getByText('Aucune RCP pour l’instant')).toBeVisible();
	await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('RCP hématologie de recours');
	await page.getByRole('textbox', { name: 'Code', exact: true }).fill('hemato-recours');
	await page.getByLabel('Domaine').selectOption('haematology');
	await page.getByLabel('Type de RCP (référentiel INCa 2023)').selectOption('recours');
	await page.getByLabel(/autorisé pour les thérapies cellulaires/).check();
	await page.getByRole('button', { name: 'Créer et configurer' }).click();
	await expect(
		page.getByText('La RCP a été créée avec la règle de quorum de son type.')
	).toBeVisible();
	await expect(
		page.getByRole('row', { name: /Pharmacien\(ne\) référent\(e\) en biothérapies/ })
	).toContainText('Recommandée par le référentiel');
	await expect(page.getByLabel('Hématologie', { exact: true })).toHaveValue('required');
	await expectAccessible(page);

	// A looser rule than the type's default is refused, field by field.
	await page.getByLabel('Nombre minimal de spécialités distinctes (médecins)').fill('2');
	await page.getByLabel('Hématologie', { exact: true }).selectOption('');
	await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(page.locator('#f-minDistinctSpecialties-error')).toHaveText(
		'Le type de RCP exige au moins 3 spécialités distinctes : une valeur plus basse n’est pas permise.'
	);
	await expect(page.locator('#f-requiredSpecialties-error')).toContainText(
		'Le référentiel exige Hématologie'
	);
	await page.getByLabel('Nombre minimal de spécialités distinctes (médecins)').fill('3');
	await page.getByLabel('Hématologie', { exact: true }).selectOption('required');
	await page.getByLabel('CHU Dijon Bourgogne (essai) (210780581)').check();
	await page.getByLabel('RCP ouverte aux demandes').check();
	await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
	await expect(page.getByText('La RCP a été enregistrée.')).toBeVisible();
	await page
		.getByLabel('Coordonnateurs', { exact: true })
		.selectOption({ label: 'Dr Claire MARTIN — Hématologie' });
	await page
		.getByLabel('Présidents de séance')
		.selectOption({ label: 'Pr Louis BERNARD — Hématologie' });
	await page.getByRole('button', { name: 'Enregistrer les rôles' }).click();
	await expect(
		page.getByText('Les coordonnateurs et présidents ont été enregistrés.')
	).toBeVisible();
	const hemato = (await queryOne(
		app.db().select().from(pathways).where(eq(pathways.code, 'hemato-recours'))
	))!;
	expect(hemato).toMatchObject({ area: 'haematology', rcpType: 'recours', active: true });
	expect(hemato.quorumRule.recommendedSpecialties).toContain('biotherapy_pharmacist');

	// 6. A heart-failure RCP keeps its DESIGN §3 default.
	await page.goto(`${app.baseURL}/admin/pathways`);
	await page.getByRole('textbox', { name: 'Nom', exact: true }).fill('RCP insuffisance cardiaque');
	await page.getByRole('textbox', { name: 'Code', exact: true }).fill('ic');
	await page.getByLabel('Domaine').selectOption('heart_failure');
	await page.getByRole('button', { name: 'Créer et configurer' }).click();
	await expect(
		page.getByLabel('Cardiologie – insuffisance cardiaque', { exact: true })
	).toHaveValue('required');
	const hf = (await queryOne(app.db().select().from(pathways).where(eq(pathways.code, 'ic'))))!;
	expect(hf).toMatchObject({
		kind: 'heart_failure',
		clinicalForm: 'heart_failure',
		freshnessDays: 180
	});

	// 7. The coordinator (password set by the admin out of band) plans a weekly series.
	const hash = await hashPassword('Coordination-Hemato-2026');
	await app
		.db()
		.update(users)
		.set({ passwordHash: hash })
		.where(eq(users.rpps, people.coordinator));
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await loginAs(page, 'claire.martin@chu.mssante.fr', 'Coordination-Hemato-2026');
	await page.goto(`${app.baseURL}/pathways/${hemato.id}/series/new`);
	await page.getByLabel('Fréquence').selectOption('weekly');
	await page.getByLabel('Jour de la semaine').selectOption('2');
	await page.getByLabel('Heure de début (heure de Paris)').fill('17:30');
	await page.getByLabel('Président(e) de séance').selectOption({ label: 'Pr Louis BERNARD' });
	await page.getByLabel('Lieu').fill('Salle de staff, hématologie');
	// A Tuesday may be a public holiday in the year ahead (15 August 2028, 1 May 2029…): the
	// warning expected is computed with the rule the server applies, never assumed away.
	const today = toParisParts(new Date()).date;
	const tuesdayHolidays = findSeriesHolidays(
		{
			frequency: 'weekly',
			weekday: 2,
			nthWeek: null,
			startDate: today,
			untilDate: null,
			count: null
		},
		today
	);
	await page.getByRole('button', { name: 'Planifier la série' }).click();
	const holidayChoice = page.getByRole('group', { name: 'Jours fériés' });
	if (tuesdayHolidays.length) {
		// Nothing is planned before the coordinator says whether those meetings are held.
		await expect(holidayChoice).toContainText(describeHolidayClash(tuesdayHolidays)!);
		await expect(page.locator('#holidays-error')).toHaveText(
			'Indiquez si ces séances doivent être maintenues ou non avant de planifier.'
		);
		await expect(page).toHaveURL(/\/series\/new/);
		await page.getByLabel('Ne pas programmer ces séances (recommandé)').check();
		await page.getByRole('button', { name: 'Planifier la série' }).click();
	}
	await expect(page).toHaveURL(/\/series\/(?!new\b)[\w-]+\?planifiees=[1-9]/);
	for (const h of tuesdayHolidays)
		await expect(page.getByText(/^Pas de séance :/)).toContainText(formatHoliday(h));
	const planned = await app.db().select().from(meetings).where(eq(meetings.pathwayId, hemato.id));
	expect(planned.length).toBeGreaterThan(0);
	expect(
		planned
			.map((m) => toParisParts(m.startsAt).date)
			.filter((date) => findPublicHoliday(date) !== null)
	).toEqual([]);

	// 8. Archiving an RCP with upcoming meetings is refused with a French message.
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await loginAs(page, CLEAN_ADMIN_EMAIL, CLEAN_ADMIN_PASSWORD);
	await page.goto(`${app.baseURL}/admin/pathways/${hemato.id}`);
	await page.getByRole('button', { name: 'Archiver la RCP' }).click();
	await expect(page.getByRole('alert').filter({ hasText: 'Cette RCP a encore' })).toContainText(
		'séances à venir'
	);
	await page.goto(`${app.baseURL}/admin`);
	await expect(page.getByRole('heading', { name: 'Mise en route du réseau' })).toHaveCount(0);
});

test('a doctor requests a case; the meeting is held, the decision validated, the report counts it', async ({
	page
}) => {
	const db = app.db();
	const hemato = (await queryOne(
		db.select().from(pathways).where(eq(pathways.code, 'hemato-recours'))
	))!;
	for (const [who, password] of [
		[people.cardiologist, 'Demande-Avis-Hemato-2026'],
		[people.chair, 'Presidence-Hemato-2026']
	] as const)
		await db
			.update(users)
			.set({ passwordHash: await hashPassword(password) })
			.where(eq(users.rpps, who));

	// The referring doctor requests the case.
	await loginAs(page, 'paul.leroy@partenaire.mssante.fr', 'Demande-Avis-Hemato-2026');
	await page.goto(`${app.baseURL}/cases/new?pathway=${hemato.id}`);
	const first13 = '1580571076123';
	await page
		.getByRole('textbox', { name: 'Matricule INS', exact: true })
		.fill(first13 + computeInsKey(first13));
	await page.getByLabel('Statut de l’identité').selectOption({ label: 'Identité validée' });
	await page.getByRole('textbox', { name: 'Nom de naissance', exact: true }).fill('Premierdossier');
	await page.getByLabel('Prénoms de naissance').fill('Jean');
	await page.getByLabel('Sexe').selectOption({ label: 'Masculin' });
	await page.getByRole('textbox', { name: 'Date de naissance', exact: true }).fill('1958-05-12');
	await page.getByLabel('Commune de naissance', { exact: true }).fill('71076');
	await page.getByLabel('Question posée à la RCP').fill('Autogreffe après rechute ?');
	await page.getByLabel('Résumé clinique').fill('Lymphome de Hodgkin en première rechute.');
	// A haematology RCP uses the haematology form (no TNM).
	await page.getByLabel('Diagnostic (CIM-10)').selectOption('C81');
	await page.getByLabel('Diagnostic précis').fill('Lymphome de Hodgkin classique');
	await page.getByLabel('Phase de la maladie').selectOption('relapse');
	await page.getByLabel('Traitements antérieurs').fill('ABVD × 6, rémission complète');
	await page.getByRole('button', { name: 'Soumettre la demande' }).click();
	await expect(page.getByText('La demande a été soumise à la coordination.')).toBeVisible();
	const caseRow = (await queryOne(db.select().from(cases).where(eq(cases.pathwayId, hemato.id))))!;

	// The meeting is held now: opened, the case on screen, three doctors checked in.
	const meeting = (await queryOne(
		db.select().from(meetings).where(eq(meetings.pathwayId, hemato.id)).orderBy(meetings.startsAt)
	))!;
	const now = Date.now();
	await db
		.update(meetings)
		.set({
			startsAt: new Date(now - 10 * 60_000),
			endsAt: new Date(now + 80 * 60_000),
			deadlineAt: new Date(now - 86_400_000),
			status: 'open',
			openedAt: new Date(now - 9 * 60_000),
			currentCaseId: caseRow.id
		})
		.where(eq(meetings.id, meeting.id));
	await db
		.update(cases)
		.set({ meetingId: meeting.id, status: 'scheduled', agendaPosition: 1 })
		.where(eq(cases.id, caseRow.id));
	for (const who of [people.chair, people.pathologist, people.radiologist]) {
		const u = (await queryOne(db.select().from(users).where(eq(users.rpps, who))))!;
		await db.insert(attendance).values({
			meetingId: meeting.id,
			userId: u.id,
			identity: `checkin:user:${u.id}`,
			displayName: `${u.title} ${u.firstName} ${u.lastName}`,
			specialty: u.specialty,
			joinedAt: new Date(now - 8 * 60_000),
			source: 'check_in'
		});
	}

	// The chair validates: quorum reached, the missing biotherapy pharmacist is recorded.
	await page.getByRole('button', { name: 'Se déconnecter' }).click();
	await loginAs(page, 'louis.bernard@chu.mssante.fr', 'Presidence-Hemato-2026');
	await page.goto(`${app.baseURL}/meetings/${meeting.id}/cases/${caseRow.id}/decision`);
	await expect(
		page.getByText(
			/^Spécialité recommandée absente : Pharmacien\(ne\) référent\(e\) en biothérapies\./
		)
	).toBeVisible();
	await page.getByRole('checkbox', { name: 'Autogreffe' }).check();
	await page
		.getByLabel('Proposition thérapeutique')
		.fill('Chimiothérapie de rattrapage puis autogreffe.');
	await page.getByRole('radio', { name: 'Conforme au référentiel' }).check();
	await page.getByRole('button', { name: /^Valider la proposition/ }).click();
	// What will be recorded carries the warning.
	await expect(
		page.getByText(
			'Quorum atteint (3 spécialités) ; spécialité recommandée absente : Pharmacien(ne) référent(e) en biothérapies.',
			{ exact: false }
		)
	).toBeVisible();
	await page.getByRole('button', { name: 'Confirmer la validation' }).click();
	await expect(page.getByText('La proposition thérapeutique est validée')).toBeVisible();

	// The activity report counts one case presented, quorum reached at its first presentation.
	await page.goto(`${app.baseURL}/stats`);
	const section = page.locator('section', { has: page.locator(`#act-${hemato.id}`) });
	const total = section.getByRole('row', { name: /^Total/ });
	await expect(total.getByRole('cell').nth(0)).toHaveText('1');
	await expect(total.getByRole('cell').nth(1)).toHaveText('100 % (1/1)');
	await expect(total.getByRole('cell').nth(4)).toHaveText('100 %');
	await expect(section.getByRole('img', { name: /dossiers présentés et quorum/ })).toBeVisible();
	await expectAccessible(page);
});
