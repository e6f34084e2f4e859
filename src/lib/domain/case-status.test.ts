import { describe, it, expect } from 'vitest';
import {
	canTransitionCase,
	caseStatuses,
	caseStatusLabels,
	isCaseOpenForCarryOver,
	isCaseStatus,
	listNextCaseStatuses,
	type CaseStatus
} from './case-status';

// The full graph of DESIGN §4, written out independently of the module.
const allowed: Record<CaseStatus, CaseStatus[]> = {
	draft: ['submitted', 'withdrawn'],
	submitted: ['scheduled', 'refused', 'withdrawn', 'draft'],
	scheduled: ['presented', 'deferred', 'withdrawn', 'submitted'],
	presented: ['decided', 'deferred'],
	decided: ['delivered'],
	deferred: ['scheduled', 'submitted', 'withdrawn'],
	refused: ['draft'],
	delivered: [],
	withdrawn: []
};

describe('caseStatusLabels', () => {
	it('gives the French label of each status', () => {
		expect(caseStatusLabels).toEqual({
			draft: 'Brouillon',
			submitted: 'Demande soumise',
			scheduled: "Inscrit à l'ordre du jour",
			refused: 'Refusé',
			presented: 'Présenté',
			decided: 'Décidé',
			delivered: 'Transmis',
			deferred: 'Reporté',
			withdrawn: 'Retiré'
		});
	});
});

describe('canTransitionCase', () => {
	it('lists nine statuses', () => {
		expect([...caseStatuses].sort()).toEqual(Object.keys(allowed).sort());
	});

	for (const from of Object.keys(allowed) as CaseStatus[]) {
		for (const to of Object.keys(allowed) as CaseStatus[]) {
			const expected = allowed[from].includes(to);
			it(`${from} → ${to} is ${expected ? 'allowed' : 'refused'}`, () => {
				expect(canTransitionCase(from, to)).toBe(expected);
			});
		}
	}

	it('keeps delivered and withdrawn final', () => {
		expect(listNextCaseStatuses('delivered')).toEqual([]);
		expect(listNextCaseStatuses('withdrawn')).toEqual([]);
	});

	it('refuses unknown statuses from untyped input', () => {
		expect(canTransitionCase('constructor' as CaseStatus, 'draft')).toBe(false);
		expect(canTransitionCase('draft', 'archived' as CaseStatus)).toBe(false);
		expect(listNextCaseStatuses('toString' as CaseStatus)).toEqual([]);
	});
});

describe('isCaseStatus', () => {
	it('recognizes statuses only', () => {
		expect(isCaseStatus('deferred')).toBe(true);
		expect(isCaseStatus('Deferred')).toBe(false);
		expect(isCaseStatus('archived')).toBe(false);
	});
});

describe('isCaseOpenForCarryOver', () => {
	it.each([
		['draft', false],
		['submitted', false],
		['scheduled', true],
		['refused', false],
		['presented', true],
		['decided', false],
		['delivered', false],
		['deferred', true],
		['withdrawn', false]
	] as const)('%s → %s', (status, open) => {
		expect(isCaseOpenForCarryOver(status)).toBe(open);
	});
});
