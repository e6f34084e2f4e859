import { and, desc, eq, isNotNull, ne } from 'drizzle-orm';
import { getDb, queryOne } from '../db';
import { decisions, outbox } from '../db/schema';
import { listFicheCdaBlockers } from './cda';
import { loadDecisionDocumentData, type DecisionDocumentData } from './document-data';
import { rcpOrganOf } from '$lib/domain/cda-value-sets';

/**
 * What held a case's Fiche RCP (CDA) back, sorted by who can fix it: the pathway's coordinator
 * (identity, primary site, TNM: on the correction page) or the administrator (the chair's RPPS,
 * the establishment's FINESS). Read from the latest non-draft decision, the one delivered.
 */
export interface CdaCorrectionView {
	decisionId: string;
	version: number;
	/** Every reason, as the deliveries page shows it. */
	reasons: string[];
	/** The identity must be qualified (with its INS). */
	identity: boolean;
	/** The primary site or the clinical TNM must be completed. */
	staging: boolean;
	/** Reasons only someone else can fix, with who. */
	elsewhere: string[];
	/** Deliveries of this decision that went without the CDA. */
	withheldCount: number;
}

const ADMIN =
	'Seul l’administrateur de Pluri peut corriger ce point (page Administration) ; prévenez-le, puis renvoyez la fiche.';

function staffReasons(data: DecisionDocumentData): string[] {
	const out: string[] = [];
	const author = data.validator ?? data.chair;
	if (!author?.rpps) {
		out.push(
			`Le président de séance (${author?.name ?? 'inconnu'}) n’a pas de numéro RPPS. ${ADMIN}`
		);
	}
	if (!data.establishment?.finess) {
		out.push(
			data.establishment
				? `L’établissement « ${data.establishment.name} » n’a pas de numéro FINESS. ${ADMIN}`
				: `Le président de séance n’est rattaché à aucun établissement (FINESS). ${ADMIN}`
		);
	}
	if (!data.meeting)
		out.push('La décision n’est rattachée à aucune séance : contactez l’administrateur.');
	if (data.decision.status === 'provisional') {
		out.push(
			'Un avis provisoire (quorum non atteint) n’a pas de fiche RCP CDA : le dossier doit être présenté de nouveau en séance.'
		);
	}
	return out;
}

export async function describeCdaCorrections(caseId: string): Promise<CdaCorrectionView | null> {
	const db = getDb();
	const d = await queryOne(
		db
			.select({ id: decisions.id, version: decisions.version })
			.from(decisions)
			.where(and(eq(decisions.caseId, caseId), ne(decisions.status, 'draft')))
			.orderBy(desc(decisions.version))
	);
	const data = d ? await loadDecisionDocumentData(d.id, db) : null;
	if (!d || !data) return null;
	const oncology = data.pathway.kind === 'oncology';
	const p = data.patient;
	const site = data.caseInfo.pathwayData.primarySite;
	const raw = data.caseInfo.pathwayData;
	const filled = (k: string) => typeof raw[k] === 'string' && (raw[k] as string).trim() !== '';
	const withheldCount = (
		await db
			.select({ id: outbox.id })
			.from(outbox)
			.where(and(eq(outbox.decisionId, d.id), isNotNull(outbox.cdaWithheld)))
	).length;
	return {
		decisionId: d.id,
		version: d.version,
		reasons: listFicheCdaBlockers(data),
		identity: oncology && (p.identityStatus !== 'qualified' || !p.insMatricule || !p.insOid),
		staging:
			oncology &&
			(typeof site !== 'string' ||
				!rcpOrganOf(site) ||
				!(filled('cT') || filled('cN') || filled('cM'))),
		elsewhere: oncology ? staffReasons(data) : [],
		withheldCount
	};
}
