import {
	DOCUMENT_APPROVED,
	EXAM_REQUEST,
	frcpTreatmentCodes,
	OTHER_TREATMENT,
	quorumCode,
	type Coded
} from '$lib/domain/cda-value-sets';
import {
	diagnosisSection,
	discoverySection,
	functionalStatusSection,
	historySection,
	phaseSection,
	reasonSection
} from './cda-clinical';
import {
	bl,
	cd,
	coded,
	commentAct,
	content,
	formatCdaTime,
	Ids,
	loinc,
	ref,
	row,
	section,
	simpleObservation,
	table,
	taAsip,
	tpl,
	yesNo
} from './cda-parts';
import { describeStoredQuorum, type DecisionDocumentData } from './document-data';
import { el, type XmlElement } from './xml';

/**
 * The structured body of the Fiche RCP: the sections and entries the volet CANCER-FRCP 2022.01
 * requires (reason for the RCP, discovery, cancer diagnosis with the clinical TNM, phase,
 * history, case status and quorum, care plan with the proposal, frame of the proposal,
 * document status), the WHO performance status when known, and the PDF as a copy.
 */

function caseStatusSection(data: DecisionDocumentData, ids: Ids): XmlElement {
	const q = quorumCode(data.decision.quorumReached);
	const obs = (c: Coded, id: string, value: XmlElement) =>
		el('component', {}, simpleObservation(ids, { code: c, textRef: id, value }));
	return section(
		['1.2.250.1.213.1.1.2.33'],
		ids,
		loinc('21874-3', 'Statut du dossier présenté en RCP'),
		'STATUT DU DOSSIER PRÉSENTÉ EN RCP',
		table(
			row('Dossier complet', content('dossier-complet', 'Oui')),
			row('Quorum', content('quorum', describeStoredQuorum(data.decision)))
		),
		el(
			'entry',
			{},
			el(
				'organizer',
				{ classCode: 'CLUSTER', moodCode: 'EVN' },
				...tpl('1.2.250.1.213.1.1.3.7'),
				coded('code', taAsip('GEN-099', 'Information RCP')),
				el('statusCode', { code: 'completed' }),
				obs(taAsip('GEN-100', 'Dossier complet'), 'dossier-complet', bl(true)),
				obs(taAsip('ORG-125', 'Quorum RCP'), 'quorum', cd(q))
			)
		)
	);
}

function carePlanSection(data: DecisionDocumentData, ids: Ids, day: string): XmlElement {
	const d = data.decision;
	const entries: XmlElement[] = d.proposals.map((p, i) => {
		const id = `traitement-${i + 1}`;
		const mapped = frcpTreatmentCodes[p.code];
		if (mapped === 'exam') {
			return el(
				'entry',
				{},
				el(
					'observation',
					{ classCode: 'OBS', moodCode: 'PRP' },
					...tpl(
						'2.16.840.1.113883.10.20.1.25',
						'1.3.6.1.4.1.19376.1.5.3.1.1.20.3.1',
						'1.2.250.1.213.1.1.3.27'
					),
					ids.next(),
					coded('code', EXAM_REQUEST),
					el('text', {}, ref(id)),
					el('statusCode', { code: 'active' }),
					el('effectiveTime', {}, el('low', { value: day }))
				)
			);
		}
		return el(
			'entry',
			{},
			el(
				'procedure',
				{ classCode: 'PROC', moodCode: 'INT', negationInd: 'false' },
				...tpl(
					'2.16.840.1.113883.10.20.1.25',
					'1.3.6.1.4.1.19376.1.5.3.1.4.19',
					'1.2.250.1.213.1.1.3.62'
				),
				ids.next(),
				coded('code', mapped ?? OTHER_TREATMENT, {}, el('originalText', {}, ref(id))),
				el('text', {}, ref(id)),
				el('statusCode', { code: 'active' }),
				el('effectiveTime', {}, el('low', { value: day })),
				el('priorityCode', {}, el('originalText', {}, String(i + 1)))
			)
		);
	});
	const text = [
		el(
			'list',
			{},
			...d.proposals.map((p, i) => el('item', {}, content(`traitement-${i + 1}`, p.label)))
		),
		table(
			row('Proposition de la RCP', content('commentaire-proposition', d.text || 'Non détaillée')),
			...(d.followUp ? [row('Suivi', d.followUp)] : [])
		)
	];
	return section(
		['2.16.840.1.113883.10.20.1.10', '1.3.6.1.4.1.19376.1.5.3.1.3.36', '1.2.250.1.213.1.1.2.158'],
		ids,
		loinc('18776-5', 'Plan de soins'),
		'PROPOSITION DE LA RCP',
		text,
		...entries,
		el('entry', {}, commentAct('commentaire-proposition'))
	);
}

function frameSection(data: DecisionDocumentData, ids: Ids, day: string): XmlElement {
	const d = data.decision;
	const conform = d.conformity !== 'off_guideline';
	const trial = d.trialProposed;
	const frameComment = [
		!conform && d.justification ? `Justification hors référentiel : ${d.justification}` : null,
		trial && d.trialName ? `Essai proposé : ${d.trialName}` : null
	]
		.filter(Boolean)
		.join(' — ');
	return section(
		['1.2.250.1.213.1.1.2.175'],
		ids,
		loinc('35510-7', 'Essais cliniques - Informations générales'),
		'CADRE DE LA PROPOSITION THÉRAPEUTIQUE',
		table(
			row(
				'Proposition correspondant à la recommandation / au référentiel de pratique clinique',
				content('pratique-clinique', yesNo(conform))
			),
			row('Référentiel', content('nom-referentiel', `Référentiel régional — ${data.pathway.name}`)),
			row(
				'Proposition d’inclusion dans un essai clinique',
				content('essai-clinique', yesNo(trial))
			),
			row('Commentaire', content('commentaire-cadre', frameComment || 'Aucun'))
		),
		el(
			'entry',
			{},
			simpleObservation(ids, {
				code: taAsip('MED-249', 'Recommandation/référentiel de pratique clinique'),
				textRef: 'pratique-clinique',
				negation: !conform,
				effective: el('effectiveTime', { value: day }),
				value: el('value', { 'xsi:type': 'CD' }, el('originalText', {}, ref('nom-referentiel')))
			})
		),
		el(
			'entry',
			{},
			simpleObservation(ids, {
				code: taAsip('MED-250', "Proposition d'inclusion dans un essai clinique"),
				textRef: 'essai-clinique',
				value: bl(trial)
			})
		),
		frameComment ? el('entry', {}, commentAct('commentaire-cadre')) : null
	);
}

function documentStatusSection(data: DecisionDocumentData, ids: Ids, day: string): XmlElement {
	const d = data.decision;
	return section(
		['1.2.250.1.213.1.1.2.35'],
		ids,
		loinc('33557-0', "Etat d'achèvement"),
		'Statut du document',
		table(
			row('Statut du document', content('statut-document', 'Validé')),
			row('Date du statut', day.replace(/^(\d{4})(\d{2})(\d{2})$/, '$3/$2/$1')),
			...(d.amendsId && d.amendReason ? [row('Motif de l’amendement', d.amendReason)] : [])
		),
		el(
			'entry',
			{},
			el(
				'observation',
				{ classCode: 'OBS', moodCode: 'EVN' },
				...tpl(
					'1.3.6.1.4.1.19376.1.5.3.1.4.13',
					'1.2.250.1.213.1.1.3.48',
					'1.2.250.1.213.1.1.3.48.16'
				),
				ids.next(),
				coded('code', taAsip('GEN-065', 'Statut du document')),
				el('text', {}, ref('statut-document')),
				el('statusCode', { code: 'completed' }),
				el('effectiveTime', { value: day }),
				cd(DOCUMENT_APPROVED)
			)
		)
	);
}

function pdfCopySection(pdf: Uint8Array, ids: Ids): XmlElement {
	return section(
		['1.2.250.1.213.1.1.2.243'],
		null,
		loinc('55108-5', 'Copie du document'),
		'Copie du document',
		[
			content('copie-pdf', 'Fiche RCP au format PDF'),
			el('renderMultiMedia', { referencedObject: 'fiche-pdf' })
		],
		// FR-Document-attache: the PDF rendering of this very fiche, with what it is.
		el(
			'entry',
			{},
			el(
				'organizer',
				{ classCode: 'CLUSTER', moodCode: 'EVN' },
				...tpl('1.2.250.1.213.1.1.3.18'),
				ids.next(),
				coded('code', loinc('55107-7', 'Document attaché')),
				el('statusCode', { code: 'completed' }),
				el(
					'component',
					{},
					simpleObservation(ids, {
						code: loinc('34794-8', 'CR de réunion de concertation pluridisciplinaire'),
						textRef: 'copie-pdf',
						value: el('value', { 'xsi:type': 'ST' }, 'Fiche RCP au format PDF')
					})
				),
				el(
					'component',
					{},
					el(
						'observationMedia',
						{ classCode: 'OBS', moodCode: 'EVN', ID: 'fiche-pdf' },
						el(
							'value',
							{ mediaType: 'application/pdf', representation: 'B64' },
							Buffer.from(pdf).toString('base64')
						)
					)
				)
			)
		)
	);
}

export function buildFrcpBody(
	data: DecisionDocumentData,
	validatedAt: Date,
	pdf?: Uint8Array
): XmlElement {
	const ids = new Ids(`${data.decision.id}:cda-body`);
	const day = formatCdaTime(validatedAt, 'day');
	return el(
		'component',
		{},
		el(
			'structuredBody',
			{},
			reasonSection(data, ids, day),
			discoverySection(ids),
			diagnosisSection(data, ids, day),
			functionalStatusSection(data, ids, day),
			phaseSection(data, ids, day),
			historySection(data, ids),
			caseStatusSection(data, ids),
			carePlanSection(data, ids, day),
			frameSection(data, ids, day),
			documentStatusSection(data, ids, day),
			pdf ? pdfCopySection(pdf, ids) : null
		)
	);
}
