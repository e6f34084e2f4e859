import {
	authorSpecialtyCode,
	CONFIDENTIALITY_NORMAL,
	facilityTypeCode,
	FRCP_TYPE_CODE,
	listCdaBlockers,
	OID,
	practiceSettingCode,
	type Coded
} from '$lib/domain/cda-value-sets';
import { buildFrcpBody } from './cda-body';
import type { DecisionDocumentData, Person } from './document-data';
import { deriveUuid } from './fhir';
import { formatCdaTime } from './cda-parts';
import { el, serializeXml, type XmlElement } from './xml';

export { formatCdaTime };

/**
 * The CI-SIS Fiche RCP (volet CANCER-FRCP 2022.01): a CDA R2 document for a validated oncology
 * decision. This module writes the header (patient, author, custodian, the RCP as service
 * event and encounter, versioning); cda-body.ts writes the sections. Every version of a case's
 * decision is a version of one document set: same setId, versionNumber = decision version, and
 * an amendment replaces (RPLC) the document of the version it amends.
 */

/** XDS and CDA identifiers are OIDs: a UUID fits under the 2.25 arc as its decimal value. */
export function oidFromSeed(seed: string): string {
	return `2.25.${BigInt(`0x${deriveUuid(seed).replace(/-/g, '')}`).toString(10)}`;
}

/** Pluri's own arc for local identifiers (RCP, session, case), derived from a fixed name. */
export const PLURI_CDA_ROOT = oidFromSeed('pluri:cda-root');

/** The CDA document id of a decision version (also its XDS uniqueId). */
export function cdaDocumentId(decisionId: string): string {
	return oidFromSeed(`${decisionId}:cda`);
}

/** The document set of a case: every version of its decision shares it. */
export function cdaSetId(caseId: string): string {
	return oidFromSeed(`${caseId}:cda-set`);
}

export function code(tag: string, c: Coded, ...children: XmlElement[]): XmlElement {
	return el(
		tag,
		{ code: c.code, codeSystem: c.codeSystem, displayName: c.displayName },
		...children
	);
}

export type CdaResult =
	| { ok: true; xml: string; documentId: string; setId: string; version: number }
	| { ok: false; reasons: string[] };

/** What the volet makes mandatory, checked on the data the fiche is built from. */
export function listFicheCdaBlockers(data: DecisionDocumentData): string[] {
	const raw = data.caseInfo.pathwayData;
	const str = (k: string): string | null => {
		const v = raw[k];
		return typeof v === 'string' && v.trim() ? v.trim() : null;
	};
	return listCdaBlockers({
		pathwayKind: data.pathway.kind,
		decisionStatus: data.decision.status,
		identityStatus: data.patient.identityStatus,
		insMatricule: data.patient.insMatricule,
		insOid: data.patient.insOid,
		authorRpps: (data.validator ?? data.chair)?.rpps ?? null,
		establishmentFiness: data.establishment?.finess ?? null,
		hasMeeting: data.meeting !== null,
		primarySite: str('primarySite'),
		tnm: { cT: str('cT'), cN: str('cN'), cM: str('cM') }
	});
}

type Establishment = NonNullable<DecisionDocumentData['establishment']>;

function orgAddr(est: Establishment): XmlElement {
	return el('addr', {}, el('city', {}, est.city));
}

function personName(p: Person): XmlElement {
	return el(
		'name',
		{},
		el('given', {}, p.firstName),
		el('family', {}, p.lastName.toUpperCase()),
		p.title?.startsWith('Dr') ? el('suffix', {}, 'DR') : null
	);
}

function psId(p: Person): XmlElement {
	// The national identifier of a health professional (IDNPS) is « 8 » followed by the RPPS.
	return el('id', { root: OID.rpps, extension: `8${p.rpps}` });
}

function finessId(est: Establishment): XmlElement {
	// The national identifier of an establishment (IDNST) is « 1 » followed by the FINESS.
	return el('id', { root: OID.finess, extension: `1${est.finess}` });
}

function organization(tag: string, est: Establishment): XmlElement {
	return el(
		tag,
		{},
		finessId(est),
		el('name', {}, est.name),
		el('telecom', { nullFlavor: 'NASK' }),
		orgAddr(est),
		code('standardIndustryClassCode', practiceSettingCode(est.kind))
	);
}

function assigned(tag: string, personTag: string, orgTag: string, p: Person, est: Establishment) {
	return el(
		tag,
		tag === 'associatedEntity' ? { classCode: 'PROV' } : {},
		psId(p),
		code('code', authorSpecialtyCode(p.specialty)),
		orgAddr(est),
		el('telecom', { nullFlavor: 'NASK' }),
		el(personTag, {}, personName(p)),
		organization(orgTag, est)
	);
}

function recordTarget(p: DecisionDocumentData['patient']): XmlElement {
	const gender =
		p.sex === 'F'
			? { code: 'F', displayName: 'Féminin' }
			: p.sex === 'M'
				? { code: 'M', displayName: 'Masculin' }
				: { code: 'U', displayName: 'Inconnu' };
	return el(
		'recordTarget',
		{},
		el(
			'patientRole',
			{},
			el('id', { root: p.insOid, extension: p.insMatricule }),
			el('addr', { nullFlavor: 'NASK' }),
			el('telecom', { nullFlavor: 'NASK' }),
			el(
				'patient',
				{ classCode: 'PSN' },
				el(
					'name',
					{},
					el('family', { qualifier: 'BR' }, p.birthName),
					el('given', {}, p.firstNames.join(' ')),
					el('given', { qualifier: 'BR' }, p.firstNames[0] ?? ''),
					el('family', { qualifier: 'CL' }, p.birthName),
					el('given', { qualifier: 'CL' }, p.firstNames[0] ?? '')
				),
				el('administrativeGenderCode', { ...gender, codeSystem: '2.16.840.1.113883.5.1' }),
				el('birthTime', { value: p.birthDate.replace(/-/g, '') }),
				p.birthplaceCode
					? el(
							'birthplace',
							{},
							el('place', {}, el('addr', {}, el('county', {}, p.birthplaceCode)))
						)
					: null
			)
		)
	);
}

/** The fiche as CDA R2 XML, or why it cannot be produced (never a document the volet refuses). */
export function buildFicheRcpCda(data: DecisionDocumentData, pdf?: Uint8Array): CdaResult {
	if (data.pathway.kind !== 'oncology') {
		return {
			ok: false,
			reasons: ['Cette filière n’a pas de volet CI-SIS : la fiche part en PDF et en FHIR.']
		};
	}
	const reasons = listFicheCdaBlockers(data);
	if (reasons.length) return { ok: false, reasons };
	const d = data.decision;
	const author = (data.validator ?? data.chair)!;
	const est = data.establishment!;
	const meeting = data.meeting!;
	const validatedAt = d.validatedAt ?? meeting.endsAt;
	const documentId = cdaDocumentId(d.id);
	const setId = cdaSetId(data.caseInfo.id);
	const rcpLabel = `${est.name} / ${data.pathway.name}`;
	const doc = el(
		'ClinicalDocument',
		{
			xmlns: 'urn:hl7-org:v3',
			'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
			'xmlns:sdtc': 'urn:hl7-org:sdtc'
		},
		el('realmCode', { code: 'FR' }),
		el('typeId', { root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' }),
		el('templateId', { root: '2.16.840.1.113883.2.8.2.1' }),
		el('templateId', { root: '1.2.250.1.213.1.1.1.1' }),
		el('templateId', { root: '1.2.250.1.213.1.1.1.8', extension: '2022.01' }),
		el('id', { root: documentId }),
		code('code', FRCP_TYPE_CODE),
		el('title', {}, `Fiche RCP — ${rcpLabel}`),
		el('effectiveTime', { value: formatCdaTime(validatedAt) }),
		code('confidentialityCode', CONFIDENTIALITY_NORMAL),
		el('languageCode', { code: 'fr-FR' }),
		el('setId', { root: setId }),
		el('versionNumber', { value: d.version }),
		recordTarget(data.patient),
		el(
			'author',
			{},
			el('time', { value: formatCdaTime(validatedAt) }),
			assigned('assignedAuthor', 'assignedPerson', 'representedOrganization', author, est)
		),
		el(
			'custodian',
			{},
			el(
				'assignedCustodian',
				{},
				el(
					'representedCustodianOrganization',
					{},
					finessId(est),
					el('name', {}, est.name),
					el('telecom', { nullFlavor: 'NASK' }),
					orgAddr(est)
				)
			)
		),
		el(
			'legalAuthenticator',
			{},
			el('time', { value: formatCdaTime(validatedAt) }),
			el('signatureCode', { code: 'S' }),
			assigned('assignedEntity', 'assignedPerson', 'representedOrganization', author, est)
		),
		el(
			'documentationOf',
			{},
			el(
				'serviceEvent',
				{ classCode: 'ACT' },
				el(
					'code',
					{
						code: '39',
						displayName: 'Réunion de Concertation Pluridisciplinaire (RCP)',
						codeSystem: '1.2.250.1.213.3.3.13',
						codeSystemName: 'TRE_R213-ModePriseEnCharge'
					},
					el('originalText', {}, rcpLabel)
				),
				el('effectiveTime', {}, el('low', { value: formatCdaTime(meeting.startsAt) })),
				el(
					'performer',
					{ typeCode: 'PRF' },
					assigned('assignedEntity', 'assignedPerson', 'representedOrganization', author, est)
				)
			)
		),
		d.amendsId
			? el(
					'relatedDocument',
					{ typeCode: 'RPLC' },
					el(
						'parentDocument',
						{},
						el('id', { root: cdaDocumentId(d.amendsId) }),
						el('setId', { root: setId }),
						el('versionNumber', { value: Math.max(1, d.version - 1) })
					)
				)
			: null,
		el(
			'componentOf',
			{},
			el(
				'encompassingEncounter',
				{},
				// The volet wants the national RRC, 3C and RCP identifiers; Pluri identifies the
				// pathway, the session and the case under its own arc until those are configured.
				el('id', { root: `${PLURI_CDA_ROOT}.1`, extension: data.pathway.code }),
				el('id', { root: '1.2.250.1.213.1.1.9', extension: meeting.id }),
				el('id', { root: `${PLURI_CDA_ROOT}.2`, extension: data.caseInfo.id }),
				el('code', {
					code: 'VR',
					displayName: 'Virtuelle (exemple : RCP en l’absence du patient)',
					codeSystem: '2.16.840.1.113883.5.4'
				}),
				el(
					'effectiveTime',
					{},
					el('low', { value: formatCdaTime(meeting.startsAt) }),
					el('high', { value: formatCdaTime(meeting.endsAt) })
				),
				el(
					'location',
					{},
					el(
						'healthCareFacility',
						{},
						finessId(est),
						code('code', facilityTypeCode(est.kind)),
						el('location', {}, el('name', {}, est.name), orgAddr(est))
					)
				)
			)
		),
		buildFrcpBody(data, validatedAt, pdf)
	);
	return { ok: true, xml: serializeXml(doc), documentId, setId, version: d.version };
}
