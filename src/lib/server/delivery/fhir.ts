import type {
	Bundle,
	CarePlan,
	Composition,
	DocumentReference,
	Encounter,
	Identifier,
	Organization,
	Patient,
	Practitioner,
	Reference,
	Resource
} from '@medplum/fhirtypes';
import { createHash } from 'node:crypto';
import {
	DECISION_IDENTIFIER_SYSTEM,
	decisionVersionIdentifier,
	type SendResult
} from '$lib/domain/decision';
import { FRCP_FORMAT_CODE } from '$lib/domain/cda-value-sets';
import { formatParisDateTime } from '$lib/domain/schedule';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import {
	describePatientIdentity,
	describeStoredQuorum,
	groupAttendeesBySpecialty,
	type DecisionDocumentData,
	type Person
} from './document-data';

/**
 * The decision as FHIR R4: a document Bundle (Composition, Patient, Practitioner, Encounter for
 * the meeting, CarePlan with the proposal, Organization) and the DocumentReference that carries
 * it with the PDF fiche to the patient record, created conditionally on the decision version's
 * identifier so that a resend never makes a second copy.
 */

export const LOINC = 'http://loinc.org';
/** LOINC 34794-8, the type of a multidisciplinary conference note (the fiche RCP). */
export const RCP_NOTE_TYPE = {
	system: LOINC,
	code: '34794-8',
	display: 'Interdisciplinary conference Note'
} as const;
/** National identifier of health professionals (IdNatPs); an RPPS number is written « 8 » + RPPS. */
export const RPPS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.1';
export const FINESS_SYSTEM = 'urn:oid:1.2.250.1.71.4.2.2';
export const PROPOSAL_TYPE_SYSTEM = 'urn:pluri:fhir:proposal-type';

/** FR Core (HL7 France): profiles and the identifier-type code system the profiles slice on. */
const FR_CORE = 'https://hl7.fr/ig/fhir/core';
export const FR_CORE_PROFILES = {
	patient: `${FR_CORE}/StructureDefinition/fr-core-patient`,
	patientIns: `${FR_CORE}/StructureDefinition/fr-core-patient-ins`,
	practitioner: `${FR_CORE}/StructureDefinition/fr-core-practitioner`,
	organization: `${FR_CORE}/StructureDefinition/fr-core-organization`
} as const;
export const FR_CORE_IDENTIFIER_TYPE = `${FR_CORE}/CodeSystem/fr-core-cs-v2-0203`;
const FR_CORE_RELIABILITY = `${FR_CORE}/StructureDefinition/fr-core-identity-reliability`;
const FR_CORE_INSEE_CODE = `${FR_CORE}/StructureDefinition/fr-core-address-insee-code`;
const BIRTH_PLACE = 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace';
const COMMUNE_SYSTEM = 'https://mos.esante.gouv.fr/NOS/TRE_R13-CommuneOM/FHIR/TRE-R13-CommuneOM';
/** The INS slices of FR Core by assigning authority (DESIGN §3). */
const insTypes: Readonly<Record<string, string>> = {
	'1.2.250.1.213.1.4.8': 'INS-NIR',
	'1.2.250.1.213.1.4.9': 'INS-NIA',
	'1.2.250.1.213.1.4.10': 'INS-NIR-TEST',
	'1.2.250.1.213.1.4.11': 'INS-NIR-DEMO'
};

const URI = DECISION_IDENTIFIER_SYSTEM;

/** A stable UUID from a seed, so the same decision always gives the same document. */
export function deriveUuid(seed: string): string {
	const h = createHash('sha256').update(seed).digest('hex');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function escapeXml(s: string): string {
	return s
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

function narrative(paragraphs: string[]): { status: 'generated'; div: string } {
	const body = paragraphs.map((p) => `<p>${escapeXml(p)}</p>`).join('');
	return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${body}</div>` };
}

/** Only a qualified INS may identify the patient outside the establishment (DESIGN §3). */
export function patientIdentifier(p: DecisionDocumentData['patient']): Identifier {
	if (p.insMatricule && p.insOid && p.identityStatus === 'qualified') {
		return {
			use: 'official',
			system: `urn:oid:${p.insOid}`,
			value: p.insMatricule,
			type: { coding: [{ system: FR_CORE_IDENTIFIER_TYPE, code: insTypes[p.insOid] ?? 'INS-NIR' }] }
		};
	}
	return { use: 'secondary', system: URI, value: `urn:uuid:${p.id}` };
}

export function practitionerIdentifier(person: Person): Identifier | undefined {
	return person.rpps
		? {
				use: 'official',
				type: { coding: [{ system: FR_CORE_IDENTIFIER_TYPE, code: 'IDNPS' }] },
				system: RPPS_SYSTEM,
				value: `8${person.rpps}`
			}
		: undefined;
}

function practitionerReference<T extends Resource>(person: Person | null): Reference<T> {
	if (!person) return { display: 'Président(e) de séance' };
	const identifier = practitionerIdentifier(person);
	return identifier ? { identifier, display: person.name } : { display: person.name };
}

const genders = { F: 'female', M: 'male', I: 'unknown' } as const;

function isInsQualified(p: DecisionDocumentData['patient']): boolean {
	return !!(p.insMatricule && p.insOid && p.identityStatus === 'qualified');
}

function buildPatient(p: DecisionDocumentData['patient']): Patient {
	const qualified = isInsQualified(p);
	// FR Core Patient INS needs the birthplace's INSEE code with a qualified INS.
	const profile =
		qualified && p.birthplaceCode ? FR_CORE_PROFILES.patientIns : FR_CORE_PROFILES.patient;
	return {
		resourceType: 'Patient',
		meta: { profile: [profile] },
		extension: [
			...(qualified
				? [
						{
							url: FR_CORE_RELIABILITY,
							extension: [
								{
									url: 'identityStatus',
									valueCoding: {
										system: `${FR_CORE}/CodeSystem/fr-core-cs-v2-0445`,
										code: 'VALI'
									}
								}
							]
						}
					]
				: []),
			...(p.birthplaceCode
				? [
						{
							url: BIRTH_PLACE,
							valueAddress: {
								extension: [
									{
										url: FR_CORE_INSEE_CODE,
										valueCoding: { system: COMMUNE_SYSTEM, code: p.birthplaceCode }
									}
								]
							}
						}
					]
				: [])
		],
		identifier: [patientIdentifier(p)],
		name: [{ use: 'official', family: p.birthName, given: p.firstNames }],
		gender: genders[p.sex],
		birthDate: p.birthDate
	};
}

function buildPractitioner(person: Person): Practitioner {
	const identifier = practitionerIdentifier(person);
	return {
		resourceType: 'Practitioner',
		meta: { profile: [FR_CORE_PROFILES.practitioner] },
		identifier: [
			...(identifier ? [identifier] : []),
			{ use: 'secondary', system: URI, value: `urn:uuid:${person.id}` }
		],
		name: [
			{
				family: person.lastName,
				given: [person.firstName],
				...(person.title ? { prefix: [person.title] } : {})
			}
		],
		...(person.specialty
			? { qualification: [{ code: { text: getSpecialtyLabel(person.specialty) } }] }
			: {})
	};
}

function meetingPeriod(
	m: DecisionDocumentData['meeting']
): { start: string; end: string } | undefined {
	return m ? { start: m.startsAt.toISOString(), end: m.endsAt.toISOString() } : undefined;
}

function meetingIdentifier(m: NonNullable<DecisionDocumentData['meeting']>): Identifier {
	return { system: URI, value: `urn:uuid:${m.id}` };
}

/** The structured FHIR document (type `document`): Composition first, then what it references. */
export function buildDecisionBundle(data: DecisionDocumentData): Bundle {
	const d = data.decision;
	const when = (d.validatedAt ?? data.meeting?.startsAt ?? new Date(0)).toISOString();
	const ids = {
		composition: deriveUuid(`${d.id}:composition`),
		patient: deriveUuid(`${d.id}:patient:${data.patient.id}`),
		practitioner: deriveUuid(`${d.id}:practitioner`),
		encounter: deriveUuid(`${d.id}:encounter`),
		carePlan: deriveUuid(`${d.id}:careplan`),
		organization: deriveUuid(`${d.id}:organization`)
	};
	const ref = <T extends Resource>(id: string): Reference<T> => ({ reference: `urn:uuid:${id}` });
	const author = data.validator ?? data.chair;
	const patientRef = ref<Patient>(ids.patient);
	const authorRef: Reference<Practitioner> = author
		? ref(ids.practitioner)
		: { display: 'Président(e) de séance' };

	const encounter: Encounter | null = data.meeting
		? {
				resourceType: 'Encounter',
				identifier: [
					meetingIdentifier(data.meeting),
					{ use: 'secondary', system: URI, value: `urn:uuid:${ids.encounter}` }
				],
				status: 'finished',
				class: {
					system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
					code: 'VR',
					display: 'virtual'
				},
				type: [{ text: `Réunion de concertation pluridisciplinaire — ${data.pathway.name}` }],
				subject: patientRef,
				period: meetingPeriod(data.meeting),
				participant: d.attendees.map((a) => ({
					individual: {
						...(a.rpps ? { identifier: { system: RPPS_SYSTEM, value: `8${a.rpps}` } } : {}),
						display: `${a.name}${a.specialty ? ` (${getSpecialtyLabel(a.specialty)})` : ''}`
					}
				}))
			}
		: null;

	const notes = [
		d.conformityLabel
			? `${d.conformityLabel}${d.justification ? ` : ${d.justification}` : ''}`
			: null,
		d.trialProposed
			? `Essai clinique proposé : ${d.trialName ?? ''}`
			: 'Pas d’essai clinique proposé',
		d.followUp ? `Suivi : ${d.followUp}` : null
	].filter((x): x is string => x !== null);

	const carePlan: CarePlan = {
		resourceType: 'CarePlan',
		identifier: [{ system: URI, value: `urn:uuid:${ids.carePlan}` }],
		status: 'active',
		intent: 'proposal',
		title: 'Proposition thérapeutique de la RCP',
		description: d.text,
		category: [{ text: data.pathway.name }],
		subject: patientRef,
		...(encounter ? { encounter: ref(ids.encounter) } : {}),
		created: when,
		author: authorRef,
		activity: d.proposals.map((p) => ({
			detail: {
				code: {
					coding: [{ system: PROPOSAL_TYPE_SYSTEM, code: p.code, display: p.label }],
					text: p.label
				},
				status: 'not-started'
			}
		})),
		note: notes.map((text) => ({ text }))
	};

	const est = data.establishment;
	const organization: Organization | null = est
		? {
				resourceType: 'Organization',
				meta: { profile: [FR_CORE_PROFILES.organization] },
				identifier: [
					{
						use: 'official',
						type: { coding: [{ system: FR_CORE_IDENTIFIER_TYPE, code: 'IDNST' }] },
						system: FINESS_SYSTEM,
						value: `1${est.finess}`
					},
					{
						use: 'official',
						type: { coding: [{ system: FR_CORE_IDENTIFIER_TYPE, code: 'FINEG' }] },
						system: FINESS_SYSTEM,
						value: est.finess
					}
				],
				name: est.name,
				address: [{ city: est.city, country: 'FR' }]
			}
		: null;

	const attendees = groupAttendeesBySpecialty(d.attendees).map(
		(g) => `${g.specialty} : ${g.names.join(', ')}`
	);
	const composition: Composition = {
		resourceType: 'Composition',
		identifier: { system: URI, value: `urn:uuid:${data.caseInfo.id}` },
		status: d.amendsId ? 'amended' : 'final',
		type: { coding: [{ ...RCP_NOTE_TYPE }], text: 'Fiche RCP' },
		subject: patientRef,
		...(encounter ? { encounter: ref(ids.encounter) } : {}),
		date: when,
		author: [authorRef],
		title: `Fiche RCP — ${data.pathway.name}`,
		confidentiality: 'N',
		...(author && d.validatedAt
			? { attester: [{ mode: 'legal' as const, time: when, party: ref(ids.practitioner) }] }
			: {}),
		...(organization ? { custodian: ref(ids.organization) } : {}),
		section: [
			{
				title: 'Demande',
				code: { text: 'Question posée et résumé clinique' },
				text: narrative([
					`Patient : ${describePatientIdentity(data.patient)}`,
					`Question posée : ${data.caseInfo.question}`,
					`Résumé clinique : ${data.caseInfo.summary}`,
					...(data.caseInfo.tnm ? [`Stade TNM : ${data.caseInfo.tnm}`] : []),
					...data.caseInfo.facts.map((f) => `${f.label} : ${f.value}`)
				])
			},
			{
				title: 'Participants et quorum',
				text: narrative([describeStoredQuorum(d), ...attendees])
			},
			{
				title: 'Proposition thérapeutique',
				text: narrative([
					`Type(s) : ${d.proposals.map((p) => p.label).join(', ')}`,
					d.text,
					...notes,
					...(d.amendReason ? [`Amendement de la version ${d.version - 1} : ${d.amendReason}`] : [])
				]),
				entry: [ref(ids.carePlan)]
			},
			{
				title: 'Validation',
				text: narrative([
					d.validatedAt
						? `Validée par ${author?.name ?? '—'} le ${formatParisDateTime(d.validatedAt)}.`
						: 'Non validée.'
				])
			}
		]
	};

	const entries: NonNullable<Bundle['entry']> = [
		{ fullUrl: `urn:uuid:${ids.composition}`, resource: composition },
		{ fullUrl: `urn:uuid:${ids.patient}`, resource: buildPatient(data.patient) }
	];
	if (author) {
		entries.push({ fullUrl: `urn:uuid:${ids.practitioner}`, resource: buildPractitioner(author) });
	}
	if (encounter) entries.push({ fullUrl: `urn:uuid:${ids.encounter}`, resource: encounter });
	entries.push({ fullUrl: `urn:uuid:${ids.carePlan}`, resource: carePlan });
	if (organization) {
		entries.push({ fullUrl: `urn:uuid:${ids.organization}`, resource: organization });
	}
	return {
		resourceType: 'Bundle',
		identifier: { system: URI, value: decisionVersionIdentifier(d.id) },
		type: 'document',
		timestamp: when,
		entry: entries
	};
}

/** The DocumentReference sent to the patient record: the PDF fiche and the FHIR document. */
export function buildDocumentReference(
	data: DecisionDocumentData,
	pdf: Uint8Array,
	bundle: Bundle,
	cda: { xml: string } | null = null
): DocumentReference {
	const d = data.decision;
	const when = (d.validatedAt ?? data.meeting?.startsAt ?? new Date(0)).toISOString();
	const json = Buffer.from(JSON.stringify(bundle), 'utf8');
	const attach = (bytes: Uint8Array) => ({
		size: bytes.length,
		hash: createHash('sha1').update(bytes).digest('base64'),
		data: Buffer.from(bytes).toString('base64'),
		creation: when,
		language: 'fr-FR'
	});
	const identifier: Identifier = { system: URI, value: decisionVersionIdentifier(d.id) };
	const author = data.validator ?? data.chair;
	const est = data.establishment;
	return {
		resourceType: 'DocumentReference',
		masterIdentifier: identifier,
		identifier: [identifier],
		status: 'current',
		docStatus: d.amendsId ? 'amended' : 'final',
		type: { coding: [{ ...RCP_NOTE_TYPE }], text: 'Fiche RCP' },
		category: [{ text: data.pathway.name }],
		subject: {
			identifier: patientIdentifier(data.patient),
			display: describePatientIdentity(data.patient)
		},
		date: when,
		author: [practitionerReference(author)],
		...(author ? { authenticator: practitionerReference(author) } : {}),
		...(est
			? {
					custodian: { identifier: { system: FINESS_SYSTEM, value: est.finess }, display: est.name }
				}
			: {}),
		...(d.amendsId
			? {
					relatesTo: [
						{
							code: 'replaces' as const,
							target: { identifier: { system: URI, value: decisionVersionIdentifier(d.amendsId) } }
						}
					]
				}
			: {}),
		description: `Proposition thérapeutique de la ${data.pathway.name}${data.meeting ? ` du ${formatParisDateTime(data.meeting.startsAt)}` : ''} (version ${d.version})`,
		content: [
			{
				attachment: {
					contentType: 'application/pdf',
					title: `Fiche RCP (version ${d.version})`,
					...attach(pdf)
				}
			},
			{
				attachment: {
					contentType: 'application/fhir+json',
					title: 'Document FHIR structuré de la fiche RCP',
					...attach(json)
				}
			},
			...(cda
				? [
						{
							attachment: {
								contentType: 'text/xml',
								title: 'Fiche RCP structurée (CDA R2, volet CI-SIS CANCER-FRCP)',
								...attach(Buffer.from(cda.xml, 'utf8'))
							},
							format: {
								system: `urn:oid:${FRCP_FORMAT_CODE.codeSystem}`,
								code: FRCP_FORMAT_CODE.code,
								display: FRCP_FORMAT_CODE.displayName
							}
						}
					]
				: [])
		],
		...(data.meeting
			? {
					context: {
						encounter: [
							{
								identifier: meetingIdentifier(data.meeting),
								display: `Séance de la ${data.pathway.name} du ${formatParisDateTime(data.meeting.startsAt)}`
							}
						],
						period: meetingPeriod(data.meeting)
					}
				}
			: {})
	};
}

// ---------- client ----------

export interface FhirTarget {
	baseUrl: string;
	token: string | null;
}

export const FHIR_TIMEOUT_MS = 10_000;

/** The conditional-create header for a decision version (`If-None-Exist`). */
export function ifNoneExist(decisionId: string): string {
	return `identifier=${encodeURIComponent(`${URI}|${decisionVersionIdentifier(decisionId)}`)}`;
}

function describeNetworkError(e: unknown, timeoutMs: number): string {
	if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) {
		return `Le serveur du dossier patient n’a pas répondu dans le délai (${Math.round(timeoutMs / 1000)} s).`;
	}
	const cause = e instanceof Error ? (e.cause as { code?: string } | undefined) : undefined;
	const code = cause?.code ? ` (${cause.code})` : '';
	return `Connexion au serveur du dossier patient impossible${code}.`;
}

function outcomeText(body: string): string {
	try {
		const o = JSON.parse(body) as {
			issue?: { diagnostics?: string; details?: { text?: string } }[];
		};
		const text = o.issue
			?.map((i) => i.diagnostics ?? i.details?.text)
			.filter(Boolean)
			.join(' ; ');
		// The caller ends the sentence: no second full stop after the server's own.
		return text ? ` : ${text.slice(0, 300).replace(/[\s.]+$/, '')}` : '';
	} catch {
		return '';
	}
}

/**
 * Creates the DocumentReference unless one with the decision version's identifier is already
 * there: 201 created, 200 already there (a resend after a crash), 412 several matches (to be
 * sorted out by hand). Timeouts, dropped connections and server errors are retried later.
 */
export async function postDocumentReference(
	target: FhirTarget,
	doc: DocumentReference,
	decisionId: string,
	timeoutMs: number = FHIR_TIMEOUT_MS
): Promise<SendResult> {
	const headers: Record<string, string> = {
		'content-type': 'application/fhir+json',
		accept: 'application/fhir+json',
		'if-none-exist': ifNoneExist(decisionId),
		prefer: 'return=minimal'
	};
	if (target.token) headers.authorization = `Bearer ${target.token}`;
	let status: number;
	let body = '';
	let location: string | null = null;
	try {
		const res = await fetch(`${target.baseUrl}/DocumentReference`, {
			method: 'POST',
			headers,
			body: JSON.stringify(doc),
			signal: AbortSignal.timeout(timeoutMs)
		});
		status = res.status;
		location = res.headers.get('location') ?? res.headers.get('content-location');
		body = await res.text();
	} catch (e) {
		return { kind: 'retry', error: describeNetworkError(e, timeoutMs) };
	}
	const remoteId = location
		? location
				.replace(target.baseUrl, '')
				.replace(/^\//, '')
				.replace(/\/_history\/.*$/, '')
		: readId(body);
	if (status === 201) return { kind: 'delivered', remoteId };
	if (status === 200) return { kind: 'delivered', remoteId, note: 'déjà présent' };
	if (status === 412) {
		return {
			kind: 'failed',
			error: `Le dossier patient contient plusieurs documents pour cette décision (412) : vérification manuelle nécessaire${outcomeText(body)}.`
		};
	}
	if (status === 400 || status === 422) {
		return {
			kind: 'failed',
			error: `Le dossier patient a refusé le document (${status})${outcomeText(body)}.`
		};
	}
	if (status === 401 || status === 403) {
		return {
			kind: 'retry',
			error: `Accès refusé par le serveur du dossier patient (${status}) : vérifiez FHIR_TOKEN.`
		};
	}
	return {
		kind: 'retry',
		error: `Le serveur du dossier patient a répondu ${status}${outcomeText(body)}.`
	};
}

function readId(body: string): string | null {
	try {
		const r = JSON.parse(body) as { resourceType?: string; id?: string };
		return r.id ? `${r.resourceType ?? 'DocumentReference'}/${r.id}` : null;
	} catch {
		return null;
	}
}
