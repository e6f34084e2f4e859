import type { Bundle, DocumentReference, Resource } from '@medplum/fhirtypes';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patients } from '$lib/server/db/schema';
import {
	buildRecordTransaction,
	postRecordTransaction
} from '$lib/server/delivery/fhir-transaction';
import { loadDecisionDocumentData } from '$lib/server/delivery/document-data';
import {
	buildDecisionBundle,
	buildDocumentReference,
	ifNoneExist,
	postDocumentReference
} from '$lib/server/delivery/fhir';
import { loadDecisionPdf } from '$lib/server/delivery/pdf-store';
import { migratedDb } from '../support/db';
import { startFhirFake, type FhirFake } from '../support/fhir-fake.js';
import { validateFhir } from '../support/fhir-validator';
import { createDecisionWorld, proposal } from './decisions-fixtures';
import { amendDecision } from '$lib/server/decision-amendment';
import { validateDecision } from '$lib/server/decision-validation';

const db = await migratedDb();
const world = await createDecisionWorld(db);
let fake: FhirFake;

async function validatedDecision(over = {}): Promise<string> {
	const m = await world.newMeeting();
	const c = await world.newCase(m);
	await world.checkIn(m, world.quorumPeople);
	const r = await validateDecision(c, m, proposal(over), world.chair);
	if (!r.ok) throw new Error(r.message);
	return r.decisionId;
}

async function documentsOf(decisionId: string) {
	const data = (await loadDecisionDocumentData(decisionId))!;
	const pdf = (await loadDecisionPdf(decisionId, data))!;
	const bundle = buildDecisionBundle(data);
	return { data, pdf, bundle, docRef: buildDocumentReference(data, pdf, bundle) };
}

beforeAll(async () => {
	fake = await startFhirFake();
	process.env.FHIR_BASE_URL = fake.url;
});
afterAll(async () => {
	delete process.env.FHIR_BASE_URL;
	await fake.close();
});

describe('the FHIR resources of a decision', () => {
	it('are valid FHIR R4, each of them, by the validator', async () => {
		const { bundle, docRef } = await documentsOf(
			await validatedDecision({
				conformity: 'off_guideline',
				justification: 'Patient de 92 ans',
				trialProposed: true,
				trialName: 'PRODIGE 23'
			})
		);
		expect(validateFhir(docRef)).toEqual([]);
		expect(validateFhir(bundle)).toEqual([]);
		for (const entry of bundle.entry ?? []) {
			expect(validateFhir(entry.resource as Resource), entry.resource?.resourceType).toEqual([]);
		}
		expect(bundle.entry?.map((e) => e.resource?.resourceType)).toEqual([
			'Composition',
			'Patient',
			'Practitioner',
			'Encounter',
			'CarePlan',
			'Organization'
		]);
		// The first validation loads every R4 StructureDefinition: slow on a busy machine.
	}, 60_000);

	it('the validator is not a rubber stamp: it catches a broken resource', async () => {
		const { docRef } = await documentsOf(await validatedDecision());
		const broken = { ...docRef, status: 'validated' } as unknown as DocumentReference;
		expect(validateFhir(broken).join()).toMatch(/status/);
		const noContent = { ...docRef, content: [] } as DocumentReference;
		expect(validateFhir(noContent)).not.toEqual([]);
	});

	it('a DocumentReference of type LOINC 34794-8, about the patient by INS, by the chair by RPPS, in the meeting', async () => {
		const id = await validatedDecision();
		const { docRef, pdf, bundle, data } = await documentsOf(id);
		expect(docRef.type?.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '34794-8' });
		expect(docRef.identifier).toEqual([{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${id}` }]);
		expect(docRef.subject?.identifier).toMatchObject({
			system: 'urn:oid:1.2.250.1.213.1.4.10',
			value: data.patient.insMatricule
		});
		const chairRpps = data.validator!.rpps!;
		expect(docRef.author?.[0]?.identifier).toEqual({
			use: 'official',
			type: {
				coding: [
					{ system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203', code: 'IDNPS' }
				]
			},
			system: 'urn:oid:1.2.250.1.71.4.2.1',
			value: `8${chairRpps}`
		});
		expect(docRef.context?.encounter?.[0]?.identifier?.value).toBe(`urn:uuid:${data.meeting!.id}`);
		const [pdfContent, jsonContent] = docRef.content;
		expect(pdfContent!.attachment.contentType).toBe('application/pdf');
		expect(Buffer.from(pdfContent!.attachment.data!, 'base64').equals(pdf)).toBe(true);
		expect(jsonContent!.attachment.contentType).toBe('application/fhir+json');
		const carried = JSON.parse(
			Buffer.from(jsonContent!.attachment.data!, 'base64').toString()
		) as Bundle;
		expect(carried).toEqual(bundle);
		const carePlan = carried.entry?.find((e) => e.resource?.resourceType === 'CarePlan')?.resource;
		expect(carePlan).toMatchObject({
			intent: 'proposal',
			description: proposal().text,
			activity: [
				{ detail: { code: { text: 'Radiothérapie' } } },
				{ detail: { code: { text: 'Chimiothérapie' } } },
				{ detail: { code: { text: 'Chirurgie' } } }
			]
		});
	});

	it('never sends an INS that is not qualified', async () => {
		const id = await validatedDecision();
		await db
			.update(patients)
			.set({ identityStatus: 'validated' })
			.where(eq(patients.id, world.patientId));
		try {
			const { docRef, bundle } = await documentsOf(id);
			expect(docRef.subject?.identifier?.system).toBe('urn:ietf:rfc:3986');
			expect(JSON.stringify(bundle)).not.toContain('1.2.250.1.213.1.4.10');
			expect(validateFhir(docRef)).toEqual([]);
		} finally {
			await db
				.update(patients)
				.set({ identityStatus: 'qualified' })
				.where(eq(patients.id, world.patientId));
		}
	});

	it('the same decision gives the same bytes, whoever renders it', async () => {
		const id = await validatedDecision();
		const a = await documentsOf(id);
		const b = await documentsOf(id);
		expect(b.pdf.equals(a.pdf)).toBe(true);
		expect(JSON.stringify(b.docRef)).toBe(JSON.stringify(a.docRef));
		expect(a.pdf.subarray(0, 5).toString()).toBe('%PDF-');
	});
});

describe('conditional create against the contract fake', () => {
	it('201 then 200 for the same decision version, one DocumentReference; 412 when ambiguous', async () => {
		const id = await validatedDecision();
		const { docRef } = await documentsOf(id);
		const target = { baseUrl: fake.url, token: null };
		const first = await postDocumentReference(target, docRef, id);
		expect(first).toMatchObject({
			kind: 'delivered',
			remoteId: expect.stringMatching(/^DocumentReference\/\d+$/)
		});
		const again = await postDocumentReference(target, docRef, id);
		expect(again).toMatchObject({ kind: 'delivered', note: 'déjà présent' });
		expect(fake.findByIdentifier(`urn:ietf:rfc:3986|urn:uuid:${id}`)).toHaveLength(1);
		expect(fake.requests.at(-1)?.ifNoneExist).toBe(ifNoneExist(id));
		expect(decodeURIComponent(ifNoneExist(id))).toBe(`identifier=urn:ietf:rfc:3986|urn:uuid:${id}`);

		fake.insert({ ...docRef, resourceType: 'DocumentReference' });
		const ambiguous = await postDocumentReference(target, docRef, id);
		expect(ambiguous.kind).toBe('failed');
		expect(ambiguous.kind === 'failed' && ambiguous.error).toMatch(/plusieurs documents.*412/);
	});

	it('quotes the server’s OperationOutcome as one clean sentence', async () => {
		const id = await validatedDecision();
		const { docRef } = await documentsOf(id);
		// The fake's diagnostics end with a full stop, as most servers' do.
		fake.failNext({ status: 500 }, { status: 412 });
		const target = { baseUrl: fake.url, token: null };
		const errors = [
			await postDocumentReference(target, docRef, id),
			await postDocumentReference(target, docRef, id)
		].map((r) => (r.kind === 'delivered' ? '' : r.error));
		expect(errors[0]).toBe('Le serveur du dossier patient a répondu 500 : Erreur injectée 500.');
		expect(errors[1]).toMatch(/412\) : vérification manuelle nécessaire : Erreur injectée 412\.$/);
	});

	it('sends the bearer token when one is configured', async () => {
		const guarded = await startFhirFake({ token: 'secret-token' });
		try {
			const id = await validatedDecision();
			const { docRef } = await documentsOf(id);
			expect(
				await postDocumentReference({ baseUrl: guarded.url, token: null }, docRef, id)
			).toMatchObject({
				kind: 'retry',
				error: expect.stringMatching(/401.*FHIR_TOKEN/)
			});
			expect(
				await postDocumentReference({ baseUrl: guarded.url, token: 'secret-token' }, docRef, id)
			).toMatchObject({ kind: 'delivered' });
		} finally {
			await guarded.close();
		}
	});
});

const FR = 'https://hl7.fr/ig/fhir/core';

describe('FR Core: the profiles are claimed and met', () => {
	it('Patient INS (type, system, birthplace, reliability), Practitioner IDNPS, Organization FINESS', async () => {
		const { bundle, data } = await documentsOf(await validatedDecision());
		const of = <T extends Resource['resourceType']>(t: T) =>
			bundle.entry!.find((e) => e.resource?.resourceType === t)!.resource as Extract<
				Resource,
				{ resourceType: T }
			>;
		const patient = of('Patient');
		expect(patient.meta?.profile).toEqual([`${FR}/StructureDefinition/fr-core-patient-ins`]);
		expect(patient.identifier?.[0]).toEqual({
			use: 'official',
			system: 'urn:oid:1.2.250.1.213.1.4.10',
			value: data.patient.insMatricule,
			type: { coding: [{ system: `${FR}/CodeSystem/fr-core-cs-v2-0203`, code: 'INS-NIR-TEST' }] }
		});
		const birthPlace = patient.extension?.find(
			(e) => e.url === 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace'
		);
		expect(birthPlace?.valueAddress?.extension?.[0]).toMatchObject({
			url: `${FR}/StructureDefinition/fr-core-address-insee-code`,
			valueCoding: { code: data.patient.birthplaceCode }
		});
		expect(
			patient.extension?.find(
				(e) => e.url === `${FR}/StructureDefinition/fr-core-identity-reliability`
			)?.extension?.[0]?.valueCoding?.code
		).toBe('VALI');
		const practitioner = of('Practitioner');
		expect(practitioner.meta?.profile).toEqual([`${FR}/StructureDefinition/fr-core-practitioner`]);
		expect(practitioner.identifier?.[0]).toMatchObject({
			type: { coding: [{ code: 'IDNPS' }] },
			system: 'urn:oid:1.2.250.1.71.4.2.1',
			value: `8${data.validator!.rpps}`
		});
		const org = of('Organization');
		expect(org.meta?.profile).toEqual([`${FR}/StructureDefinition/fr-core-organization`]);
		expect(org.identifier?.map((i) => [i.type?.coding?.[0]?.code, i.system, i.value])).toEqual([
			['IDNST', 'urn:oid:1.2.250.1.71.4.2.2', `1${data.establishment!.finess}`],
			['FINEG', 'urn:oid:1.2.250.1.71.4.2.2', data.establishment!.finess]
		]);
		for (const r of [patient, practitioner, org])
			expect(validateFhir(r), r.resourceType).toEqual([]);
	});

	it('an identity not qualified claims FR Core Patient, not Patient INS, and carries no INS', async () => {
		const id = await validatedDecision();
		await db
			.update(patients)
			.set({ identityStatus: 'validated' })
			.where(eq(patients.id, world.patientId));
		try {
			const { bundle } = await documentsOf(id);
			const patient = bundle.entry!.find((e) => e.resource?.resourceType === 'Patient')!.resource!;
			expect(patient.meta?.profile).toEqual([`${FR}/StructureDefinition/fr-core-patient`]);
			expect(JSON.stringify(patient)).not.toContain('INS-NIR');
		} finally {
			await db
				.update(patients)
				.set({ identityStatus: 'qualified' })
				.where(eq(patients.id, world.patientId));
		}
	});
});

describe('the document’s resources, searchable on the record (transaction)', () => {
	it('a valid transaction of conditional updates: Patient, Practitioner, Composition found by identifier, once', async () => {
		const id = await validatedDecision();
		const { data, bundle, docRef } = await documentsOf(id);
		const tx = buildRecordTransaction(data, bundle, docRef, false);
		expect(validateFhir(tx)).toEqual([]);
		expect(
			tx.entry!.every((e) => e.request?.method === 'PUT' && e.request.url.includes('?identifier='))
		).toBe(true);
		const target = { baseUrl: fake.url, token: null };
		expect(await postRecordTransaction(target, tx)).toMatchObject({ kind: 'delivered' });
		expect(await postRecordTransaction(target, tx)).toMatchObject({ kind: 'delivered' });
		const ins = `urn:oid:${data.patient.insOid}|${data.patient.insMatricule}`;
		const [patient] = fake.findResources('Patient', ins);
		expect(fake.findResources('Patient', ins)).toHaveLength(1);
		expect(
			fake.findResources('Practitioner', `urn:oid:1.2.250.1.71.4.2.1|8${data.validator!.rpps}`)
		).toHaveLength(1);
		const compositions = fake.findResources(
			'Composition',
			`urn:ietf:rfc:3986|urn:uuid:${data.caseInfo.id}`
		);
		expect(compositions).toHaveLength(1);
		// The server's ids replace the document's urn:uuid references.
		expect((compositions[0] as { subject?: { reference?: string } }).subject?.reference).toBe(
			`Patient/${patient!.id}`
		);
	});

	it('on amendment the new DocumentReference replaces the old, which becomes superseded', async () => {
		const m = await world.newMeeting();
		const c = await world.newCase(m);
		await world.checkIn(m, world.quorumPeople);
		const v1 = await validateDecision(c, m, proposal(), world.chair);
		if (!v1.ok) throw new Error(v1.message);
		const target = { baseUrl: fake.url, token: null };
		const first = await documentsOf(v1.decisionId);
		await postDocumentReference(target, first.docRef, v1.decisionId);
		const v2 = await amendDecision(
			c,
			proposal({ text: 'Chirurgie d’emblée.' }),
			'Relecture de l’IRM',
			world.chair
		);
		if (!v2.ok) throw new Error(v2.message);
		const second = await documentsOf(v2.decisionId);
		expect(second.docRef.relatesTo).toEqual([
			{
				code: 'replaces',
				target: { identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${v1.decisionId}` } }
			}
		]);
		await postDocumentReference(target, second.docRef, v2.decisionId);
		const tx = buildRecordTransaction(second.data, second.bundle, second.docRef, false);
		expect(validateFhir(tx)).toEqual([]);
		expect(await postRecordTransaction(target, tx)).toMatchObject({ kind: 'delivered' });
		const [old] = fake.findByIdentifier(`urn:ietf:rfc:3986|urn:uuid:${v1.decisionId}`);
		const [current] = fake.findByIdentifier(`urn:ietf:rfc:3986|urn:uuid:${v2.decisionId}`);
		expect(old).toMatchObject({ status: 'superseded' });
		expect(current).toMatchObject({ status: 'current', docStatus: 'amended' });
		expect(validateFhir(old as unknown as Resource)).toEqual([]);
	});
});

// The same client against a real FHIR R4 server, when one is given (e.g. a HAPI FHIR test instance).
const realUrl = process.env.FHIR_TEST_URL;
if (!realUrl) {
	console.info('[fhir] FHIR_TEST_URL non défini : le test contre un vrai serveur FHIR est ignoré.');
}
describe.skipIf(!realUrl)('against a real FHIR server (FHIR_TEST_URL)', () => {
	it('creates once, then finds it already there', async () => {
		const id = await validatedDecision();
		const { docRef } = await documentsOf(id);
		const target = {
			baseUrl: realUrl!.replace(/\/$/, ''),
			token: process.env.FHIR_TEST_TOKEN ?? null
		};
		expect(await postDocumentReference(target, docRef, id, 30_000)).toMatchObject({
			kind: 'delivered'
		});
		expect(await postDocumentReference(target, docRef, id, 30_000)).toMatchObject({
			kind: 'delivered'
		});
		const search = await fetch(
			`${target.baseUrl}/DocumentReference?identifier=${encodeURIComponent(`urn:ietf:rfc:3986|urn:uuid:${id}`)}`,
			{ headers: { accept: 'application/fhir+json' } }
		);
		const found = (await search.json()) as Bundle;
		expect(found.entry?.length ?? found.total).toBe(1);
	});
});
