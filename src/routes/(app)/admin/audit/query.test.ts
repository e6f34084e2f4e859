import { describe, expect, it } from 'vitest';
import { parseAuditQuery } from './query';

const parse = (q: string) => parseAuditQuery(new URLSearchParams(q));

describe('the audit filter form', () => {
	it('reads Paris days: from midnight to the next midnight, summer and winter', () => {
		const summer = parse('du=2026-07-14&au=2026-07-14');
		expect(summer.ok).toBe(true);
		expect(summer.filters.from?.toISOString()).toBe('2026-07-13T22:00:00.000Z');
		expect(summer.filters.to?.toISOString()).toBe('2026-07-14T22:00:00.000Z');
		const winter = parse('du=2026-12-01&au=2026-12-02');
		expect(winter.filters.from?.toISOString()).toBe('2026-11-30T23:00:00.000Z');
		expect(winter.filters.to?.toISOString()).toBe('2026-12-02T23:00:00.000Z');
		// The autumn change: 25 hours that day.
		const autumn = parse('du=2026-10-25&au=2026-10-25');
		expect(autumn.filters.to!.getTime() - autumn.filters.from!.getTime()).toBe(25 * 3_600_000);
	});

	it('keeps the typed values and explains each bad field in French', () => {
		const q = parse('acteur=%20Anne%20&patient=a%20b&action=Drop;&du=2026-13-01&au=hier');
		expect(q.ok).toBe(false);
		expect(q.values).toEqual({
			acteur: 'Anne',
			patient: 'a b',
			action: 'Drop;',
			du: '2026-13-01',
			au: 'hier'
		});
		expect(Object.keys(q.errors).sort()).toEqual(['action', 'au', 'du', 'patient']);
		expect(parse('du=2026-03-02&au=2026-03-01').errors.au).toContain('date de début');
	});

	it('takes the cursors only as positive integers', () => {
		expect(parse('avant=120').cursor).toEqual({ before: 120, after: null });
		expect(parse('apres=7').cursor).toEqual({ before: null, after: 7 });
		expect(parse('avant=-1&apres=1e3').cursor).toEqual({ before: null, after: null });
		expect(parse('action=access.denied&patient=0b6f-42').filters).toMatchObject({
			action: 'access.denied',
			patientId: '0b6f-42',
			actor: null
		});
	});
});
