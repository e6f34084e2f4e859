export const caseStatuses = [
	'draft',
	'submitted',
	'scheduled',
	'refused',
	'presented',
	'decided',
	'delivered',
	'deferred',
	'withdrawn'
] as const;

export type CaseStatus = (typeof caseStatuses)[number];

export const caseStatusLabels: Readonly<Record<CaseStatus, string>> = Object.freeze({
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

// DESIGN §4. A decided case changes only through a new decision version, not a status change.
const transitions: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
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

export function isCaseStatus(x: string): x is CaseStatus {
	return (caseStatuses as readonly string[]).includes(x);
}

export function canTransitionCase(from: CaseStatus, to: CaseStatus): boolean {
	// hasOwn guards against untyped input such as 'constructor'.
	return Object.hasOwn(transitions, from) && transitions[from].includes(to);
}

export function listNextCaseStatuses(from: CaseStatus): readonly CaseStatus[] {
	return Object.hasOwn(transitions, from) ? transitions[from] : [];
}

/** Cases still undecided when a meeting closes, to be carried to the next meeting. */
export function isCaseOpenForCarryOver(status: CaseStatus): boolean {
	return status === 'scheduled' || status === 'presented' || status === 'deferred';
}
