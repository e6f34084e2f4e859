import { describe, expect, it } from 'vitest';
import { orderMinutesCases, type MinutesCaseFacts } from './minutes';

const at = (min: number): Date => new Date(Date.UTC(2026, 11, 1, 16, min));
const fact = (caseId: string, f: Partial<MinutesCaseFacts>): MinutesCaseFacts => ({
	caseId,
	agendaPosition: null,
	presentedAt: null,
	deferredAt: null,
	decision: null,
	status: 'scheduled',
	...f
});

describe('orderMinutesCases', () => {
	it('lists every case once, numbered 1…n in presentation order, then those not reached', () => {
		const entries = orderMinutesCases([
			// Carried over since: its agenda position (5) is the next meeting's.
			fact('not-reached', { agendaPosition: null, deferredAt: at(59), status: 'scheduled' }),
			fact('decided', {
				agendaPosition: 5,
				presentedAt: at(1),
				decision: { status: 'validated', version: 1 },
				status: 'decided'
			}),
			fact('no-decision', { presentedAt: at(20), deferredAt: at(59), status: 'scheduled' }),
			fact('provisional', {
				presentedAt: at(10),
				deferredAt: at(59),
				decision: { status: 'provisional', version: 1 }
			}),
			fact('amended', {
				agendaPosition: 2,
				presentedAt: at(5),
				decision: { status: 'superseded', version: 1 },
				status: 'decided'
			})
		]);
		expect(entries.map((e) => [e.number, e.caseId, e.outcome])).toEqual([
			[1, 'decided', 'decision'],
			[2, 'amended', 'decision'],
			[3, 'provisional', 'provisional'],
			[4, 'no-decision', 'deferred'],
			[5, 'not-reached', 'not_discussed']
		]);
		expect(new Set(entries.map((e) => e.number)).size).toBe(5);
		expect(entries[3]?.label).toBe('Présenté sans décision, reporté à une séance suivante');
		expect(entries[4]?.label).toBe('Non discuté, reporté à une séance suivante');
	});

	it('keeps the agenda order for cases still on an open meeting', () => {
		const entries = orderMinutesCases([
			fact('b', { agendaPosition: 2 }),
			fact('a', { agendaPosition: 1 })
		]);
		expect(entries.map((e) => [e.number, e.caseId, e.label])).toEqual([
			[1, 'a', 'Non discuté à ce jour'],
			[2, 'b', 'Non discuté à ce jour']
		]);
	});
});
