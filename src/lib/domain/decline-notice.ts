/**
 * The coordinators' notice that an invitee declined a meeting or a whole series — above all
 * the chair, without whom the meeting cannot be held. No patient data in it.
 */

export interface DeclineFacts {
	/** « Dr Hélène Rousseau » */
	who: string;
	isChair: boolean;
	pathwayName: string;
	scope: 'meeting' | 'series';
	/** « mardi 9 mars 2027, 17 h 30 » or « Chaque mardi à 17 h 30 » */
	when: string;
	/** The meeting page (or the series page), behind the login. */
	link: string | null;
}

/** « Le président a décliné : … » on the meeting page and in the notice. */
export function describeDecline(f: Pick<DeclineFacts, 'who' | 'isChair' | 'scope'>): string {
	const what = f.scope === 'series' ? 'toutes les séances de la série' : 'cette séance';
	return f.isChair
		? `Le président a décliné : ${f.who} ne présidera pas ${what}.`
		: `${f.who} a décliné ${what}.`;
}

export function composeDeclineNotice(f: DeclineFacts): { subject: string; text: string } {
	const what = f.scope === 'series' ? `les séances « ${f.when} »` : `la séance du ${f.when}`;
	const subject = f.isChair
		? `Le président a décliné : ${f.pathwayName} — ${f.when}`
		: `Invitation déclinée : ${f.who} — ${f.pathwayName}, ${f.when}`;
	const lines = [
		'Bonjour,',
		'',
		f.isChair
			? `${f.who}, président(e) prévu(e), a décliné ${what} de ${f.pathwayName}. Pensez à désigner un autre président de séance.`
			: `${f.who} a décliné ${what} de ${f.pathwayName}.`,
		''
	];
	if (f.link) lines.push(`Voir dans Pluri : ${f.link}`, '');
	lines.push('Pluri — le secrétariat de la RCP');
	return { subject, text: lines.join('\n') };
}
