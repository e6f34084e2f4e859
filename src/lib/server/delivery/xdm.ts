import { zipSync, type Zippable } from 'fflate';
import { createHash } from 'node:crypto';
import {
	authorSpecialtyCode,
	CONFIDENTIALITY_NORMAL,
	facilityTypeCode,
	FRCP_FORMAT_CODE,
	FRCP_TYPE_CODE,
	practiceSettingCode,
	XDS_CLASS_CODE,
	type Coded
} from '$lib/domain/cda-value-sets';
import { formatParisDateTime } from '$lib/domain/schedule';
import { deriveUuid } from './fhir';
import { describePatientIdentity, type DecisionDocumentData } from './document-data';

/**
 * IHE XDM (ITI TF-1 §16, ITI TF-3 §4.2.4.1): the zip a secure mail carries so the receiving
 * software files the documents with their metadata. Layout: README.TXT and INDEX.HTM at the
 * root, one submission set in IHE_XDM/SUBSET01 with METADATA.XML (ebRIM 3.0) and the documents.
 */

export interface XdmDocument {
	fileName: string;
	mimeType: string;
	title: string;
	formatCode: { code: string; scheme: string };
	bytes: Uint8Array;
	/** The document's own unique id when it has one (a CDA's id); derived otherwise. */
	uniqueId?: string;
}

export interface XdmInput {
	data: DecisionDocumentData;
	documents: XdmDocument[];
	/** The doctors the submission set is for (one zip serves every mail of the decision). */
	recipients: string[];
	senderName: string;
	submittedAt: Date;
}

const SUBSET = 'IHE_XDM/SUBSET01';

/** XDS uniqueIds are OIDs: a UUID fits under the 2.25 arc as its decimal value. */
export function uuidToOid(uuid: string): string {
	return `2.25.${BigInt(`0x${uuid.replace(/-/g, '')}`).toString(10)}`;
}

/** The OID Pluri signs its submission sets with (a 2.25 OID derived from a fixed name). */
export const PLURI_SOURCE_OID = uuidToOid(deriveUuid('pluri:xdm-source'));

function xml(s: string): string {
	return s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

/** HL7 v2 DTM, UTC, to the second, as XDS metadata wants it. */
function dtm(d: Date): string {
	return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function slot(name: string, values: string[]): string {
	return `<rim:Slot name="${name}"><rim:ValueList>${values.map((v) => `<rim:Value>${xml(v)}</rim:Value>`).join('')}</rim:ValueList></rim:Slot>`;
}

function name(value: string): string {
	return `<rim:Name><rim:LocalizedString xml:lang="fr-FR" charset="UTF-8" value="${xml(value)}"/></rim:Name>`;
}

function classification(
	id: string,
	scheme: string,
	object: string,
	code: string,
	codingScheme: string,
	display: string
): string {
	return `<rim:Classification id="${id}" classificationScheme="${scheme}" classifiedObject="${object}" nodeRepresentation="${xml(code)}" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification">${slot('codingScheme', [codingScheme])}${name(display)}</rim:Classification>`;
}

function coded(id: string, scheme: string, object: string, c: Coded): string {
	return classification(id, scheme, object, c.code, c.codeSystem, c.displayName);
}

function externalId(
	id: string,
	scheme: string,
	object: string,
	value: string,
	label: string
): string {
	return `<rim:ExternalIdentifier id="${id}" identificationScheme="${scheme}" registryObject="${object}" value="${xml(value)}" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier">${name(label)}</rim:ExternalIdentifier>`;
}

/** CX of the patient: the qualified INS, else Pluri's own patient id. */
function patientCx(p: DecisionDocumentData['patient']): string {
	if (p.insMatricule && p.insOid && p.identityStatus === 'qualified') {
		return `${p.insMatricule}^^^&${p.insOid}&ISO^NH`;
	}
	return `${p.id}^^^&${PLURI_SOURCE_OID}&ISO^PI`;
}

/**
 * XCN of the author: id (« 8 » + RPPS), family, given, …, prefix (6th), assigning authority
 * (9th), name type (10th), identifier type code IDNPS (13th).
 */
export function authorPerson(data: DecisionDocumentData): string | null {
	const a = data.validator ?? data.chair;
	if (!a) return null;
	const tail = a.rpps ? '^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS' : '';
	return `${a.rpps ? `8${a.rpps}` : ''}^${a.lastName.toUpperCase()}^${a.firstName}^^^${a.title ?? ''}${tail}`;
}

/** XON of the establishment: name, assigning authority (6th), IDNST (7th), « 1 » + FINESS (10th). */
export function authorInstitution(est: NonNullable<DecisionDocumentData['establishment']>): string {
	return `${est.name}^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^1${est.finess}`;
}

/** CE of a code for an XDS slot: code^display^system. */
function ce(c: Coded): string {
	return `${c.code}^${c.displayName}^${c.codeSystem}`;
}

export function buildXdmMetadata(input: XdmInput): string {
	const { data } = input;
	const p = data.patient;
	const d = data.decision;
	const cx = patientCx(p);
	const created = d.validatedAt ?? input.submittedAt;
	const author = authorPerson(data);
	const est = data.establishment;
	const sexes: Record<string, string> = { F: 'F', M: 'M', I: 'U' };
	const patientInfo = [
		`PID-3|${cx}`,
		`PID-5|${p.birthName}^${p.firstNames.join(' ')}^^^^^L`,
		`PID-7|${p.birthDate.replace(/-/g, '')}`,
		`PID-8|${sexes[p.sex] ?? 'U'}`
	];
	const objects: string[] = [];
	const setId = 'SubmissionSet01';
	input.documents.forEach((doc, i) => {
		const id = `Document${String(i + 1).padStart(2, '0')}`;
		const sha1 = createHash('sha1').update(doc.bytes).digest('hex');
		const authorClass = author
			? `<rim:Classification id="${id}-author" classificationScheme="urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d" classifiedObject="${id}" nodeRepresentation="" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification">${slot('authorPerson', [author])}${est ? slot('authorInstitution', [authorInstitution(est)]) : ''}${slot('authorSpecialty', [ce(authorSpecialtyCode((data.validator ?? data.chair)?.specialty))])}</rim:Classification>`
			: '';
		objects.push(
			`<rim:ExtrinsicObject id="${id}" mimeType="${doc.mimeType}" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1" status="urn:oasis:names:tc:ebxml-regrep:StatusType:Approved">` +
				slot('creationTime', [dtm(created)]) +
				slot('languageCode', ['fr-FR']) +
				(data.meeting ? slot('serviceStartTime', [dtm(data.meeting.startsAt)]) : '') +
				(data.meeting ? slot('serviceStopTime', [dtm(data.meeting.endsAt)]) : '') +
				slot('sourcePatientId', [cx]) +
				slot('sourcePatientInfo', patientInfo) +
				slot('hash', [sha1]) +
				slot('size', [String(doc.bytes.length)]) +
				slot('URI', [doc.fileName]) +
				name(doc.title) +
				authorClass +
				coded(`${id}-class`, 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a', id, XDS_CLASS_CODE) +
				coded(
					`${id}-conf`,
					'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
					id,
					CONFIDENTIALITY_NORMAL
				) +
				classification(
					`${id}-format`,
					'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
					id,
					doc.formatCode.code,
					doc.formatCode.scheme,
					doc.title
				) +
				coded(
					`${id}-facility`,
					'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
					id,
					facilityTypeCode(est?.kind)
				) +
				coded(
					`${id}-practice`,
					'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
					id,
					practiceSettingCode(est?.kind)
				) +
				coded(`${id}-type`, 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983', id, FRCP_TYPE_CODE) +
				externalId(
					`${id}-pid`,
					'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
					id,
					cx,
					'XDSDocumentEntry.patientId'
				) +
				externalId(
					`${id}-uid`,
					'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
					id,
					doc.uniqueId ?? uuidToOid(deriveUuid(`${d.id}:${doc.fileName}`)),
					'XDSDocumentEntry.uniqueId'
				) +
				'</rim:ExtrinsicObject>'
		);
	});
	objects.push(
		`<rim:RegistryPackage id="${setId}" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage">` +
			slot('submissionTime', [dtm(input.submittedAt)]) +
			slot(
				'intendedRecipient',
				// XCN|XON|XTN: no person, no organisation, the mail address as telecom.
				input.recipients.map((r) => `||^^Internet^${r}`)
			) +
			name(`Proposition thérapeutique RCP — ${data.pathway.name}`) +
			(author
				? `<rim:Classification id="${setId}-author" classificationScheme="urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d" classifiedObject="${setId}" nodeRepresentation="" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification">${slot('authorPerson', [author])}</rim:Classification>`
				: '') +
			coded(
				`${setId}-content`,
				'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500',
				setId,
				FRCP_TYPE_CODE
			) +
			externalId(
				`${setId}-uid`,
				'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
				setId,
				uuidToOid(deriveUuid(`${d.id}:set`)),
				'XDSSubmissionSet.uniqueId'
			) +
			externalId(
				`${setId}-src`,
				'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
				setId,
				PLURI_SOURCE_OID,
				'XDSSubmissionSet.sourceId'
			) +
			externalId(
				`${setId}-pid`,
				'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
				setId,
				cx,
				'XDSSubmissionSet.patientId'
			) +
			'</rim:RegistryPackage>' +
			`<rim:Classification id="${setId}-node" classifiedObject="${setId}" classificationNode="urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification"/>`
	);
	input.documents.forEach((_, i) => {
		const id = `Document${String(i + 1).padStart(2, '0')}`;
		objects.push(
			`<rim:Association id="Association${String(i + 1).padStart(2, '0')}" associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember" sourceObject="${setId}" targetObject="${id}" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association">${slot('SubmissionSetStatus', ['Original'])}</rim:Association>`
		);
	});
	return (
		'<?xml version="1.0" encoding="UTF-8"?>\n' +
		'<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">' +
		`<rim:RegistryObjectList>${objects.join('\n')}</rim:RegistryObjectList>` +
		'</lcm:SubmitObjectsRequest>\n'
	);
}

function readme(input: XdmInput): string {
	const { data } = input;
	return [
		'Support d’échange IHE XDM',
		'',
		`Émetteur : Pluri — ${input.senderName}`,
		`Destinataire(s) : ${input.recipients.join(', ')}`,
		`Date d’envoi : ${formatParisDateTime(input.submittedAt)}`,
		'',
		`Contenu : proposition thérapeutique de la ${data.pathway.name}${data.meeting ? ` (séance du ${formatParisDateTime(data.meeting.startsAt)})` : ''}, version ${data.decision.version}.`,
		...input.documents.map((d) => `  ${SUBSET}/${d.fileName} : ${d.title} (${d.mimeType})`),
		'',
		'Les métadonnées XDS sont dans IHE_XDM/SUBSET01/METADATA.XML ; INDEX.HTM liste les documents.',
		'Application : Pluri (gestion des RCP), support IHE XDM (ITI-32) — aucun logiciel à installer :',
		'ouvrez INDEX.HTM dans un navigateur, ou importez le support dans un logiciel compatible XDM.',
		...(input.data.establishment
			? [
					`Établissement : ${input.data.establishment.name} (FINESS ${input.data.establishment.finess})`
				]
			: []),
		'Ce support contient des données de santé à caractère personnel : conservez-le dans le dossier du patient.',
		''
	].join('\r\n');
}

function indexHtm(input: XdmInput): string {
	const rows = input.documents
		.map(
			(d) => `<li><a href="${SUBSET}/${d.fileName}">${xml(d.title)}</a> (${xml(d.mimeType)})</li>`
		)
		.join('\n');
	return `<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>Fiche RCP — ${xml(describePatientIdentity(input.data.patient))}</title></head>
<body>
<h1>Proposition thérapeutique de la ${xml(input.data.pathway.name)}</h1>
<p>Patient : ${xml(describePatientIdentity(input.data.patient))}</p>
<ul>
${rows}
</ul>
<p>Métadonnées de la soumission : <a href="${SUBSET}/METADATA.XML">${SUBSET}/METADATA.XML</a></p>
<p><a href="README.TXT">À propos de ce support (README.TXT)</a></p>
</body></html>
`;
}

/** The XDM zip. The PDF is stored as is (compressed already); the text parts lightly deflated. */
export function buildXdmZip(input: XdmInput): Uint8Array {
	const enc = new TextEncoder();
	const mtime = input.submittedAt;
	const files: Zippable = {
		'README.TXT': [enc.encode(readme(input)), { mtime }],
		'INDEX.HTM': [enc.encode(indexHtm(input)), { mtime }],
		[`${SUBSET}/METADATA.XML`]: [enc.encode(buildXdmMetadata(input)), { mtime }]
	};
	for (const d of input.documents) {
		files[`${SUBSET}/${d.fileName}`] = [d.bytes, { mtime, level: 0 }];
	}
	return zipSync(files, { level: 1 });
}

/**
 * The documents of a decision as XDM entries: the CI-SIS Fiche RCP (CDA R2) first when it could
 * be produced — it is the document a DMP-compatible reader files —, then the PDF fiche (a PDF is
 * its own format: mimeTypeSufficient) and the FHIR document.
 */
export function decisionXdmDocuments(
	pdf: Uint8Array,
	bundleJson: Uint8Array,
	cda?: { xml: string; documentId: string } | null
): XdmDocument[] {
	const docs: XdmDocument[] = [];
	if (cda) {
		docs.push({
			fileName: 'DOC0001.XML',
			mimeType: 'text/xml',
			title: 'Fiche RCP (CDA R2, CI-SIS)',
			formatCode: { code: FRCP_FORMAT_CODE.code, scheme: FRCP_FORMAT_CODE.codeSystem },
			bytes: new TextEncoder().encode(cda.xml),
			uniqueId: cda.documentId
		});
	}
	const n = (i: number) => `DOC${String(docs.length + i).padStart(4, '0')}`;
	const mimeTypeSufficient = {
		code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient',
		scheme: '1.3.6.1.4.1.19376.1.2.3'
	};
	docs.push(
		{
			fileName: `${n(1)}.PDF`,
			mimeType: 'application/pdf',
			title: 'Fiche RCP (PDF)',
			formatCode: mimeTypeSufficient,
			bytes: pdf
		},
		{
			fileName: `${n(2)}.JSN`,
			mimeType: 'application/fhir+json',
			title: 'Document FHIR structuré (Bundle)',
			formatCode: mimeTypeSufficient,
			bytes: bundleJson
		}
	);
	return docs;
}
