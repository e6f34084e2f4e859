/** French wording of the audit trail: action codes, object types, actors, dates. */

export interface AuditActionGroup {
	label: string;
	actions: Record<string, string>;
}

/** Every action code the app writes, by theme (the order of the filter list). */
export const auditActionGroups: readonly AuditActionGroup[] = [
	{
		label: 'Sécurité et connexion',
		actions: {
			'access.denied': 'Accès refusé',
			'login.success': 'Connexion réussie',
			'login.failure': 'Échec de connexion',
			'login.throttled': 'Connexion bloquée (trop de tentatives)',
			logout: 'Déconnexion',
			'guest.access': 'Accès d’un invité par son lien',
			'guest.refused': 'Lien d’invité refusé'
		}
	},
	{
		label: 'Comptes et administration',
		actions: {
			'user.create': 'Compte créé',
			'user.update': 'Compte modifié',
			'user.disable': 'Compte désactivé',
			'user.enable': 'Compte réactivé',
			'user.password_reset': 'Mot de passe réinitialisé',
			'user.password_change': 'Mot de passe changé par son titulaire',
			'user.password_change_failure': 'Échec du changement de mot de passe',
			'user.memberships': 'Rôles dans les filières modifiés',
			'user.import': 'Comptes importés depuis un fichier',
			'establishment.create': 'Établissement créé',
			'establishment.update': 'Établissement modifié',
			'pathway.create': 'Filière créée',
			'pathway.update': 'Filière modifiée',
			'pathway.archive': 'Filière archivée',
			'pathway.restore': 'Filière rétablie',
			'pathway.roles': 'Coordinateurs ou présidents d’une filière modifiés',
			'specialty.create': 'Spécialité ajoutée',
			'specialty.update': 'Spécialité modifiée',
			'mail.read': 'Message de la messagerie consulté',
			'mail.attachment_read': 'Pièce jointe de la messagerie consultée',
			'calendar.feed_reset': 'Lien d’abonnement à l’agenda renouvelé',
			'demo.seed': 'Données de démonstration créées'
		}
	},
	{
		label: 'Patients',
		actions: {
			'patient.create': 'Patient créé',
			'patient.read': 'Patient consulté',
			'patient.search': 'Recherche de patient',
			'search.results': 'Recherche de patients et de dossiers (résultats affichés)',
			'patient.identity': 'Identité du patient modifiée',
			'patient.identity_correction': 'Identité du patient qualifiée après la séance (DMP)'
		}
	},
	{
		label: 'Dossiers et documents',
		actions: {
			'case.create': 'Dossier créé',
			'case.read': 'Dossier consulté',
			'case.list': 'Liste de dossiers consultée',
			'case.update': 'Dossier modifié',
			'case.record_correction': 'Dossier complété après la séance (TNM, localisation) pour le DMP',
			'case.submit': 'Dossier soumis',
			'case.withdraw': 'Dossier retiré',
			'case.refuse': 'Dossier refusé',
			'case.schedule': 'Dossier inscrit à une séance',
			'case.move': 'Dossier déplacé vers une autre séance',
			'case.carry_over': 'Dossier reporté à une séance suivante',
			'case.remind': 'Demandeur relancé pour compléter son dossier',
			'document.upload': 'Document joint',
			'document.download': 'Document téléchargé',
			'document.delete': 'Document supprimé'
		}
	},
	{
		label: 'Séances',
		actions: {
			'series.create': 'Série de séances créée',
			'series.update': 'Série de séances modifiée',
			'series.end': 'Série de séances arrêtée',
			'meeting.create': 'Séance créée',
			'meeting.update': 'Séance modifiée',
			'meeting.cancel': 'Séance annulée',
			'meeting.open': 'Séance ouverte',
			'meeting.close': 'Séance clôturée',
			'meeting.current_case': 'Dossier présenté en séance',
			'agenda.reorder': 'Ordre du jour réorganisé',
			'agenda.update_case': 'Passage d’un dossier modifié',
			'minutes.read': 'Compte rendu de séance consulté'
		}
	},
	{
		label: 'Invitations',
		actions: {
			'invitation.create': 'Invitation envoyée',
			'invitation.renew_link': 'Lien d’invitation renouvelé',
			'invitation.revoke': 'Invitation retirée',
			'invitation.reply': 'Réponse à une invitation'
		}
	},
	{
		label: 'Séance en direct et présence',
		actions: {
			'live.case.view': 'Dossier affiché en séance',
			'live.token': 'Accès à la visioconférence',
			'live.mute': 'Micro d’un participant coupé',
			'live.remove': 'Participant retiré de la visioconférence',
			'attendance.check_in': 'Présence en salle enregistrée',
			'attendance.check_out': 'Présence en salle annulée',
			'attendance.participant_joined': 'Arrivée en visioconférence',
			'attendance.participant_left': 'Départ de la visioconférence',
			'attendance.participant_connection_aborted': 'Connexion à la visioconférence interrompue',
			'attendance.room_finished': 'Visioconférence terminée'
		}
	},
	{
		label: 'Avis et décisions',
		actions: {
			'opinion.read': 'Avis écrit consulté',
			'opinion.create': 'Avis écrit donné',
			'opinion.update': 'Avis écrit modifié',
			'opinion.withdraw': 'Avis écrit retiré',
			'decision.form': 'Formulaire de décision ouvert',
			'decision.draft': 'Projet de décision enregistré',
			'decision.validate': 'Décision validée',
			'decision.provisional': 'Avis provisoire validé (quorum non atteint)',
			'decision.amend': 'Décision modifiée (nouvelle version)',
			'decision.read': 'Décision consultée',
			'decision.pdf': 'Fiche RCP téléchargée (PDF)'
		}
	},
	{
		label: 'Envois des décisions',
		actions: {
			'delivery.delivered': 'Décision transmise',
			'delivery.retry_later': 'Envoi en échec, nouvel essai prévu',
			'delivery.failed': 'Envoi abandonné après échecs',
			'delivery.manual_retry': 'Nouvel envoi demandé',
			'delivery.resend_with_cda': 'Nouvel envoi avec la fiche RCP (CDA) demandé',
			'delivery.list': 'Suivi des envois consulté'
		}
	}
];

const actionLabels: ReadonlyMap<string, string> = new Map(
	auditActionGroups.flatMap((g) => Object.entries(g.actions))
);

/** The French label of an action code; an unknown code is shown as it is. */
export function labelAuditAction(action: string): string {
	return actionLabels.get(action) ?? action;
}

export function isKnownAuditAction(action: string): boolean {
	return actionLabels.has(action);
}

const objectLabels: Record<string, string> = {
	rcp_case: 'Dossier',
	case: 'Dossier',
	meeting: 'Séance',
	meeting_series: 'Série de séances',
	series: 'Série de séances',
	decision: 'Décision',
	document: 'Document',
	invitation: 'Invitation',
	mail_message: 'Message',
	mail: 'Message',
	outbox: 'Envoi',
	pathway: 'Filière',
	patient: 'Patient',
	user: 'Compte',
	establishment: 'Établissement',
	specialty: 'Spécialité',
	search: 'Recherche'
};

export function labelAuditObject(objectType: string): string {
	return objectLabels[objectType] ?? objectType;
}

export interface ActorInfo {
	actorType: string;
	/** Display name and e-mail of a user actor, when the account exists. */
	name?: string | null;
	email?: string | null;
}

/** Who acted: the user's name (e-mail apart), or the kind of actor. */
export function labelAuditActor(a: ActorInfo): string {
	switch (a.actorType) {
		case 'user':
			return a.name || a.email || 'compte supprimé';
		case 'guest':
			return 'invité (lien)';
		case 'system':
			return 'système';
		case 'anonymous':
			return 'anonyme';
		default:
			return a.actorType;
	}
}

/** The entry a refused request aimed at, from `recordDenied`'s detail. */
export function describeDeniedEntry(detail: string | null): string | null {
	if (!detail) return null;
	try {
		const d = JSON.parse(detail) as { route?: unknown; entry?: unknown; status?: unknown };
		if (typeof d.route !== 'string') return null;
		const entry =
			d.entry === 'load'
				? 'consultation'
				: typeof d.entry === 'string' && d.entry.startsWith('action:')
					? `action « ${d.entry.slice(7)} »`
					: typeof d.entry === 'string'
						? d.entry
						: null;
		const status = typeof d.status === 'number' ? ` — réponse ${d.status}` : '';
		return `${d.route}${entry ? ` (${entry})` : ''}${status}`;
	} catch {
		return null;
	}
}

const parisFormat = new Intl.DateTimeFormat('fr-FR', {
	timeZone: 'Europe/Paris',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23'
});

/** « 02/12/2026 17:30:05 », Paris time: dense enough for a table, precise to the second. */
export function formatAuditTime(d: Date): string {
	const parts = parisFormat.formatToParts(d);
	const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
	return `${get('day')}/${get('month')}/${get('year')} ${get('hour')}:${get('minute')}:${get('second')}`;
}
