export interface HeartFailureData {
	nyha: 1 | 2 | 3 | 4 | null;
	nyhaPersistent: boolean;
	/** left ventricular ejection fraction, % */
	lvef: number | null;
	isolatedRvFailure: boolean;
	nonOperableSevereValve: boolean;
	highNtProBnpWithDiastolicDysfunction: boolean;
	unplannedVisits12m: number | null;
	inabilityToExercise: boolean;
	sixMinuteWalkM: number | null;
	/** ml/kg/min */
	peakVo2: number | null;
}

export interface AdvancedHeartFailureAssessment {
	advanced: boolean;
	criteria: { label: string; met: boolean }[];
}

// HFA-ESC 2018 thresholds; 14 ml/kg/min is the upper bound of the 12–14 range given.
const LVEF_MAX = 30;
const UNPLANNED_VISITS_MIN_EXCLUSIVE = 1;
const SIX_MINUTE_WALK_MAX_EXCLUSIVE = 300;
const PEAK_VO2_MAX_EXCLUSIVE = 14;

/** Advanced heart failure per HFA-ESC 2018: flagged when all four criteria hold. Unknown values do not meet a criterion. */
export function assessAdvancedHeartFailure(d: HeartFailureData): AdvancedHeartFailureAssessment {
	const criteria = [
		{
			label: 'Symptômes sévères et persistants (NYHA III–IV)',
			met: (d.nyha === 3 || d.nyha === 4) && d.nyhaPersistent
		},
		{
			label:
				'Dysfonction cardiaque sévère : FEVG ≤ 30 %, insuffisance ventriculaire droite isolée, valvulopathie sévère non opérable ou NT-proBNP élevé avec dysfonction diastolique sévère',
			met:
				(d.lvef !== null && d.lvef <= LVEF_MAX) ||
				d.isolatedRvFailure ||
				d.nonOperableSevereValve ||
				d.highNtProBnpWithDiastolicDysfunction
		},
		{
			label: 'Plus d’une hospitalisation ou consultation non programmée en 12 mois',
			met: d.unplannedVisits12m !== null && d.unplannedVisits12m > UNPLANNED_VISITS_MIN_EXCLUSIVE
		},
		{
			label:
				'Capacité d’effort très réduite : effort impossible, test de marche de 6 minutes < 300 m ou VO₂ max < 14 ml/kg/min',
			met:
				d.inabilityToExercise ||
				(d.sixMinuteWalkM !== null && d.sixMinuteWalkM < SIX_MINUTE_WALK_MAX_EXCLUSIVE) ||
				(d.peakVo2 !== null && d.peakVo2 < PEAK_VO2_MAX_EXCLUSIVE)
		}
	];
	return { advanced: criteria.every((c) => c.met), criteria };
}
