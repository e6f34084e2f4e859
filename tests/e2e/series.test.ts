import { expect, test } from '@playwright/test';
import {
	describeHolidayClash,
	findSeriesHolidays,
	listPublicHolidays
} from '../../src/lib/domain/holidays';
import { describeRecurrence } from '../../src/lib/domain/meeting-plan';
import {
	addDaysLocal,
	listOccurrenceDates,
	parisLocalToUtc,
	toParisParts,
	type RecurrenceRule
} from '../../src/lib/domain/schedule';
import { expectAccessible, login } from '../support/e2e';
import { expandRecurringEvent } from '../support/ical';
import { readCapturedMails } from '../support/smtp';

/** The first public holiday at least two months ahead (others' journeys use the coming weeks). */
function nextHolidayAfter(days: number): string {
	const from = addDaysLocal(toParisParts(new Date()).date, days);
	const year = Number(from.slice(0, 4));
	return [...listPublicHolidays(year), ...listPublicHolidays(year + 1)].find((h) => h.date >= from)!
		.date;
}

function isoWeekday(date: string): number {
	const d = new Date(`${date}T12:00:00Z`).getUTCDay();
	return d === 0 ? 7 : d;
}

test('la coordination planifie une série : jours fériés signalés et écartés, une seule invitation récurrente', async ({
	page
}) => {
	const holiday = nextHolidayAfter(60);
	const start = addDaysLocal(holiday, -14);
	const rule: RecurrenceRule = {
		frequency: 'weekly',
		weekday: isoWeekday(holiday),
		nthWeek: null,
		startDate: start,
		untilDate: null,
		count: 12
	};
	const clash = findSeriesHolidays(rule, toParisParts(new Date()).date);
	expect(clash.map((h) => h.date)).toContain(holiday);
	const held = listOccurrenceDates(rule, { to: addDaysLocal(start, 120) }).filter(
		(d) => !clash.some((h) => h.date === d)
	);

	await login(page, 'coordination');
	await page.goto('/pathways');
	await page.getByRole('link', { name: 'RCP oncologie thoracique' }).click();
	await page.getByRole('link', { name: 'Planifier une série de séances' }).click();
	await page.getByLabel('Fréquence').selectOption('weekly');
	await page.getByLabel('Jour de la semaine').selectOption(String(rule.weekday));
	await page.getByLabel('Date de début').fill(start);
	await page.getByLabel('Heure de début (heure de Paris)').fill('06:30');
	await page.getByLabel('Durée (minutes)').fill('60');
	await page.getByLabel('Président(e) de séance').selectOption({ label: 'Dr Camille Faure' });
	await page.locator('#f-place').fill('Salle des jours fériés (essai)');
	await page.getByLabel('Après un nombre de séances').check();
	await page.getByLabel('Nombre de séances', { exact: true }).fill('12');
	await page.getByRole('button', { name: 'Planifier la série' }).click();

	// The form comes back with its values and the warning, and asks what to do.
	const warning = page.locator('#holidays-warning');
	await expect(warning).toHaveText(describeHolidayClash(clash)!);
	await expect(page.locator('#f-place')).toHaveValue('Salle des jours fériés (essai)');
	await expect(page.locator('#holidays-error')).toContainText('maintenues ou non');
	// The choice is tied to the warning and to the error (RGAA 11.10).
	await expect(page.getByLabel('Ne pas programmer ces séances (recommandé)')).toHaveAttribute(
		'aria-describedby',
		'holidays-warning holidays-error'
	);
	await expectAccessible(page);
	await page.screenshot({ path: 'test-results/series-holiday-warning-1280.png', fullPage: true });
	const width = await page.evaluate(() => document.documentElement.scrollWidth);
	expect(width).toBeLessThanOrEqual(1280);

	await page.getByLabel('Ne pas programmer ces séances (recommandé)').check();
	await page.getByRole('button', { name: 'Planifier la série' }).click();
	await expect(page.getByRole('status')).toContainText(
		`La série est planifiée : ${held.length} séance(s) créée(s)`
	);
	const recurrence = describeRecurrence({ ...rule, localStartTime: '06:30' });
	await expect(page.getByRole('heading', { level: 1 })).toHaveText(recurrence);
	await expect(page.getByText('Pas de séance : ')).toBeVisible();
	await expectAccessible(page);

	// One mail per invitee, whose recurring event expands to the meetings held.
	const subject = `Invitation aux séances : RCP oncologie thoracique — ${recurrence.charAt(0).toLowerCase()}${recurrence.slice(1)}`;
	let mails: Awaited<ReturnType<typeof readCapturedMails>> = [];
	await expect
		.poll(
			async () => (mails = (await readCapturedMails()).filter((m) => m.subject === subject)).length,
			{
				timeout: 10_000
			}
		)
		.toBeGreaterThan(0);
	const recipients = mails.map((m) => m.to);
	expect(new Set(recipients).size).toBe(recipients.length);
	const ics = mails[0]!.attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
	const text = Buffer.from(ics.content, 'base64').toString('utf8');
	expect(text).toMatch(/^RRULE:FREQ=WEEKLY;BYDAY=\w\w;COUNT=12\r$/m);
	const expanded = expandRecurringEvent(text, new Date(`${addDaysLocal(start, 120)}T00:00:00Z`));
	expect(expanded.map((o) => o.start.toISOString())).toEqual(
		held.map((d) => {
			const at = parisLocalToUtc(d, '06:30');
			if (!at.ok) throw new Error(at.error);
			return at.instant.toISOString();
		})
	);
	// The chair declines the whole series from her mail, without logging in.
	const chairMail = mails.find((m) => /faure/i.test(m.to))!;
	const decline = (chairMail.text.match(/https?:\/\/\S+/g) ?? []).find((u) =>
		/\/reply\/[^/]+\/serie\?.*reponse=non/.test(u)
	)!;
	const outside = await page.context().browser()!.newContext();
	const chair = await outside.newPage();
	await chair.goto(decline);
	await expect(
		chair.getByRole('heading', {
			name: 'Dr Camille Faure, participerez-vous aux séances de la série ?'
		})
	).toBeVisible();
	await expectAccessible(chair);
	await chair.getByRole('button', { name: 'Je ne participerai pas' }).click();
	await expect(chair.getByRole('status')).toHaveText(
		'Merci : votre absence aux séances de la série est enregistrée.'
	);
	await outside.close();

	// The coordination is told once, by mail, and the meeting page flags it.
	let notices: Awaited<ReturnType<typeof readCapturedMails>> = [];
	await expect
		.poll(
			async () =>
				(notices = (await readCapturedMails()).filter(
					(m) =>
						m.subject.startsWith('Le président a décliné : RCP oncologie thoracique') &&
						m.subject.includes(recurrence)
				)).length,
			{ timeout: 10_000 }
		)
		.toBeGreaterThan(0);
	expect(new Set(notices.map((m) => m.to)).size).toBe(notices.length);
	await page
		.getByRole('table', { name: 'Séances à venir' })
		.locator('tbody tr')
		.first()
		.getByRole('link')
		.first()
		.click();
	await expect(page.getByRole('heading', { name: 'Invitations déclinées' })).toBeVisible();
	await expect(
		page.getByText(
			'Le président a décliné : Dr Camille Faure ne présidera pas toutes les séances de la série.'
		)
	).toBeVisible();
	await expectAccessible(page);
});
