// Runs first (file order): later journeys leave meetings starting now that would change the lists it reads.
import { expect, test, type Page } from '@playwright/test';
import { findPublicHoliday } from '../../src/lib/domain/holidays';
import { addDaysLocal, formatParisDate, toParisParts } from '../../src/lib/domain/schedule';
import { DEMO_PASSWORD, demoEmail, expectAccessible } from '../support/e2e';
import { findCapturedLink } from '../support/smtp';

/** Logs in once the login page is hydrated, so typed values cannot be reset under load. */
async function login(page: Page, key: string): Promise<void> {
	await page.goto('/login');
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Adresse électronique').fill(demoEmail(key));
	await page.getByLabel('Mot de passe').fill(DEMO_PASSWORD);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
}

/** Paris date and HH:MM of an instant some minutes from now. */
function parisIn(minutes: number): { date: string; time: string } {
	const { date, time } = toParisParts(new Date(Date.now() + minutes * 60_000));
	return { date, time };
}

const today = (): string => toParisParts(new Date()).date;

/** The first date from `date` on, stepping by `step` days, whose `span` next steps are no public holiday (the forms would warn). */
function avoidHolidays(date: string, step = 1, span = 1): string {
	const clashes = (d: string): boolean =>
		Array.from({ length: span }, (_, i) => addDaysLocal(d, i * step)).some(
			(x) => findPublicHoliday(x) !== null
		);
	let d = date;
	while (clashes(d)) d = addDaysLocal(d, step);
	return d;
}

/**
 * The first link of the mail to `to` that the SMTP fake received (working links leave Pluri
 * by SMTP only; no copy in the app keeps them).
 */
async function linkFromMail(to: string, subject: RegExp, link: RegExp): Promise<string> {
	let href: string | null = null;
	await expect
		.poll(async () => (href = await findCapturedLink(to, subject, link)), { timeout: 10_000 })
		.toBeTruthy();
	return href!;
}

async function openPathway(page: Page, name: string): Promise<void> {
	await page.goto('/pathways');
	await expectAccessible(page);
	await page.getByRole('link', { name }).click();
	await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test.describe('calendrier des séances et invitations', () => {
	test('la coordination planifie une série, voit ses séances et en annule une', async ({
		page
	}) => {
		await login(page, 'coordination');
		await openPathway(page, 'RCP oncologie thoracique');
		await expectAccessible(page);
		await page.getByRole('link', { name: 'Planifier une série de séances' }).click();
		await expectAccessible(page);

		// Far ahead so that other journeys' "next meeting" stays the demo one.
		// The three Thursdays planned avoid public holidays (which the form would warn about).
		const start = avoidHolidays(
			(() => {
				let d = addDaysLocal(today(), 100);
				while (new Date(`${d}T12:00:00Z`).getUTCDay() !== 4) d = addDaysLocal(d, 1);
				return d;
			})(),
			7,
			3
		);
		await page.getByLabel('Fréquence').selectOption('weekly');
		await page.getByLabel('Jour de la semaine').selectOption('4');
		await page.getByLabel('Date de début').fill(start);
		await page.getByLabel('Heure de début (heure de Paris)').fill('08:15');
		await page.getByLabel('Durée (minutes)').fill('60');
		await page.getByLabel('Président(e) de séance').selectOption({ label: 'Dr Camille Faure' });
		await page.locator('#f-place').fill('Salle Niépce (essai)');

		// An end before the start is refused, in French, next to its field.
		await page.getByLabel('Jusqu’à une date').check();
		await page.getByLabel('Date de la dernière séance possible').fill(addDaysLocal(start, -1));
		await page.getByRole('button', { name: 'Planifier la série' }).click();
		const until = page.getByLabel('Date de la dernière séance possible');
		await expect(until).toHaveAttribute('aria-invalid', 'true');
		await expect(page.locator('#f-untilDate-error')).toHaveText(
			'La date de fin doit être postérieure ou égale à la date de début.'
		);
		await expect(page.locator('#f-place')).toHaveValue('Salle Niépce (essai)');
		await expectAccessible(page);

		await page.getByLabel('Après un nombre de séances').check();
		await page.getByLabel('Nombre de séances', { exact: true }).fill('3');
		await page.getByRole('button', { name: 'Planifier la série' }).click();
		await expect(page.getByRole('status')).toContainText(
			'La série est planifiée : 3 séance(s) créée(s)'
		);
		await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chaque jeudi à 8 h 15');
		const rows = page.getByRole('table', { name: 'Séances à venir' }).locator('tbody tr');
		await expect(rows).toHaveCount(3);
		await expect(rows.first()).toContainText('8 h 15');
		await expect(rows.first()).toContainText('Programmée');
		await expect(page.getByRole('link', { name: '← RCP oncologie thoracique' })).toBeVisible();
		await expect(
			page.getByRole('table', { name: 'Médecins invités à toute la série' })
		).toContainText('Dr Anne Lefèvre');
		await expectAccessible(page);

		await rows.first().getByRole('link', { name: 'Annuler' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Annuler la séance');
		await page.getByLabel('Motif de l’annulation').fill('Congrès régional');
		await page.getByRole('button', { name: 'Annuler la séance' }).click();
		await expect(page.getByRole('status')).toContainText('La séance est annulée');
		await expectAccessible(page);

		await page.getByRole('link', { name: /← Séance du/ }).click();
		await expect(page.getByText('motif : Congrès régional')).toBeVisible();
		await expectAccessible(page);
		await page.getByRole('link', { name: 'Chaque jeudi à 8 h 15' }).click();
		await expect(rows.first()).toContainText('Annulée');
		await expect(rows.nth(1)).toContainText('Programmée');

		// Moving an occurrence keeps it in the series, marked as moved.
		await rows.nth(1).getByRole('link', { name: 'Déplacer' }).click();
		await expectAccessible(page);
		await page.getByLabel('Heure de début (heure de Paris)').fill('08:45');
		await page.getByRole('button', { name: 'Enregistrer et prévenir les invités' }).click();
		await expect(page.getByRole('status')).toContainText('La séance est modifiée');
		await page.getByRole('link', { name: /← Séance du/ }).click();
		await page.getByRole('link', { name: 'Chaque jeudi à 8 h 15' }).click();
		await expect(rows.nth(1)).toContainText('8 h 45');
		await expect(rows.nth(1)).toContainText('Déplacée');

		// Before cancelling a meeting that has registered cases, the coordinator is told so.
		await openPathway(page, 'RCP oncologie digestive');
		await page
			.getByRole('table', { name: 'Séances des trois prochains mois' })
			.locator('tbody tr')
			.first()
			.getByRole('link')
			.first()
			.click();
		await page.getByRole('link', { name: 'Annuler la séance' }).click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Annuler la séance');
		await expect(page.locator('.alert.warning')).toContainText(
			/\d+ dossiers sont inscrits à cette séance : après l’annulation, ils seront à reprogrammer/
		);
		await expectAccessible(page);
	});

	test('un membre reçoit l’invitation par messagerie et accepte depuis le lien, sans se connecter', async ({
		page,
		browser
	}) => {
		await login(page, 'coordination');
		await openPathway(page, 'RCP sénologie');
		await page.getByRole('link', { name: 'Ajouter une séance ponctuelle' }).click();
		const date = avoidHolidays(addDaysLocal(today(), 40));
		await page.locator('#f-date').fill(date);
		await page.getByLabel('Heure de début (heure de Paris)').fill('07:45');
		await page.getByLabel('Durée (minutes)').fill('45');
		await page.getByLabel('Président(e) de séance').selectOption({ label: 'Dr Hélène Rousseau' });
		await page.locator('#f-place').fill('Salle de réunion (séance supplémentaire)');
		// A mistyped year is refused next to the date, before any invitation leaves.
		await page.locator('#f-date').fill(`${Number(date.slice(0, 4)) + 10}${date.slice(4)}`);
		await page.getByRole('button', { name: 'Ajouter la séance' }).click();
		await expect(page.locator('#f-date-error')).toHaveText(
			'La séance ne peut pas être placée plus de deux ans à l’avance : vérifiez l’année.'
		);
		await expect(page.locator('#f-place')).toHaveValue('Salle de réunion (séance supplémentaire)');
		await page.locator('#f-date').fill(date);
		await expectAccessible(page);
		await page.getByRole('button', { name: 'Ajouter la séance' }).click();
		await expect(page.getByRole('status')).toContainText(
			'La séance est créée et 5 médecin(s) invité(s)'
		);
		const meetingUrl = page.url();
		const invitees = page.getByRole('table', { name: 'Participants invités' });
		await expect(invitees.getByRole('row', { name: /Dr Isabelle Petit/ })).toContainText(
			'Sans réponse'
		);
		await expectAccessible(page);

		const day = formatParisDate(new Date(`${date}T12:00:00Z`));
		const reply = await linkFromMail(
			'i.petit@demo.mssante.fr',
			new RegExp(`Invitation : RCP sénologie — ${day}, 7 h 45`),
			/\/reply\/.*reponse=oui/
		);

		const outside = await browser.newContext();
		const doctor = await outside.newPage();
		await doctor.goto(reply);
		await expect(
			doctor.getByRole('heading', { name: 'Dr Isabelle Petit, serez-vous présent(e) ?' })
		).toBeVisible();
		await expect(doctor.getByText(`${day}, 7 h 45`)).toBeVisible();
		await expectAccessible(doctor);
		await doctor.getByRole('button', { name: 'Je participerai' }).click();
		await expect(doctor.getByRole('status')).toHaveText('Merci : votre présence est confirmée.');
		await expect(doctor.getByText('Présence confirmée')).toBeVisible();
		// A tampered link is refused with a clear message.
		await doctor.goto(reply.replace(/s=([^&]+)/, 's=AAAA$1'));
		await expect(doctor.getByRole('alert')).toContainText('Ce lien de réponse n’est pas valide');
		await expectAccessible(doctor);
		await outside.close();

		await page.goto(meetingUrl);
		await expect(invitees.getByRole('row', { name: /Dr Isabelle Petit/ })).toContainText(
			'Présence confirmée'
		);
	});

	test('un médecin répond depuis la page de la séance, sans JavaScript', async ({ browser }) => {
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		await login(page, 'j.moreau');
		// A later meeting: the next ones' answers belong to the demo other journeys read.
		const rows = page.getByRole('table', { name: 'Mes prochaines séances' }).locator('tbody tr');
		await rows.nth(2).getByRole('link').click();
		await expect(page.getByRole('heading', { name: 'Votre participation' })).toBeVisible();
		await page.getByRole('button', { name: 'Je ne participerai pas' }).click();
		await expect(page.getByRole('status')).toHaveText('Votre absence est enregistrée.');
		await expect(page.getByText('Votre réponse : Absence signalée')).toBeVisible();
		await context.close();
	});

	test('le lien d’un médecin traitant ouvre sa page ; retiré, il est refusé', async ({
		page,
		browser
	}) => {
		await login(page, 'coordination.ic');
		await openPathway(page, 'RCP insuffisance cardiaque');
		await page.getByRole('link', { name: 'Ajouter une séance ponctuelle' }).click();
		const soon = parisIn(15);
		await page.locator('#f-date').fill(soon.date);
		await page.getByLabel('Heure de début (heure de Paris)').fill(soon.time);
		await page.getByLabel('Durée (minutes)').fill('30');
		await page.getByLabel('Président(e) de séance').selectOption({ label: 'Pr Paul Fontaine' });
		await page.locator('#f-place').fill('Salle de cardiologie (essai)');
		await page.getByLabel('Inviter tous les médecins de la filière').uncheck();
		await page.getByRole('button', { name: 'Ajouter la séance' }).click();
		await expect(page.getByRole('status')).toHaveText('La séance est créée.');
		const meetingUrl = page.url();

		// A malformed RPPS is refused next to its field; what was typed is kept.
		await page.getByLabel('Nom du médecin').fill('Dr Pierre Renaud');
		await page
			.getByLabel('Adresse de messagerie (MSSanté de préférence)')
			.fill('p.renaud@demo.mssante.fr');
		await page.getByLabel('Numéro RPPS (facultatif)').fill('1009900015');
		await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
		await expect(page.locator('#f-guestRpps-error')).toHaveText(
			'Le numéro RPPS comporte 11 chiffres.'
		);
		await expect(page.getByLabel('Nom du médecin')).toHaveValue('Dr Pierre Renaud');
		await expectAccessible(page);
		await page.getByLabel('Numéro RPPS (facultatif)').fill('10099000159');
		await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
		await expect(page.getByRole('status')).toContainText(
			'Dr Pierre Renaud est invité(e) ; son lien personnel lui a été envoyé'
		);

		const guestLink = await linkFromMail(
			'p.renaud@demo.mssante.fr',
			/Invitation : RCP insuffisance cardiaque/,
			/\/invitation\//
		);
		const outside = await browser.newContext();
		const gp = await outside.newPage();
		await gp.goto(guestLink);
		await expect(gp.getByRole('heading', { level: 1 })).toHaveText('Bienvenue, Dr Pierre Renaud');
		await expect(gp.getByText('RCP insuffisance cardiaque').first()).toBeVisible();
		await expect(gp.getByText('Salle de cardiologie (essai)')).toBeVisible();
		await expectAccessible(gp);

		await page.goto(meetingUrl);
		await page.getByRole('button', { name: 'Retirer l’invitation de Dr Pierre Renaud' }).click();
		await expect(page.getByRole('status')).toContainText('son lien ne fonctionne plus');
		await expect(
			page.getByRole('table', { name: 'Participants invités' }).getByRole('row', { name: /Renaud/ })
		).toContainText('Invitation retirée');
		await expectAccessible(page);

		await gp.reload();
		await expect(gp.getByRole('alert')).toContainText('Ce lien d’invitation a été retiré');
		await expectAccessible(gp);
		await gp.goto(guestLink.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
		await expect(gp.getByRole('alert')).toContainText('Ce lien d’invitation n’est pas valide');
		await outside.close();

		// Leave no meeting starting now for the other journeys.
		await page.getByRole('link', { name: 'Annuler la séance' }).click();
		await page.getByLabel('Motif de l’annulation').fill('Séance d’essai');
		await page.getByRole('button', { name: 'Annuler la séance' }).click();
		await expect(page.getByRole('status')).toContainText('La séance est annulée');
	});

	test('le calendrier mensuel et l’abonnement personnel (.ics)', async ({ page }) => {
		await login(page, 'h.rousseau');
		await page.getByRole('link', { name: 'Calendrier', exact: true }).click();
		await expect(page.getByRole('heading', { level: 1 })).toContainText('Calendrier des séances');
		await expect(page.getByRole('link', { name: /RCP oncologie digestive/ }).first()).toBeVisible();
		await expectAccessible(page);
		await page.getByRole('link', { name: /→$/ }).click();
		await expect(page).toHaveURL(/mois=\d{4}-\d{2}/);
		await expectAccessible(page);

		await page.goto('/account');
		const address = await page.getByLabel('Adresse de l’abonnement').inputValue();
		expect(address).toMatch(/\/api\/calendar\/[0-9a-f-]{36}\.[\w-]+\.ics$/);
		await expectAccessible(page);
		const feed = await page.request.get(address);
		expect(feed.headers()['content-type']).toContain('text/calendar');
		const text = await feed.text();
		expect(text).toContain('METHOD:PUBLISH');
		expect(text).toMatch(/DTSTART;TZID=Europe\/Paris:\d{8}T173000/);
		expect(text).toContain('BEGIN:VTIMEZONE');

		await page.getByRole('button', { name: 'Réinitialiser l’adresse' }).click();
		await expect(page.getByRole('status')).toContainText('l’ancienne ne fonctionne plus');
		await expect(page.getByLabel('Adresse de l’abonnement')).not.toHaveValue(address);
		expect((await page.request.get(address)).status()).toBe(404);
	});
});
