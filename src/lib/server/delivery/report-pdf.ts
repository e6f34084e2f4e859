import { create as createFont } from 'fontkit';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { formatIns } from '$lib/domain/ins';
import { sanitizeDeep } from '$lib/domain/text-sanitize';
import { formatParisDate, formatParisDateTime } from '$lib/domain/schedule';
import { getSpecialtyLabel } from '$lib/domain/specialties';
import {
	describePatientIdentity,
	describeStoredQuorum,
	groupAttendeesBySpecialty,
	type DecisionDocumentData
} from './document-data';

/**
 * The fiche RCP (one decision version) and the minutes of a meeting, as printable A4 PDFs.
 * DejaVu Sans is embedded (subset) so accents, « », œ and the narrow spaces of French
 * typography print everywhere. The fonts are parsed once per process: parsing them for each
 * document would cost more than the document itself.
 */

type Doc = InstanceType<typeof PDFDocument>;

const REGULAR = 'Regular';
const BOLD = 'Bold';
const MARGIN = 50;
const INK = '#1b1f24';
const MUTED = '#4a5361';

let fonts: { regular: object; bold: object } | undefined;

function loadFonts(): { regular: object; bold: object } {
	if (!fonts) {
		const require = createRequire(import.meta.url);
		const read = (file: string) =>
			createFont(readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${file}`)));
		fonts = { regular: read('DejaVuSans.ttf'), bold: read('DejaVuSans-Bold.ttf') };
	}
	return fonts;
}

/** The structure tree's root of each document being written (tagged PDF). */
const roots = new WeakMap<Doc, ReturnType<Doc['struct']>>();

/**
 * Every text written goes in the structure tree (a paragraph unless told otherwise), so a
 * screen reader reads the fiche in order; a call may pass `structParent: undefined` to write
 * an artifact (the page footer).
 */
function tagEveryText(doc: Doc, root: ReturnType<Doc['struct']>): void {
	type Text = (str: unknown, x?: unknown, y?: unknown, options?: object) => Doc;
	const text = doc.text.bind(doc) as unknown as Text;
	const tag = { structParent: root, structType: 'P' };
	const tagged: Text = (str, x, y, options) =>
		typeof x === 'object' && x !== null
			? text(str, { ...tag, ...x })
			: x === undefined
				? text(str, tag)
				: text(str, x, y, { ...tag, ...(options ?? {}) });
	(doc as unknown as { text: Text }).text = tagged;
}

function newDocument(title: string, createdAt: Date): Doc {
	const f = loadFonts();
	const doc = new PDFDocument({
		// PDF/A-2b (ISO 19005-2) for archiving, tagged for screen readers (PDF 1.7).
		pdfVersion: '1.7',
		subset: 'PDF/A-2b',
		tagged: true,
		size: 'A4',
		margins: { top: MARGIN, bottom: MARGIN + 10, left: MARGIN, right: MARGIN },
		bufferPages: true,
		// No default Helvetica: every text uses the embedded font.
		font: null as unknown as string,
		lang: 'fr-FR',
		displayTitle: true,
		info: {
			Title: title,
			Author: 'Pluri',
			Creator: 'Pluri',
			// A fixed date makes the same decision give the same bytes, whoever renders it.
			CreationDate: createdAt,
			ModDate: createdAt
		}
	});
	// pdfkit takes a parsed fontkit font as well as a file; its typings only know the latter.
	doc.registerFont(REGULAR, f.regular as unknown as string);
	doc.registerFont(BOLD, f.bold as unknown as string);
	doc.font(REGULAR).fontSize(10).fillColor(INK);
	const root = doc.struct('Document');
	doc.addStructure(root);
	roots.set(doc, root);
	tagEveryText(doc, root);
	return doc;
}

function finish(doc: Doc, footer: string): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		doc.on('data', (c: Buffer) => chunks.push(c));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
		const range = doc.bufferedPageRange();
		for (let i = range.start; i < range.start + range.count; i++) {
			doc.switchToPage(i);
			const bottom = doc.page.height - MARGIN + 5;
			// Writing below the bottom margin would start a new page: lift the margin for the footer.
			const saved = doc.page.margins.bottom;
			doc.page.margins.bottom = 0;
			doc.markContent('Artifact', { type: 'Pagination' });
			doc
				.font(REGULAR)
				.fontSize(8)
				.fillColor(MUTED)
				.text(`${footer} — page ${i + 1 - range.start} sur ${range.count}`, MARGIN, bottom, {
					width: doc.page.width - 2 * MARGIN,
					align: 'center',
					lineBreak: false,
					structParent: undefined
				});
			doc.endMarkedContent();
			doc.page.margins.bottom = saved;
		}
		roots.get(doc)?.end();
		doc.end();
	});
}

function heading(doc: Doc, text: string): void {
	doc.moveDown(0.6);
	if (doc.y > doc.page.height - 140) doc.addPage();
	const width = doc.page.width - 2 * MARGIN;
	doc
		.font(BOLD)
		.fontSize(11.5)
		.fillColor(INK)
		.text(text, MARGIN, doc.y, { width, structType: 'H2' });
	const y = doc.y + 1;
	// The rule under a heading is decoration: an artifact, not content.
	doc.markContent('Artifact', { type: 'Layout' });
	doc
		.moveTo(MARGIN, y)
		.lineTo(MARGIN + width, y)
		.lineWidth(0.6)
		.strokeColor('#c9ced6')
		.stroke();
	doc.endMarkedContent();
	doc.moveDown(0.35);
}

function field(doc: Doc, label: string, value: string | null | undefined): void {
	doc
		.font(BOLD)
		.fontSize(10)
		.fillColor(INK)
		.text(`${label} : `, MARGIN, doc.y, { continued: true, width: doc.page.width - 2 * MARGIN })
		.font(REGULAR)
		.text(value?.trim() ? value : '—');
}

function paragraph(doc: Doc, text: string): void {
	doc
		.font(REGULAR)
		.fontSize(10)
		.fillColor(INK)
		.text(text.trim() || '—', MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN });
}

function insLabel(p: DecisionDocumentData['patient']): string | null {
	if (!p.insMatricule) return null;
	const kind =
		p.insOid === '1.2.250.1.213.1.4.8'
			? 'NIR'
			: p.insOid === '1.2.250.1.213.1.4.9'
				? 'NIA'
				: p.insOid === '1.2.250.1.213.1.4.11'
					? 'démonstration'
					: 'test';
	return `${formatIns(p.insMatricule)} (INS ${kind}, OID ${p.insOid ?? 'inconnu'})`;
}

const identityLabels: Record<string, string> = {
	provisional: 'provisoire',
	retrieved: 'récupérée',
	validated: 'validée',
	qualified: 'qualifiée'
};

/** The body of one fiche: used alone (the fiche RCP) and once per case in the minutes. */
function drawDecision(doc: Doc, data: DecisionDocumentData): void {
	const { decision: d, patient: p, meeting: m } = data;
	const width = doc.page.width - 2 * MARGIN;
	const est = data.establishment;
	doc
		.font(BOLD)
		.fontSize(9)
		.fillColor(MUTED)
		.text(est ? `${est.name} — ${est.city} — FINESS ${est.finess}` : 'Réseau RCP', MARGIN, doc.y, {
			width
		});
	doc.moveDown(0.3);
	doc
		.font(BOLD)
		.fontSize(15)
		.fillColor(INK)
		.text('Fiche de réunion de concertation pluridisciplinaire', { width, structType: 'H1' });
	doc
		.font(REGULAR)
		.fontSize(11)
		.text(`${data.pathway.name}${m ? ` — séance du ${formatParisDateTime(m.startsAt)}` : ''}`, {
			width
		});
	if (m) doc.fontSize(9).fillColor(MUTED).text(`Lieu : ${m.place}`, { width });
	doc.fontSize(9).fillColor(MUTED).text(`Version ${d.version} de la proposition`, { width });
	if (d.amendReason) {
		doc
			.font(BOLD)
			.fillColor(INK)
			.text(`Amendement de la version ${d.version - 1}. Motif : `, { continued: true, width })
			.font(REGULAR)
			.text(d.amendReason);
	}

	heading(doc, 'Patient');
	field(doc, 'Identité', describePatientIdentity(p));
	field(doc, 'Sexe', p.sex === 'F' ? 'féminin' : p.sex === 'M' ? 'masculin' : 'indéterminé');
	field(doc, 'Lieu de naissance (code INSEE)', p.birthplaceCode);
	field(doc, 'Matricule INS', insLabel(p) ?? 'non renseigné');
	field(doc, 'Statut de l’identité', identityLabels[p.identityStatus] ?? p.identityStatus);

	heading(doc, 'Demande');
	field(doc, 'Demandeur', data.requester.name);
	if (data.caseInfo.referringName) field(doc, 'Médecin référent', data.caseInfo.referringName);
	field(doc, 'Médecin traitant', data.caseInfo.gpName);
	field(doc, 'Question posée', data.caseInfo.question);
	doc.font(BOLD).text('Résumé clinique :', MARGIN, doc.y, { width });
	paragraph(doc, data.caseInfo.summary);

	if (data.caseInfo.tnm || data.caseInfo.facts.length) {
		heading(doc, 'Données de la filière');
		if (data.caseInfo.tnm) field(doc, 'Stade TNM', data.caseInfo.tnm);
		for (const f of data.caseInfo.facts) field(doc, f.label, f.value);
	}

	heading(doc, 'Participants et quorum');
	field(doc, 'Quorum à la validation', describeStoredQuorum(d));
	const groups = groupAttendeesBySpecialty(d.attendees);
	if (!groups.length) paragraph(doc, 'Aucun participant enregistré.');
	for (const g of groups) field(doc, g.specialty, g.names.join(', '));

	heading(doc, 'Proposition thérapeutique');
	field(doc, 'Type(s) de proposition', d.proposals.map((x) => x.label).join(', '));
	paragraph(doc, d.text);
	doc.moveDown(0.3);
	field(doc, 'Conformité au référentiel', d.conformityLabel ?? 'non précisée');
	if (d.justification) field(doc, 'Justification', d.justification);
	field(
		doc,
		'Essai clinique',
		d.trialProposed ? `proposé — ${d.trialName ?? ''}` : 'pas d’essai clinique proposé'
	);
	if (d.followUp) field(doc, 'Suivi', d.followUp);

	heading(doc, 'Validation');
	const who = data.validator
		? `${data.validator.name}${data.validator.rpps ? ` (RPPS ${data.validator.rpps})` : ''}${
				data.validator.specialty ? `, ${getSpecialtyLabel(data.validator.specialty)}` : ''
			}`
		: '—';
	if (d.status === 'provisional') {
		paragraph(
			doc,
			`Avis provisoire enregistré par ${who}${d.validatedAt ? ` le ${formatParisDateTime(d.validatedAt)}` : ''}. Le quorum n’étant pas atteint, le dossier sera présenté de nouveau à la prochaine séance.`
		);
	} else if (d.validatedAt) {
		paragraph(
			doc,
			`Proposition validée par ${who}, président(e) de séance, le ${formatParisDateTime(d.validatedAt)}.`
		);
	} else {
		paragraph(doc, 'Proposition en cours de rédaction : non validée.');
	}
	doc.moveDown(0.5);
	doc
		.font(REGULAR)
		.fontSize(8)
		.fillColor(MUTED)
		.text(
			'La proposition thérapeutique de la RCP est un avis ; la décision de traitement appartient au médecin et au patient, informé de cette proposition.',
			MARGIN,
			doc.y,
			{ width }
		);
	doc.fillColor(INK);
}

function footerName(p: DecisionDocumentData['patient']): string {
	return `${p.birthName} ${p.firstNames[0] ?? ''} (${p.birthDate.slice(0, 4)})`;
}

/** The fiche RCP of one decision version. */
export function renderDecisionPdf(data: DecisionDocumentData): Promise<Buffer> {
	data = sanitizeDeep(data); // no control or bidi character reaches the PDF text
	const at = data.decision.validatedAt ?? data.meeting?.startsAt ?? new Date(0);
	const doc = newDocument(
		`Fiche RCP — ${data.pathway.name} — ${footerName(data.patient)} — version ${data.decision.version}`,
		at
	);
	drawDecision(doc, data);
	return finish(doc, `Fiche RCP — ${footerName(data.patient)} — version ${data.decision.version}`);
}

export interface MinutesInput {
	pathwayName: string;
	establishment: { name: string; city: string; finess: string } | null;
	meeting: { startsAt: Date; place: string; chairName: string | null; status: string };
	/** Every case of the agenda, in order, with its latest decision when it has one. */
	cases: {
		position: number;
		patient: string;
		question: string;
		outcome: string;
		data: DecisionDocumentData | null;
	}[];
	generatedAt: Date;
}

/** The minutes of a meeting: the agenda with each outcome, then one fiche per decided case. */
export function renderMinutesPdf(input: MinutesInput): Promise<Buffer> {
	input = sanitizeDeep(input); // no control or bidi character reaches the PDF text
	const doc = newDocument(
		`Compte rendu — ${input.pathwayName} — ${formatParisDate(input.meeting.startsAt)}`,
		input.generatedAt
	);
	const width = doc.page.width - 2 * MARGIN;
	const est = input.establishment;
	doc
		.font(BOLD)
		.fontSize(9)
		.fillColor(MUTED)
		.text(est ? `${est.name} — ${est.city} — FINESS ${est.finess}` : 'Réseau RCP', { width });
	doc.moveDown(0.3);
	doc.font(BOLD).fontSize(15).fillColor(INK).text('Compte rendu de séance', { width });
	doc
		.font(REGULAR)
		.fontSize(11)
		.text(`${input.pathwayName} — séance du ${formatParisDateTime(input.meeting.startsAt)}`, {
			width
		});
	doc.fontSize(9).fillColor(MUTED).text(`Lieu : ${input.meeting.place}`, { width });
	if (input.meeting.chairName) doc.text(`Présidence : ${input.meeting.chairName}`, { width });
	doc.text(`Document établi le ${formatParisDateTime(input.generatedAt)}`, { width });

	const attendees = new Map<string, string>();
	for (const c of input.cases) {
		for (const a of c.data?.decision.attendees ?? []) attendees.set(a.name, a.specialty ?? '');
	}
	heading(doc, 'Participants');
	if (!attendees.size) paragraph(doc, 'Aucun participant enregistré.');
	for (const g of groupAttendeesBySpecialty(
		[...attendees].map(([name, specialty]) => ({
			name,
			specialty: specialty || null,
			sector: null,
			rpps: null,
			source: 'check_in'
		}))
	)) {
		field(doc, g.specialty, g.names.join(', '));
	}

	heading(doc, `Ordre du jour (${input.cases.length} dossier${input.cases.length > 1 ? 's' : ''})`);
	if (!input.cases.length) paragraph(doc, 'Aucun dossier à l’ordre du jour.');
	for (const c of input.cases) {
		doc
			.font(BOLD)
			.fontSize(10)
			.fillColor(INK)
			.text(`${c.position}. ${c.patient}`, MARGIN, doc.y, { width });
		doc.font(REGULAR).text(`Question : ${c.question}`, { width, indent: 12 });
		doc.text(`Issue : ${c.outcome}`, { width, indent: 12 });
		doc.moveDown(0.3);
	}
	for (const c of input.cases) {
		if (!c.data) continue;
		doc.addPage();
		drawDecision(doc, c.data);
	}
	return finish(
		doc,
		`Compte rendu — ${input.pathwayName} — ${formatParisDate(input.meeting.startsAt)}`
	);
}
