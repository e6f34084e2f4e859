import { describe, expect, it } from 'vitest';
import { composeDeclineNotice, describeDecline } from './decline-notice';

describe('decline notices', () => {
	it('flags the chair’s decline first, with what to do', () => {
		const notice = composeDeclineNotice({
			who: 'Dr Hélène Rousseau',
			isChair: true,
			pathwayName: 'RCP oncologie digestive',
			scope: 'meeting',
			when: 'mardi 9 mars 2027, 17 h 30',
			link: 'https://pluri.test/meetings/m1'
		});
		expect(notice.subject).toBe(
			'Le président a décliné : RCP oncologie digestive — mardi 9 mars 2027, 17 h 30'
		);
		expect(notice.text).toContain('désigner un autre président');
		expect(notice.text).toContain('https://pluri.test/meetings/m1');
		expect(describeDecline({ who: 'Dr Hélène Rousseau', isChair: true, scope: 'series' })).toBe(
			'Le président a décliné : Dr Hélène Rousseau ne présidera pas toutes les séances de la série.'
		);
	});

	it('names a member who declines, without the chair’s wording', () => {
		const notice = composeDeclineNotice({
			who: 'Dr Julien Moreau',
			isChair: false,
			pathwayName: 'RCP oncologie digestive',
			scope: 'series',
			when: 'Chaque mardi à 17 h 30',
			link: null
		});
		expect(notice.subject).toMatch(/^Invitation déclinée : Dr Julien Moreau/);
		expect(notice.text).not.toContain('président');
		expect(describeDecline({ who: 'Dr Julien Moreau', isChair: false, scope: 'meeting' })).toBe(
			'Dr Julien Moreau a décliné cette séance.'
		);
	});
});
