/**
 * How a patient is addressed: the civility comes from the recorded sex, never guessed from a
 * first name or an initial (« M. B. » read as « Monsieur B. » for Marie B.). An indeterminate
 * sex gets the neutral form. Pure: unit-tested.
 */
export type RecordedSex = 'F' | 'M' | 'I';

/** « Mme », « M. », or null when the recorded sex is indeterminate (no civility is written). */
export function formatPatientCivility(sex: RecordedSex | string): 'Mme' | 'M.' | null {
	if (sex === 'F') return 'Mme';
	if (sex === 'M') return 'M.';
	return null;
}

/** « née », « né », « né(e) ». */
export function formatBornWord(sex: RecordedSex | string): string {
	return sex === 'F' ? 'née' : sex === 'M' ? 'né' : 'né(e)';
}

export interface DiscreetPatient {
	birthName: string;
	firstNames: readonly string[];
	sex: RecordedSex | string;
	birthDate: string;
}

/** « Mme M. B. », « M. J. D. », « J. D. » (indeterminate sex): civility, then initials. */
export function formatPatientInitials(
	p: Pick<DiscreetPatient, 'birthName' | 'firstNames' | 'sex'>
): string {
	const first = p.firstNames[0]?.trim()[0] ?? '';
	const last = p.birthName.trim()[0] ?? '';
	const initials = [first, last]
		.filter(Boolean)
		.map((c) => `${c.toUpperCase()}.`)
		.join(' ');
	const civility = formatPatientCivility(p.sex);
	return civility ? `${civility} ${initials}` : initials;
}

/** For mails and pages that must not carry the identity: « Mme M. B., née en 1958 ». */
export function describePatientDiscreetly(p: DiscreetPatient): string {
	return `${formatPatientInitials(p)}, ${formatBornWord(p.sex)} en ${p.birthDate.slice(0, 4)}`;
}
