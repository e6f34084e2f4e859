import type { Bundle, DocumentReference, Resource } from '@medplum/fhirtypes';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patients } from '$lib/server/db/schema';
import { validateDecision } from '$lib/server/decisions';
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

const db = migratedDb();
const world = createDecisionWorld(db);
let fake: FhirFake;

function validatedDecision(over = {}): string {
	const m = world.newMeeting();
	const c = world.newCase(m);
	world.checkIn(m, world.quorumPeople);
	const r = validateDecision(c, m, proposal(over), world.chair);
	if (!r.ok) throw new Error(r.message);
	return r.decisionId;
}

async function documentsOf(decisionId: string) {
	const data = loadDecisionDocumentData(decisionId)!;
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
			validatedDecision({
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
	});

	it('the validator is not a rubber stamp: it catches a broken resource', async () => {
		const { docRef } = await documentsOf(validatedDecision());
		const broken = { ...docRef, status: 'validated' } as unknown as DocumentReference;
		expect(validateFhir(broken).join()).toMatch(/status/);
		const noContent = { ...docRef, content: [] } as DocumentReference;
		expect(validateFhir(noContent)).not.toEqual([]);
	});

	it('a DocumentReference of type LOINC 34794-8, about the patient by INS, by the chair by RPPS, in the meeting', async () => {
		const id = validatedDecision();
		const { docRef, pdf, bundle, data } = await documentsOf(id);
		expect(docRef.type?.coding?.[0]).toMatchObject({ system: 'http://loinc.org', code: '34794-8' });
		expect(docRef.identifier).toEqual([{ system: 'urn:ietf:rfc:3986', value: `urn:uuid:${id}` }]);
		expect(docRef.subject?.identifier).toMatchObject({
			system: 'urn:oid:1.2.250.1.213.1.4.10',
			value: data.patient.insMatricule
		});
		const chairRpps = data.validator!.rpps!;
		expect(docRef.author?.[0]?.identifier).toEqual({
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
		const id = validatedDecision();
		db.update(patients)
			.set({ identityStatus: 'validated' })
			.where(eq(patients.id, world.patientId))
			.run();
		try {
			const { docRef, bundle } = await documentsOf(id);
			expect(docRef.subject?.identifier?.system).toBe('urn:ietf:rfc:3986');
			expect(JSON.stringify(bundle)).not.toContain('1.2.250.1.213.1.4.10');
			expect(validateFhir(docRef)).toEqual([]);
		} finally {
			db.update(patients)
				.set({ identityStatus: 'qualified' })
				.where(eq(patients.id, world.patientId))
				.run();
		}
	});

	it('the same decision gives the same bytes, whoever renders it', async () => {
		const id = validatedDecision();
		const a = await documentsOf(id);
		const b = await documentsOf(id);
		expect(b.pdf.equals(a.pdf)).toBe(true);
		expect(JSON.stringify(b.docRef)).toBe(JSON.stringify(a.docRef));
		expect(a.pdf.subarray(0, 5).toString()).toBe('%PDF-');
	});
});

describe('conditional create against the contract fake', () => {
	it('201 then 200 for the same decision version, one DocumentReference; 412 when ambiguous', async () => {
		const id = validatedDecision();
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
		const id = validatedDecision();
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
			const id = validatedDecision();
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

// The same client against a real FHIR R4 server, when one is given (e.g. a HAPI FHIR test instance).
const realUrl = process.env.FHIR_TEST_URL;
if (!realUrl) {
	console.info('[fhir] FHIR_TEST_URL non défini : le test contre un vrai serveur FHIR est ignoré.');
}
describe.skipIf(!realUrl)('against a real FHIR server (FHIR_TEST_URL)', () => {
	it('creates once, then finds it already there', async () => {
		const id = validatedDecision();
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
