import { zipSync, type Zippable } from 'fflate';
import { createHash } from 'node:crypto';
import { formatParisDateTime } from '$lib/domain/schedule';
import { deriveUuid, RCP_NOTE_TYPE } from './fhir';
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

function authorPerson(data: DecisionDocumentData): string | null {
	const a = data.validator ?? data.chair;
	if (!a) return null;
	const id = a.rpps ? `8${a.rpps}` : '';
	const authority = a.rpps ? '^^^&1.2.250.1.71.4.2.1&ISO^D^^^^IDNPS' : '';
	return `${id}^${a.lastName.toUpperCase()}^${a.firstName}^^^${a.title ?? ''}${authority}`;
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
			? `<rim:Classification id="${id}-author" classificationScheme="urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d" classifiedObject="${id}" nodeRepresentation="" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification">${slot('authorPerson', [author])}${est ? slot('authorInstitution', [`${est.name}^^^^^&1.2.250.1.71.4.2.2&ISO^^^^3${est.finess}`]) : ''}</rim:Classification>`
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
				classification(
					`${id}-class`,
					'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
					id,
					RCP_NOTE_TYPE.code,
					'2.16.840.1.113883.6.1',
					'Fiche RCP'
				) +
				classification(
					`${id}-conf`,
					'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
					id,
					'N',
					'2.16.840.1.113883.5.25',
					'Normal'
				) +
				classification(
					`${id}-format`,
					'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
					id,
					doc.formatCode.code,
					doc.formatCode.scheme,
					doc.title
				) +
				classification(
					`${id}-type`,
					'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
					id,
					RCP_NOTE_TYPE.code,
					'2.16.840.1.113883.6.1',
					RCP_NOTE_TYPE.display
				) +
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
					uuidToOid(deriveUuid(`${d.id}:${doc.fileName}`)),
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
				input.recipients.map((r) => `|^^Internet^${r}`)
			) +
			name(`Proposition thérapeutique RCP — ${data.pathway.name}`) +
			(author
				? `<rim:Classification id="${setId}-author" classificationScheme="urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d" classifiedObject="${setId}" nodeRepresentation="" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification">${slot('authorPerson', [author])}</rim:Classification>`
				: '') +
			classification(
				`${setId}-content`,
				'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500',
				setId,
				RCP_NOTE_TYPE.code,
				'2.16.840.1.113883.6.1',
				RCP_NOTE_TYPE.display
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

/** The two documents of a decision as XDM entries: the PDF fiche and the FHIR document. */
export function decisionXdmDocuments(pdf: Uint8Array, bundleJson: Uint8Array): XdmDocument[] {
	return [
		{
			fileName: 'DOC0001.PDF',
			mimeType: 'application/pdf',
			title: 'Fiche RCP (PDF)',
			formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008', scheme: '1.3.6.1.4.1.19376.1.2.3' },
			bytes: pdf
		},
		{
			fileName: 'DOC0002.JSN',
			mimeType: 'application/fhir+json',
			title: 'Document FHIR structuré (Bundle)',
			formatCode: {
				code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient',
				scheme: '1.3.6.1.4.1.19376.1.2.3'
			},
			bytes: bundleJson
		}
	];
}
