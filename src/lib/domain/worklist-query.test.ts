import { describe, expect, it } from 'vitest';
import {
	describeBulkOutcome,
	parseWorklistQuery,
	sortWorklistLines,
	toWorklistSearch
} from './worklist-query';

const parse = (s: string) => parseWorklistQuery(new URLSearchParams(s));

describe('worklist query', () => {
	it('reads filters and sort, falling back to defaults for anything unknown', () => {
		expect(parse('')).toEqual({
			status: 'submitted',
			meetingId: null,
			requesterId: null,
			completeness: 'all',
			sort: 'submitted',
			dir: 'asc',
			selectAll: false
		});
		expect(
			parse(
				'status=open&meeting=m-1&requester=u_2&completeness=incomplete&sort=patient&dir=desc&select=all'
			)
		).toEqual({
			status: 'open',
			meetingId: 'm-1',
			requesterId: 'u_2',
			completeness: 'incomplete',
			sort: 'patient',
			dir: 'desc',
			selectAll: true
		});
		const odd = parse("status=constructor&meeting=' or 1=1&sort=__proto__&completeness=x&dir=up");
		expect(odd).toMatchObject({
			status: 'submitted',
			meetingId: null,
			sort: 'submitted',
			completeness: 'all',
			dir: 'asc'
		});
	});

	it('writes a query back, only with what differs from the defaults', () => {
		const q = parse('status=scheduled&meeting=m1&sort=meeting');
		expect(toWorklistSearch(q)).toBe('?status=scheduled&meeting=m1&sort=meeting');
		expect(toWorklistSearch(q, { sort: 'patient', dir: 'desc' })).toBe(
			'?status=scheduled&meeting=m1&sort=patient&dir=desc'
		);
		expect(toWorklistSearch(q, { selectAll: true })).toContain('select=all');
	});

	it('sorts by a column, ties in request order', () => {
		const line = (patientLabel: string, day: number, missingCount: number | null) => ({
			patientLabel,
			requesterName: 'Dr X',
			status: 'submitted',
			meetingStartsAt: null,
			agendaPosition: null,
			submittedAt: new Date(Date.UTC(2026, 10, day)),
			createdAt: new Date(Date.UTC(2026, 10, 1)),
			missingCount
		});
		const lines = [line('Émile B', 3, 2), line('alain C', 1, 0), line('Zoé A', 2, 2)];
		expect(sortWorklistLines(lines, 'patient', 'asc').map((l) => l.patientLabel)).toEqual([
			'alain C',
			'Émile B',
			'Zoé A'
		]);
		expect(sortWorklistLines(lines, 'submitted', 'desc').map((l) => l.patientLabel)).toEqual([
			'Émile B',
			'Zoé A',
			'alain C'
		]);
		// Same number of points: the older request first.
		expect(sortWorklistLines(lines, 'completeness', 'desc').map((l) => l.patientLabel)).toEqual([
			'Zoé A',
			'Émile B',
			'alain C'
		]);
	});

	it('summarizes a bulk action in French, counting what was not done', () => {
		const ok = (i: number) => ({ caseId: `c${i}`, patientLabel: `P${i}`, ok: true });
		const all = Array.from({ length: 15 }, (_, i) => ok(i));
		expect(describeBulkOutcome('schedule', all, 'mardi 8 décembre 2026, 17 h 30')).toBe(
			'15 dossiers inscrits à la séance du mardi 8 décembre 2026, 17 h 30.'
		);
		expect(
			describeBulkOutcome(
				'refuse',
				[ok(1), { caseId: 'c2', patientLabel: 'P2', ok: false, message: 'Non.' }],
				null
			)
		).toBe(
			'1 demande refusée ; les demandeurs sont informés. 1 dossier n’a pas pu être traité : voir ci-dessous.'
		);
		expect(describeBulkOutcome('remind', [ok(1), ok(2)], null)).toBe('2 demandeurs relancés.');
	});
});

describe('dense dates', () => {
	it('shows a meeting short, in Paris time', async () => {
		const { formatShortParisDateTime } = await import('./worklist-query');
		expect(formatShortParisDateTime(new Date('2026-12-07T10:21:00Z'))).toBe(
			'lun. 7 déc. 2026, 11 h 21'
		);
		expect(formatShortParisDateTime(new Date('2026-07-07T15:30:00Z'))).toBe(
			'mar. 7 juil. 2026, 17 h 30'
		);
	});
});
