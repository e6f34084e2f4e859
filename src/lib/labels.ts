/** French labels for enumerations shown in pages. */
export const sectorLabels: Record<string, string> = {
	establishment: 'Établissement',
	private_practice: 'Libéral',
	gp: 'Médecin généraliste',
	other: 'Autre'
};

export const roleLabels: Record<string, string> = {
	coordinator: 'Coordination',
	chair: 'Président de séance',
	member: 'Membre'
};

export const establishmentKindLabels: Record<string, string> = {
	hospital: 'Centre hospitalier',
	clinic: 'Clinique',
	health_centre: 'Maison de santé pluriprofessionnelle',
	practice: 'Cabinet'
};

export const identityStatusLabels: Record<string, string> = {
	provisional: 'Identité provisoire',
	retrieved: 'Identité récupérée',
	validated: 'Identité validée',
	qualified: 'Identité qualifiée'
};

export const invitationReplyLabels: Record<string, string> = {
	pending: 'Sans réponse',
	accepted: 'Présence confirmée',
	declined: 'Absence signalée'
};

export const seriesFrequencyLabels: Record<string, string> = {
	weekly: 'Chaque semaine',
	biweekly: 'Toutes les deux semaines',
	monthly: 'Chaque mois'
};
