import type { SpecialtyEntry } from './specialties';

export interface SpecialtyChoice {
	value: string;
	label: string;
}

/**
 * The specialties a user form offers, from the table in use (so those the admin added appear):
 * active ones in display order, plus the person's current one if it has since been disabled,
 * so that saving the form does not silently drop it.
 */
export function listSpecialtyChoices(
	entries: readonly SpecialtyEntry[],
	current: string | null = null
): SpecialtyChoice[] {
	const choices = entries
		.filter((e) => e.active || e.code === current)
		.map((e) => ({ value: e.code, label: e.active ? e.label : `${e.label} (désactivée)` }));
	if (current && !entries.some((e) => e.code === current))
		choices.push({ value: current, label: `${current} (inconnue)` });
	return choices;
}
