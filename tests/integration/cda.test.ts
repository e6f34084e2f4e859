import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { eq } from 'drizzle-orm';
import { unzipSync } from 'fflate';
import { createHash } from 'node:crypto';
import { findAll, getAttributeValue, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cases, establishments, outbox, patients, users } from '$lib/server/db/schema';
import { buildFicheRcpCda, cdaDocumentId, cdaSetId } from '$lib/server/delivery/cda';
import { resendWithCda } from '$lib/server/delivery/cda-resend';
import { loadDecisionDocumentData } from '$lib/server/delivery/document-data';
import { listPathwayDeliveries } from '$lib/server/delivery/outbox';
import { loadDecisionPdf } from '$lib/server/delivery/pdf-store';
import { drainDeliveries } from '$lib/server/delivery/worker';
import { resetMailTransport } from '$lib/server/mail';
import { migratedDb, queryOne } from '../support/db';
import { startFhirFake, type FhirFake } from '../support/fhir-fake.js';
import { startSmtpCatcher, type SmtpCatcher } from '../support/smtp';
import { createDecisionWorld, proposal } from './decisions-fixtures';
import { amendDecision } from '$lib/server/decision-amendment';
import { validateDecision } from '$lib/server/decision-validation';

/**
 * The Fiche RCP (CDA R2, volet CANCER-FRCP 2022.01) built from real decisions, checked by the
 * official ANS validators (`../shared/validators/cda/check-cda`: CDA XSD + four schematrons)
 * when they are on the machine. Each document must pass with 0 failed assertions.
 */

const db = await migratedDb();
const world = await createDecisionWorld(db);
const checker = resolve(process.cwd(), '../shared/validators/cda/check-cda');
const saxon = '/usr/share/java/Saxon-HE.jar';
const haveChecker = existsSync(checker) && existsSync(saxon);
if (!haveChecker) {
	console.warn(
		`[cda.test] ANS validators skipped: ${existsSync(checker) ? `${saxon} missing (apt-get install libsaxonhe-java libxml2-utils)` : `${checker} not found (../shared absent)`}.`
	);
}
const dir = mkdtempSync(join(tmpdir(), 'pluri-cda-'));
afterAll(() => {
	if (!process.env.PLURI_KEEP_CDA) rmSync(dir, { recursive: true, force: true });
});

type CaseOver = Parameters<typeof world.newCase>[1];
const baseData = {
	primarySite: 'C20',
	histology: 'Adénocarcinome lieberkühnien',
	phase: 'initial',
	cT: 'T3',
	cN: 'N1',
	cM: 'M0',
	who: '1'
};

async function validated(
	over: CaseOver = {},
	content = proposal()
): Promise<{ caseId: string; decisionId: string }> {
	const m = await world.newMeeting();
	const c = await world.newCase(m, over);
	await world.checkIn(m, world.quorumPeople);
	const r = await validateDecision(c, m, content, world.chair);
	if (!r.ok) throw new Error(r.message);
	return { caseId: c, decisionId: r.decisionId };
}

async function fiche(decisionId: string) {
	const data = (await loadDecisionDocumentData(decisionId))!;
	const pdf = await loadDecisionPdf(decisionId, data);
	return { data, result: buildFicheRcpCda(data, pdf ?? undefined) };
}

const written: string[] = [];
async function produce(name: string, decisionId: string): Promise<string> {
	const { result } = await fiche(decisionId);
	if (!result.ok) throw new Error(result.reasons.join(' '));
	const file = join(dir, `${name}.xml`);
	writeFileSync(file, result.xml);
	written.push(file);
	return result.xml;
}

describe('the Fiche RCP CDA of validated oncology decisions', () => {
	it('carries the header the volet asks: templates, LOINC 34794-8, INS, RPPS, FINESS, version 1', async () => {
		const { decisionId, caseId } = await validated({ pathwayData: baseData });
		const xml = await produce('tnm-complete', decisionId);
		expect(xml).toContain('<templateId root="1.2.250.1.213.1.1.1.8" extension="2022.01"/>');
		expect(xml).toContain('code="34794-8"');
		expect(xml).toContain(`<id root="${cdaDocumentId(decisionId)}"/>`);
		expect(xml).toContain(`<setId root="${cdaSetId(caseId)}"/>`);
		expect(xml).toContain('<versionNumber value="1"/>');
		expect(xml).toContain('<languageCode code="fr-FR"/>');
		const p = (await queryOne(db.select().from(patients).where(eq(patients.id, world.patientId))))!;
		expect(xml).toContain(`<id root="${p.insOid}" extension="${p.insMatricule}"/>`);
		const chair = (await queryOne(db.select().from(users).where(eq(users.id, world.chairId))))!;
		expect(xml).toContain(`extension="8${chair.rpps}"`);
		expect(xml).toMatch(/root="1\.2\.250\.1\.71\.4\.2\.2" extension="171009\d{4}"/);
		expect(xml).toContain('code="21905-5"');
		expect(xml).toContain('code="T3"');
		expect(xml).toContain('code="MED-264"');
		expect(xml).toContain('code="ORG-126"');
		expect(xml).not.toContain('relatedDocument');
		expect(xml).toContain('representation="B64"');
	});

	it('partial TNM: the unknown axis is said unknown, not invented', async () => {
		const { decisionId } = await validated({
			pathwayData: { ...baseData, cN: '', cM: '', who: '' }
		});
		const xml = await produce('tnm-partial', decisionId);
		expect(xml).toContain('code="T3"');
		expect((xml.match(/<value xsi:type="CD" nullFlavor="UNK"\/>/g) ?? []).length).toBe(2);
		expect(xml).not.toContain('MED-239');
	});

	it('off-guideline with its justification, a trial, thoracic site and escaped free text', async () => {
		const { decisionId } = await validated(
			{
				question: 'Chirurgie <ou> radiothérapie & chimiothérapie ?',
				pathwayData: { ...baseData, primarySite: 'C34.1', phase: 'relapse', who: '2' }
			},
			proposal({
				proposalTypes: ['immunotherapy', 'further_investigations'],
				conformity: 'off_guideline',
				justification: 'Patient « fragile » : <contre-indication> au cisplatine & carboplatine.',
				trialProposed: true,
				trialName: 'ESSAI-PLURI-01'
			})
		);
		const xml = await produce('off-guideline-trial', decisionId);
		expect(xml).toContain('Chirurgie &lt;ou&gt; radiothérapie &amp; chimiothérapie ?');
		expect(xml).toContain('&lt;contre-indication&gt; au cisplatine &amp; carboplatine');
		expect(xml).toContain('ESSAI-PLURI-01');
		expect(xml).toMatch(/negationInd="true"[^>]*>(?:(?!<\/observation>).)*MED-249/s);
		expect(xml).toContain('code="MED-255"');
		expect(xml).toContain('code="MED-244"');
		expect(xml).toContain('code="ORG-064"');
		expect(xml).toMatch(/code="MED-250"[^]*?<value xsi:type="BL" value="true"\/>/);
	});

	it('an amendment: same setId, version 2, replacing the first document (RPLC)', async () => {
		const { caseId, decisionId: first } = await validated({
			pathwayData: { ...baseData, primarySite: 'C50.9' }
		});
		const r = await amendDecision(
			caseId,
			proposal({ proposalTypes: ['hormone_therapy', 'surgery'] }),
			'Résultat anatomopathologique reçu après la séance.',
			world.chair
		);
		if (!r.ok) throw new Error(r.message);
		const xml = await produce('amendment', r.decisionId);
		expect(xml).toContain(`<setId root="${cdaSetId(caseId)}"/>`);
		expect(xml).toContain('<versionNumber value="2"/>');
		expect(xml).toContain(
			`<relatedDocument typeCode="RPLC"><parentDocument><id root="${cdaDocumentId(first)}"/>`
		);
		expect(xml).toContain('code="C547"');
	});

	it('no CDA for a provisional opinion (quorum not reached)', async () => {
		const m = await world.newMeeting();
		const c = await world.newCase(m, { pathwayData: baseData });
		await world.checkIn(m, [world.chairId]);
		const r = await validateDecision(c, m, proposal(), world.chair);
		if (!r.ok) throw new Error(r.message);
		const { result } = await fiche(r.decisionId);
		expect(result).toMatchObject({ ok: false });
		expect(!result.ok && result.reasons.join(' ')).toMatch(/avis provisoire/);
	});

	it('holds the CDA back, with French reasons, for a case without TNM or an unqualified identity', async () => {
		const { decisionId } = await validated({
			pathwayData: { ...baseData, cT: '', cN: '', cM: '' }
		});
		const noTnm = await fiche(decisionId);
		expect(noTnm.result).toMatchObject({ ok: false });
		expect(!noTnm.result.ok && noTnm.result.reasons.join(' ')).toMatch(/stade TNM clinique/);

		const { decisionId: other, caseId } = await validated({ pathwayData: baseData });
		const patientId = (await queryOne(db.select().from(cases).where(eq(cases.id, caseId))))!
			.patientId;
		await db
			.update(patients)
			.set({ identityStatus: 'validated' })
			.where(eq(patients.id, patientId));
		try {
			const unqualified = await fiche(other);
			expect(!unqualified.result.ok && unqualified.result.reasons.join(' ')).toMatch(
				/identité du patient n’est pas qualifiée/
			);
		} finally {
			await db
				.update(patients)
				.set({ identityStatus: 'qualified' })
				.where(eq(patients.id, patientId));
		}
	});

	it.skipIf(!haveChecker)(
		'every fiche passes the ANS validators (XSD, frcp, modeles, ans, ihe) with 0 failed assertions',
		async () => {
			expect(written.length).toBeGreaterThanOrEqual(4);
			const run = promisify(execFile);
			const check = (files: string[]) =>
				run(checker, files, { maxBuffer: 16 * 1024 * 1024 }).then(
					(r) => ({ code: 0, text: r.stdout }),
					(e: { code: number; stdout: string }) => ({ code: e.code, text: e.stdout })
				);
			// Two validators at once: each spends most of its time in one JVM thread.
			const half = Math.ceil(written.length / 2);
			const parts = await Promise.all([check(written.slice(0, half)), check(written.slice(half))]);
			const out = {
				code: Math.max(...parts.map((p) => p.code)),
				text: parts.map((p) => p.text).join('')
			};
			const fired = [...out.text.matchAll(/: (\w+): (\d+) rules fired, (\d+) failed/g)];
			const total = fired.reduce((n, m) => n + Number(m[2]), 0);
			console.info(
				`[cda.test] ANS validators: ${written.length} documents, ${fired.length} schematron runs, ${total} rules fired, result: ${parts.map((p) => p.text.trim().split('\n').at(-1)).join(' ; ')}`
			);
			expect(out.text).not.toMatch(/FAIL|XSD:/);
			expect(fired.length).toBe(written.length * 4);
			expect(out.code).toBe(0);
		},
		900_000
	);
});

/** Reads the XDM zip back with another XML implementation (htmlparser2 in XML mode). */
function readXdm(zip: Uint8Array) {
	const files = unzipSync(zip);
	const text = (name: string) => new TextDecoder().decode(files[name]);
	const dom = parseDocument(text('IHE_XDM/SUBSET01/METADATA.XML'), { xmlMode: true });
	const all = (name: string, root: Parameters<typeof findAll>[1] = dom.children) =>
		findAll((e) => e.name === name, root);
	const slot = (owner: Element, name: string): string[] =>
		all('rim:Slot', owner.children)
			.filter((x) => getAttributeValue(x, 'name') === name)
			.flatMap((x) => all('rim:Value', x.children).map((v) => textContent(v)));
	const classified = (owner: Element, scheme: string) => {
		const c = all('rim:Classification', owner.children).find(
			(x) => getAttributeValue(x, 'classificationScheme') === scheme
		);
		return c
			? { code: getAttributeValue(c, 'nodeRepresentation'), scheme: slot(c, 'codingScheme')[0] }
			: null;
	};
	const external = (owner: Element, scheme: string) =>
		getAttributeValue(
			all('rim:ExternalIdentifier', owner.children).find(
				(x) => getAttributeValue(x, 'identificationScheme') === scheme
			)!,
			'value'
		);
	return { files, text, all, slot, classified, external, docs: all('rim:ExtrinsicObject') };
}

const SCHEME = {
	class: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
	conf: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
	format: 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
	facility: 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
	practice: 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
	type: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
	author: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d',
	uniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab'
};

describe('delivered with the fiche: the XDM a DMP-compatible reader accepts, and the CDA held back', () => {
	let fhir: FhirFake;
	let smtp: SmtpCatcher;
	beforeAll(async () => {
		fhir = await startFhirFake();
		smtp = await startSmtpCatcher();
		process.env.FHIR_BASE_URL = fhir.url;
		process.env.SMTP_URL = smtp.url;
		resetMailTransport();
		// Earlier tests of this file queued rows with no server behind them.
		await db.update(outbox).set({ status: 'failed' });
	});
	afterAll(async () => {
		delete process.env.FHIR_BASE_URL;
		delete process.env.SMTP_URL;
		resetMailTransport();
		await fhir.close();
		await smtp.close();
	});
	const policy = { baseMs: 1000, capMs: 8000, maxAttempts: 4 };
	const mailsOf = (rowId: string) => smtp.mails.filter((m) => m.messageId?.includes(rowId));
	const zipOf = (m: (typeof smtp.mails)[number]) =>
		new Uint8Array(m.attachments.find((a) => a.contentType === 'application/zip')!.content);

	it('the CDA is the first document, every metadata string parses as XDS and the CI-SIS expect', async () => {
		const { decisionId } = await validated({ pathwayData: baseData });
		await drainDeliveries({ policy });
		const mailRows = await db.select().from(outbox).where(eq(outbox.decisionId, decisionId));
		expect(mailRows.every((r) => r.status === 'delivered' && r.cdaWithheld === null)).toBe(true);
		const row = mailRows.find((r) => r.channel === 'mail')!;
		const [mail] = mailsOf(row.id);
		expect(mail!.headers.get('x-mss-codecda')).toBe(
			'34794-8^Interdisciplinary conference Note^2.16.840.1.113883.6.1'
		);
		expect(String(mail!.headers.get('x-mss-ins'))).toMatch(
			/^\d{15}\^\^\^&1\.2\.250\.1\.213\.1\.4\.10&ISO\^NH$/
		);
		const x = readXdm(zipOf(mail!));
		const [cda, pdf, json] = x.docs as [Element, Element, Element];
		expect(x.docs.map((d) => getAttributeValue(d, 'mimeType'))).toEqual([
			'text/xml',
			'application/pdf',
			'application/fhir+json'
		]);
		const { result } = await fiche(decisionId);
		expect(result.ok && x.text('IHE_XDM/SUBSET01/DOC0001.XML')).toBe(result.ok && result.xml);
		expect(x.external(cda, SCHEME.uniqueId)).toBe(cdaDocumentId(decisionId));
		expect(x.classified(cda, SCHEME.format)).toEqual({
			code: 'urn:asip:ci-sis:frcp:2011',
			scheme: '1.2.250.1.213.1.1.4.2.282'
		});
		for (const d of [pdf, json]) {
			expect(x.classified(d, SCHEME.format)).toEqual({
				code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient',
				scheme: '1.3.6.1.4.1.19376.1.2.3'
			});
		}
		const est = (await db.select().from(establishments)).find(
			(e) => e.name === 'Centre hospitalier de test'
		)!;
		const chair = (await queryOne(db.select().from(users).where(eq(users.id, world.chairId))))!;
		for (const d of x.docs) {
			expect(x.classified(d, SCHEME.class)).toEqual({
				code: '10',
				scheme: '1.2.250.1.213.1.1.4.1'
			});
			expect(x.classified(d, SCHEME.type)).toEqual({
				code: '34794-8',
				scheme: '2.16.840.1.113883.6.1'
			});
			expect(x.classified(d, SCHEME.conf)).toEqual({ code: 'N', scheme: '2.16.840.1.113883.5.25' });
			expect(x.classified(d, SCHEME.facility)).toEqual({
				code: 'SA01',
				scheme: '1.2.250.1.71.4.2.4'
			});
			expect(x.classified(d, SCHEME.practice)).toEqual({
				code: 'ETABLISSEMENT',
				scheme: '1.2.250.1.213.1.1.4.9'
			});
			const author = x
				.all('rim:Classification', d.children)
				.find((c) => getAttributeValue(c, 'classificationScheme') === SCHEME.author)!;
			const xcn = x.slot(author, 'authorPerson')[0]!.split('^');
			expect(xcn).toHaveLength(13);
			expect([xcn[0], xcn[1], xcn[8], xcn[9], xcn[12]]).toEqual([
				`8${chair.rpps}`,
				chair.lastName.toUpperCase(),
				'&1.2.250.1.71.4.2.1&ISO',
				'D',
				'IDNPS'
			]);
			const xon = x.slot(author, 'authorInstitution')[0]!.split('^');
			expect([xon[0], xon[5], xon[6], xon[9]]).toEqual([
				est.name,
				'&1.2.250.1.71.4.2.2&ISO',
				'IDNST',
				`1${est.finess}`
			]);
			expect(x.slot(author, 'authorSpecialty')[0]).toBe(
				'G15_10/SM36^Médecin - Oncologie, opt médicale (SM)^1.2.250.1.213.1.1.4.5'
			);
			// hash and size are those of the bytes in the zip.
			const bytes = x.files[`IHE_XDM/SUBSET01/${x.slot(d, 'URI')[0]}`]!;
			expect(x.slot(d, 'hash')[0]).toBe(createHash('sha1').update(bytes).digest('hex'));
			expect(x.slot(d, 'size')[0]).toBe(String(bytes.length));
		}
		const recipients = x.slot(x.all('rim:RegistryPackage')[0]!, 'intendedRecipient');
		expect(recipients.length).toBeGreaterThanOrEqual(2);
		for (const r of recipients) {
			const [person, org, telecom] = r.split('|');
			expect([person, org]).toEqual(['', '']);
			expect(telecom).toMatch(/^\^\^Internet\^[^@\s]+@[^@\s]+$/);
		}
		const index = x.text('INDEX.HTM');
		for (const f of ['DOC0001.XML', 'DOC0002.PDF', 'DOC0003.JSN', 'METADATA.XML']) {
			expect(index).toContain(`href="IHE_XDM/SUBSET01/${f}"`);
		}
		expect(index).toContain('href="README.TXT"');
		expect(x.text('README.TXT')).toMatch(/Pluri[\s\S]*FINESS/);
		// The record got the CDA too, with its CI-SIS format.
		const [doc] = fhir.findByIdentifier(`urn:ietf:rfc:3986|urn:uuid:${decisionId}`) as unknown as {
			content: { attachment: { contentType: string }; format?: { code: string } }[];
		}[];
		expect(doc!.content.map((c) => c.attachment.contentType)).toEqual([
			'application/pdf',
			'application/fhir+json',
			'text/xml'
		]);
		expect(doc!.content[2]!.format?.code).toBe('urn:asip:ci-sis:frcp:2011');
	});

	it('no TNM: the PDF still goes, the CDA is held back with its reason; fixed, « renvoyer » sends it', async () => {
		const { caseId, decisionId } = await validated({
			pathwayData: { ...baseData, cT: '', cN: '', cM: '' }
		});
		await drainDeliveries({ policy });
		const rowsOf = async () =>
			await db.select().from(outbox).where(eq(outbox.decisionId, decisionId));
		expect((await rowsOf()).every((r) => r.status === 'delivered')).toBe(true);
		expect(
			(await rowsOf()).every((r) =>
				/CDA\) non transmise.*stade TNM clinique/.test(r.cdaWithheld ?? '')
			)
		).toBe(true);
		const mailRow = (await rowsOf()).find((r) => r.channel === 'mail')!;
		const [first] = mailsOf(mailRow.id);
		expect(first!.messageId).toBe(`<decision-${mailRow.id}-sans-cda@pluri.localhost>`);
		expect(first!.headers.get('x-mss-codecda')).toBeUndefined();
		expect(Object.keys(unzipSync(zipOf(first!)))).not.toContain('IHE_XDM/SUBSET01/DOC0001.XML');
		expect(first!.attachments.some((a) => a.contentType === 'application/pdf')).toBe(true);
		// The coordinator sees why on the deliveries page.
		const line = (await listPathwayDeliveries(world.pathwayId, 'all', world.coordinator)).find(
			(l) => l.id === mailRow.id
		)!;
		expect(line.cdaWithheld).toMatch(/stade TNM clinique \(cT, cN, cM\) n’est pas renseigné/);
		// Not resent while the data still lacks it: an invalid CDA is never sent.
		expect(await resendWithCda(mailRow.id, world.pathwayId, world.coordinator)).toMatchObject({
			ok: false,
			message: expect.stringMatching(/ne peut toujours pas être produite.*TNM/)
		});
		await db.update(cases).set({ pathwayData: baseData }).where(eq(cases.id, caseId));
		for (const r of await rowsOf()) {
			expect(await resendWithCda(r.id, world.pathwayId, world.coordinator)).toEqual({ ok: true });
		}
		await drainDeliveries({ policy });
		expect((await rowsOf()).every((r) => r.status === 'delivered' && r.cdaWithheld === null)).toBe(
			true
		);
		const second = mailsOf(mailRow.id).find(
			(m) => m.messageId === `<decision-${mailRow.id}@pluri.localhost>`
		);
		expect(second).toBeDefined();
		expect(unzipSync(zipOf(second!))['IHE_XDM/SUBSET01/DOC0001.XML']).toBeDefined();
		// The record holds one document for the version, now with the CDA.
		const docs = fhir.findByIdentifier(`urn:ietf:rfc:3986|urn:uuid:${decisionId}`) as unknown as {
			content: unknown[];
		}[];
		expect(docs).toHaveLength(1);
		expect(docs[0]!.content).toHaveLength(3);
	});
});
