import { expect, test } from '@playwright/test';
import { addDaysLocal, formatParisDate, toParisParts } from '../../src/lib/domain/schedule';
import { expectAccessible, login } from '../support/e2e';
import { findCapturedLink } from '../support/smtp';

/**
 * Each user reads the mails addressed to their account in « Messagerie », and only those; the
 * in-app copy sends them to the meeting page instead of the signed reply link, which leaves by
 * SMTP only. The administrator sees delivery metadata, never a body.
 */
test('chacun lit ses propres messages ; l’administration ne voit que le suivi des envois', async ({
	browser
}) => {
	test.setTimeout(90_000); // four accounts log in, one after the other
	// A meeting far ahead, so the agendas other journeys read are not changed.
	const date = addDaysLocal(toParisParts(new Date()).date, 300);
	const coordination = await (await browser.newContext()).newPage();
	await login(coordination, 'coordination.ic');
	await coordination.goto('/pathways');
	await coordination.getByRole('link', { name: 'RCP insuffisance cardiaque' }).click();
	await coordination.getByRole('link', { name: 'Ajouter une séance ponctuelle' }).click();
	await coordination.locator('#f-date').fill(date);
	await coordination.getByLabel('Heure de début (heure de Paris)').fill('08:05');
	await coordination.getByLabel('Durée (minutes)').fill('30');
	await coordination
		.getByLabel('Président(e) de séance')
		.selectOption({ label: 'Pr Paul Fontaine' });
	await coordination.locator('#f-place').fill('Salle de cardiologie (messagerie)');
	await coordination.getByRole('button', { name: 'Ajouter la séance' }).click();
	await expect(coordination.getByRole('status')).toContainText('médecin(s) invité(s)');
	const meetingPath = new URL(coordination.url()).pathname;
	await coordination.context().close();

	const day = formatParisDate(new Date(`${date}T12:00:00Z`));
	const subject = `Invitation : RCP insuffisance cardiaque — ${day}, 8 h 05`;
	// The mail that left by SMTP carries the signed answer link.
	await expect
		.poll(() => findCapturedLink('p.fontaine@demo.mssante.fr', new RegExp(subject), /\/reply\//))
		.toBeTruthy();

	const chair = await (await browser.newContext()).newPage();
	await login(chair, 'p.fontaine');
	await chair.getByRole('link', { name: 'Messagerie', exact: true }).click();
	await expect(chair.getByRole('heading', { level: 1, name: 'Messagerie' })).toBeVisible();
	const row = chair
		.getByRole('table', { name: 'Mes messages' })
		.getByRole('row', { name: subject });
	await expect(row).toContainText('Invitation à une séance');
	await expect(row).toContainText('Transmis');
	await expectAccessible(chair);
	await row.getByRole('link', { name: subject }).click();
	await expect(chair.getByRole('heading', { level: 1, name: subject })).toBeVisible();
	await expect(chair.getByText(/Transmis à p\.fontaine@demo\.mssante\.fr/)).toBeVisible();
	const answer = chair.getByRole('link', { name: new RegExp(`${meetingPath}$`) }).first();
	await expect(answer).toBeVisible();
	await expect(chair.locator('a[href*="/reply/"]')).toHaveCount(0);
	await expectAccessible(chair);
	const mailUrl = chair.url();
	await chair.context().close();

	// Another doctor, and the administrator, cannot open it.
	const other = await (await browser.newContext()).newPage();
	await login(other, 'j.moreau');
	const refused = await other.goto(mailUrl);
	expect(refused?.status()).toBe(404);
	await other.context().close();

	const admin = await (await browser.newContext()).newPage();
	await login(admin, 'admin');
	expect((await admin.goto(mailUrl))?.status()).toBe(404);
	await admin.goto(`/admin/mailbox?q=${encodeURIComponent('p.fontaine@demo.mssante.fr')}`);
	await expect(admin.getByRole('heading', { level: 1, name: 'Suivi des envois' })).toBeVisible();
	const line = admin
		.getByRole('table', { name: 'Envois de messages' })
		.getByRole('row', { name: new RegExp(subject) });
	await expect(line).toContainText('Invitation à une séance');
	await expect(line).toContainText('Transmis');
	await expect(line.getByRole('link')).toHaveCount(0);
	await expectAccessible(admin);
	await admin.context().close();
});
