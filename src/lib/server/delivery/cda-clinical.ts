import {
	CASE_DISCUSSED,
	cancerPhaseCodes,
	OID,
	ORGAN_RCP,
	rcpOrganOf,
	whoPerformanceCodes,
	type Coded
} from '$lib/domain/cda-value-sets';
import { formatCim10 } from '$lib/domain/cim10';
import {
	bl,
	cd,
	coded,
	content,
	Ids,
	loinc,
	ref,
	rel,
	row,
	section,
	simpleObservation,
	str,
	table,
	taAsip,
	tpl
} from './cda-parts';
import type { DecisionDocumentData } from './document-data';
import { el, type XmlElement } from './xml';

/** The clinical sections of the Fiche RCP: reason, discovery, diagnosis with TNM, status, phase, history. */

export function reasonSection(data: DecisionDocumentData, ids: Ids, day: string): XmlElement {
	const site = str(data, 'primarySite')!;
	const { apparatus, organ } = rcpOrganOf(site)!;
	const flag = (c: Coded, id: string, v: boolean): XmlElement =>
		rel('REFR', simpleObservation(ids, { code: c, textRef: id, value: bl(v) }));
	const text = [
		table(
			row('Nature de la discussion', content('nature-discussion', ORGAN_RCP.displayName)),
			row('Appareil', content('appareil', apparatus.displayName)),
			row('Organe', content('organe', organ.displayName)),
			row('RCP de recours', content('rcp-recours', 'Non')),
			row('RCP pédiatrique', content('rcp-pediatrique', 'Non'))
		),
		table(
			row('Avis diagnostique', content('avis-diagnostique', 'Non')),
			row('Proposition thérapeutique', content('proposition-therapeutique', 'Oui')),
			row('Recours', content('recours', 'Non')),
			row('Pédiatrique', content('pediatrique', 'Non')),
			row('Statut du cas présenté', content('statut-cas', CASE_DISCUSSED.displayName)),
			row('Question posée', content('raison', data.caseInfo.question || 'Non renseignée'))
		)
	];
	const nature = simpleObservation(ids, {
		code: taAsip('GEN-098', 'Nature de la discussion'),
		textRef: 'nature-discussion',
		value: cd(ORGAN_RCP),
		effective: el('effectiveTime', { nullFlavor: 'NAV' }),
		related: [
			rel(
				'SUBJ',
				simpleObservation(ids, {
					code: taAsip('ORG-118', 'Appareil concerné'),
					textRef: 'appareil',
					value: cd(apparatus),
					effective: el('effectiveTime', { nullFlavor: 'NAV' }),
					related: [
						rel(
							'REFR',
							simpleObservation(ids, {
								code: taAsip('ORG-119', 'Organe'),
								textRef: 'organe',
								value: cd(organ),
								effective: el('effectiveTime', { nullFlavor: 'NAV' })
							})
						),
						flag(taAsip('ORG-184', 'RCP de recours'), 'rcp-recours', false),
						flag(taAsip('ORG-185', 'RCP pédiatrique'), 'rcp-pediatrique', false)
					]
				})
			),
			rel(
				'SUBJ',
				simpleObservation(ids, {
					code: taAsip('ORG-186', 'Motif de la RCP'),
					textRef: 'raison',
					value: el('value', { 'xsi:type': 'CD', nullFlavor: 'NA' }),
					effective: el('effectiveTime', { nullFlavor: 'NAV' }),
					related: [
						flag(taAsip('MED-235', 'Avis diagnostique'), 'avis-diagnostique', false),
						flag(
							taAsip('ORG-114', 'Proposition de traitement (dont ajustement et surveillance)'),
							'proposition-therapeutique',
							true
						),
						flag(taAsip('ORG-115', 'Recours'), 'recours', false),
						flag(taAsip('ORG-116', 'Pédiatrie'), 'pediatrique', false),
						rel(
							'REFR',
							simpleObservation(ids, {
								code: taAsip('ORG-127', 'Statut du cas présenté'),
								textRef: 'statut-cas',
								value: cd(CASE_DISCUSSED)
							})
						)
					]
				})
			)
		]
	});
	const problem = el(
		'observation',
		{ classCode: 'OBS', moodCode: 'EVN', negationInd: 'false' },
		...tpl(
			'2.16.840.1.113883.10.20.1.28',
			'1.3.6.1.4.1.19376.1.5.3.1.4.5',
			'1.2.250.1.213.1.1.3.37'
		),
		ids.next(),
		coded('code', { code: '55607006', codeSystem: OID.snomed, displayName: 'problème' }),
		el('text', {}, ref('raison')),
		el('statusCode', { code: 'completed' }),
		el('effectiveTime', {}, el('low', { value: day })),
		el('value', { 'xsi:type': 'CD', nullFlavor: 'NA' }, el('originalText', {}, ref('raison')))
	);
	return section(
		['1.3.6.1.4.1.19376.1.5.3.1.3.1', '1.3.6.1.4.1.19376.1.5.3.1.3.2', '1.2.250.1.213.1.1.2.128'],
		ids,
		loinc('42349-1', 'Raison de la recommandation'),
		'TYPE DE RCP / MOTIF DE LA RCP',
		text,
		el('entry', {}, nature),
		el('entry', {}, problem)
	);
}

export function discoverySection(ids: Ids): XmlElement {
	return section(
		[
			'1.3.6.1.4.1.19376.1.5.3.1.1.21.2.9',
			'1.3.6.1.4.1.19376.1.7.3.1.1.13.7',
			'1.2.250.1.213.1.1.2.163'
		],
		ids,
		loinc('42545-4', 'Evènements observés'),
		'MODE DE DÉCOUVERTE DU CANCER',
		table(row('Patient issu du dépistage', content('depistage', 'Non renseigné'))),
		el(
			'entry',
			{},
			simpleObservation(ids, {
				code: loinc('63921-1', 'Dépistage du cancer'),
				textRef: 'depistage',
				value: el('value', { 'xsi:type': 'BL', nullFlavor: 'UNK' })
			})
		)
	);
}

function tnmValue(axis: 'T' | 'N' | 'M', v: string | null): XmlElement {
	return v
		? el('value', {
				'xsi:type': 'CD',
				code: v,
				displayName: `c${v}`,
				codeSystem: OID.tnmUicc,
				codeSystemName: 'TNM_UICC',
				codeSystemVersion: '8'
			})
		: el('value', { 'xsi:type': 'CD', nullFlavor: 'UNK' });
}

export function diagnosisSection(data: DecisionDocumentData, ids: Ids, day: string): XmlElement {
	const site = str(data, 'primarySite')!;
	const histology = str(data, 'histology');
	const t = { T: str(data, 'cT'), N: str(data, 'cN'), M: str(data, 'cM') };
	const pT = str(data, 'pT');
	const pN = str(data, 'pN');
	const text = table(
		row('Topographie (CIM-10)', content('topographie', formatCim10(site) || site)),
		row('Morphologie', content('morphologie', histology ?? 'Non renseignée')),
		row('TNM clinique T', content('tnm-t', t.T ? `c${t.T}` : 'Inconnu')),
		row('TNM clinique N', content('tnm-n', t.N ? `c${t.N}` : 'Inconnu')),
		row('TNM clinique M', content('tnm-m', t.M ? `c${t.M}` : 'Inconnu')),
		row(
			'TNM pathologique',
			content(
				'tnm-p',
				[pT && `p${pT}`, pN && `p${pN}`].filter(Boolean).join(' ') || 'Non disponible'
			)
		),
		row('Classification', content('tnm-version', 'UICC, 8e édition'))
	);
	const axis = (a: 'T' | 'N' | 'M', loincCode: string) =>
		rel(
			'COMP',
			simpleObservation(ids, {
				code: loinc(loincCode, `TNM Clinique ${a}`),
				textRef: `tnm-${a.toLowerCase()}`,
				value: tnmValue(a, t[a])
			})
		);
	const stage = el(
		'observation',
		{ classCode: 'OBS', moodCode: 'EVN', negationInd: 'false' },
		...tpl('1.3.6.1.4.1.19376.1.7.3.1.4.14.2'),
		coded('code', loinc('75620-5', 'Stade TNM Clinique')),
		el('text', {}, ref('tnm-version')),
		el('statusCode', { code: 'completed' }),
		el('effectiveTime', {}, el('low', { value: day })),
		el(
			'value',
			{ 'xsi:type': 'CD' },
			el(
				'qualifier',
				{},
				coded('name', loinc('21917-0', 'Version TNM Classification')),
				el('value', {
					'xsi:type': 'CD',
					code: '8',
					displayName: 'TNM_UICC 8ème édition',
					codeSystem: OID.tnmUicc,
					codeSystemName: 'TNM_UICC'
				})
			)
		),
		axis('T', '21905-5'),
		axis('N', '21906-3'),
		axis('M', '21907-1')
	);
	const tumour = el(
		'observation',
		{ classCode: 'OBS', moodCode: 'EVN', negationInd: 'false' },
		...tpl(
			'2.16.840.1.113883.10.20.1.28',
			'1.3.6.1.4.1.19376.1.5.3.1.4.5',
			'1.2.250.1.213.1.1.3.37',
			'1.3.6.1.4.1.19376.1.7.3.1.4.14.1',
			'1.2.250.1.213.1.1.3.113'
		),
		ids.next(),
		coded('code', {
			code: '282291009',
			codeSystem: OID.snomed,
			displayName: 'interprétation diagnostique'
		}),
		el('text', {}, ref('topographie')),
		el('statusCode', { code: 'completed' }),
		el('effectiveTime', {}, el('low', { value: day })),
		el(
			'value',
			{ 'xsi:type': 'CD', nullFlavor: 'OTH' },
			el('originalText', {}, ref('morphologie'))
		),
		el(
			'targetSiteCode',
			{
				code: site,
				displayName: formatCim10(site) || site,
				codeSystem: OID.cim10,
				codeSystemName: 'CIM-10'
			},
			el('originalText', {}, ref('topographie'))
		),
		el('entryRelationship', { typeCode: 'SUBJ', inversionInd: 'false' }, stage)
	);
	const concern = el(
		'act',
		{ classCode: 'ACT', moodCode: 'EVN' },
		...tpl(
			'2.16.840.1.113883.10.20.1.27',
			'1.3.6.1.4.1.19376.1.5.3.1.4.5.1',
			'1.3.6.1.4.1.19376.1.5.3.1.4.5.2',
			'1.2.250.1.213.1.1.3.39',
			'1.2.250.1.213.1.1.3.39.1'
		),
		ids.next(),
		el('code', { nullFlavor: 'NA' }),
		el('statusCode', { code: 'active' }),
		el('effectiveTime', {}, el('low', { value: day })),
		el('entryRelationship', { typeCode: 'SUBJ', inversionInd: 'false' }, tumour)
	);
	return section(
		[
			'2.16.840.1.113883.10.20.1.11',
			'1.3.6.1.4.1.19376.1.5.3.1.3.6',
			'1.3.6.1.4.1.19376.1.7.3.1.3.14.1',
			'1.2.250.1.213.1.1.2.27'
		],
		ids,
		loinc('72135-7', 'Diagnostic du cancer'),
		'TUMEUR',
		text,
		el('entry', {}, concern)
	);
}

export function functionalStatusSection(
	data: DecisionDocumentData,
	ids: Ids,
	day: string
): XmlElement | null {
	const who = str(data, 'who');
	const grade = who === null ? NaN : Number(who);
	const oms = whoPerformanceCodes[grade];
	if (!oms) return null;
	const pain = section(
		['1.3.6.1.4.1.19376.1.5.3.1.1.12.2.2', '1.2.250.1.213.1.1.2.112'],
		ids,
		loinc('38208-5', 'Sévérité de la douleur'),
		null,
		content('severite-douleur', 'Non évaluée'),
		el(
			'entry',
			{},
			el(
				'observation',
				{ classCode: 'OBS', moodCode: 'EVN' },
				...tpl(
					'1.3.6.1.4.1.19376.1.5.3.1.4.13',
					'1.3.6.1.4.1.19376.1.5.3.1.1.12.3.1',
					'1.2.250.1.213.1.1.3.89'
				),
				ids.next(),
				coded('code', loinc('38208-5', 'Sévérité de la douleur')),
				el('text', {}, ref('severite-douleur')),
				el('statusCode', { code: 'completed' }),
				el('effectiveTime', { nullFlavor: 'UNK' }),
				el('value', { 'xsi:type': 'CO', nullFlavor: 'UNK' })
			)
		)
	);
	const performance = section(
		['1.3.6.1.4.1.19376.1.5.3.1.1.12.2.5', '1.2.250.1.213.1.1.2.115'],
		ids,
		loinc('46006-3', 'Problèmes physiques fonctionnels et structurels'),
		null,
		table(row('Échelle de performance OMS', content('performance-oms', `Stade ${grade}`))),
		el(
			'entry',
			{},
			el(
				'observation',
				{ classCode: 'OBS', moodCode: 'EVN', negationInd: 'false' },
				...tpl(
					'1.3.6.1.4.1.19376.1.5.3.1.4.13',
					'2.16.840.1.113883.10.20.1.31',
					'1.3.6.1.4.1.19376.1.5.3.1.1.12.3.6',
					'1.2.250.1.213.1.1.3.25'
				),
				ids.next(),
				coded('code', taAsip('MED-239', 'Echelle de performance OMS')),
				el('text', {}, ref('performance-oms')),
				el('statusCode', { code: 'completed' }),
				el('effectiveTime', { value: day }),
				cd(oms.value),
				coded('interpretationCode', oms.interpretation)
			)
		)
	);
	const wrapper = section(
		[
			'2.16.840.1.113883.10.20.1.5',
			'1.3.6.1.4.1.19376.1.5.3.1.3.17',
			'1.3.6.1.4.1.19376.1.5.3.1.1.12.2.1',
			'1.2.250.1.213.1.1.2.111'
		],
		ids,
		loinc('47420-5', 'Évaluation du statut fonctionnel'),
		'Évaluation du statut fonctionnel',
		null
	);
	// The two sub-sections sit inside the functional status section, after its text.
	const inner = wrapper.children[0] as XmlElement;
	return el('component', {}, el('section', {}, ...inner.children, pain, performance));
}

export function phaseSection(data: DecisionDocumentData, ids: Ids, day: string): XmlElement {
	const phase = cancerPhaseCodes[str(data, 'phase') ?? ''];
	return section(
		['1.3.6.1.4.1.19376.1.5.3.1.1.13.2.7', '1.2.250.1.213.1.1.2.25'],
		ids,
		loinc('18733-6', 'Note de progression'),
		'PHASE CLINIQUE DE LA MALADIE',
		table(row('Phase du cancer', content('phase', phase?.displayName ?? 'Non renseignée'))),
		el(
			'entry',
			{},
			simpleObservation(ids, {
				code: taAsip('MED-243', 'Phase du cancer'),
				textRef: 'phase',
				value: phase ? cd(phase) : el('value', { 'xsi:type': 'CD', nullFlavor: 'UNK' }),
				effective: el('effectiveTime', { value: day })
			})
		)
	);
}

export function historySection(data: DecisionDocumentData, ids: Ids): XmlElement {
	const prior = str(data, 'priorTreatments');
	const comorbidities = str(data, 'comorbidities');
	return section(
		['1.3.6.1.4.1.19376.1.5.3.1.3.4', '1.2.250.1.213.1.1.2.130'],
		ids,
		loinc('10164-2', 'Histoire de la maladie'),
		'SYNTHÈSE DU CAS PRÉSENTÉ ET QUESTION POSÉE À LA RCP',
		table(
			row('Question posée', data.caseInfo.question || 'Non renseignée'),
			row('Résumé clinique', data.caseInfo.summary || 'Non renseigné'),
			row('Traitements antérieurs', prior ?? 'Non renseignés'),
			row('Comorbidités', comorbidities ?? 'Non renseignées'),
			...data.caseInfo.facts.map((f) => row(f.label, f.value))
		)
	);
}
