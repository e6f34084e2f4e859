import { describe, expect, it } from 'vitest';
import {
	automaticReminderKey,
	checkManualReminder,
	composeReminderMail,
	describePatientInitials,
	isAutomaticReminderDue,
	REMINDER_LEAD_HOURS
} from './case-reminders';

const deadline = new Date('2026-12-08T16:30:00Z');
const hours = (n: number) => new Date(deadline.getTime() - n * 3_600_000);
const facts = (over: object = {}) => ({
	status: 'scheduled',
	meeting: { status: 'scheduled', deadlineAt: deadline },
	missingCount: 2,
	...over
});

describe('automatic reminder', () => {
	it('is due in the last hours before the deadline, for an incomplete scheduled case', () => {
		expect(isAutomaticReminderDue(facts(), hours(1))).toBe(true);
		expect(isAutomaticReminderDue(facts(), hours(REMINDER_LEAD_HOURS))).toBe(true);
		expect(isAutomaticReminderDue(facts(), hours(REMINDER_LEAD_HOURS + 1))).toBe(false);
		// Past the deadline it is too late to remind.
		expect(isAutomaticReminderDue(facts(), deadline)).toBe(false);
		expect(isAutomaticReminderDue(facts(), hours(-1))).toBe(false);
	});

	it('is not due for a complete case, another status, or a cancelled meeting', () => {
		expect(isAutomaticReminderDue(facts({ missingCount: 0 }), hours(1))).toBe(false);
		expect(isAutomaticReminderDue(facts({ status: 'submitted' }), hours(1))).toBe(false);
		expect(
			isAutomaticReminderDue(
				facts({ meeting: { status: 'cancelled', deadlineAt: deadline } }),
				hours(1)
			)
		).toBe(false);
		expect(isAutomaticReminderDue(facts({ meeting: null }), hours(1))).toBe(false);
	});

	it('has one key per case, meeting and deadline', () => {
		const k = automaticReminderKey('c1', 'm1', deadline);
		expect(k).toBe(automaticReminderKey('c1', 'm1', new Date(deadline.getTime())));
		expect(k).not.toBe(automaticReminderKey('c1', 'm1', hours(24)));
		expect(k).not.toBe(automaticReminderKey('c1', 'm2', deadline));
	});
});

describe('manual reminder', () => {
	const now = hours(10);
	it('goes at once, even after an automatic one, but not twice within a minute', () => {
		expect(checkManualReminder({ ...facts(), lastManualAt: null }, now)).toBeNull();
		expect(
			checkManualReminder({ ...facts(), lastManualAt: new Date(now.getTime() - 30_000) }, now)
		).toBe('too_soon');
		expect(
			checkManualReminder({ ...facts(), lastManualAt: new Date(now.getTime() - 61_000) }, now)
		).toBeNull();
	});

	it('is refused for a complete case, a case on no meeting, or a decided one', () => {
		expect(checkManualReminder({ ...facts({ missingCount: 0 }), lastManualAt: null }, now)).toBe(
			'complete'
		);
		expect(checkManualReminder({ ...facts({ meeting: null }), lastManualAt: null }, now)).toBe(
			'no_meeting'
		);
		expect(checkManualReminder({ ...facts({ status: 'decided' }), lastManualAt: null }, now)).toBe(
			'not_remindable'
		);
		// A submitted request on its requested meeting may be reminded by hand.
		expect(
			checkManualReminder({ ...facts({ status: 'submitted' }), lastManualAt: null }, now)
		).toBeNull();
	});
});

describe('reminder mail', () => {
	it('says what is missing, the meeting, the deadline and links the case, without the identity', () => {
		const patient = describePatientInitials({
			birthName: 'TESTARD',
			firstNames: ['Marc'],
			sex: 'M',
			birthDate: '1960-03-02'
		});
		expect(patient).toBe('M. T., né en 1960');
		const mail = composeReminderMail({
			greeting: 'Dr Moreau',
			patient,
			meetingLabel: 'mardi 8 décembre 2026, 17 h 30',
			pathwayName: 'RCP oncologie digestive',
			deadlineLabel: 'dimanche 6 décembre 2026, 17 h 30',
			missing: ['Aucune imagerie jointe.', 'Champ à renseigner : État général (OMS).'],
			caseUrl: 'https://rcp.example.fr/cases/c1'
		});
		expect(mail.subject).toBe(
			'Dossier à compléter avant le dimanche 6 décembre 2026, 17 h 30 (RCP du mardi 8 décembre 2026, 17 h 30)'
		);
		expect(mail.text).toContain('Bonjour Dr Moreau,');
		expect(mail.text).toContain('M. T., né en 1960');
		expect(mail.text).toContain('Il manque 2 éléments :\n- Aucune imagerie jointe.\n- Champ');
		expect(mail.text).toContain('Compléter le dossier : https://rcp.example.fr/cases/c1');
		expect(mail.text).not.toContain('TESTARD');
	});
});
