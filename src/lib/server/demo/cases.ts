import { and, asc, desc, eq, gt, isNull, lt } from 'drizzle-orm';
import { computeInsKey, insOids } from '$lib/domain/ins';
import { parisLocalToUtc, toParisParts, addDaysLocal } from '$lib/domain/schedule';
import type { CaseStatus } from '$lib/domain/case-status';
import { storeDocumentBytes } from '../documents';
import { caseEvents, cases, documents, invitations, meetings, patients } from '../db/schema';
import type { SeedContext } from './context';
import { queryOne } from '../db';

type Tx = SeedContext['tx'];
type MeetingRow = typeof meetings.$inferSelect;
type DocKind = (typeof documents.$inferInsert)['kind'];

// ---------- a minimal, valid PDF written by hand ----------

/** WinAnsi text for a PDF string: latin-1 bytes, PDF escapes, typographic quotes simplified. */
function pdfText(s: string): string {
	return s
		.replace(/[’‘]/g, "'")
		.replace(/[“”]/g, '"')
		.replace(/œ/g, 'oe')
		.replace(/Œ/g, 'OE')
		.replace(/[–—]/g, '-')
		.replace(/./gu, (ch) => (ch.charCodeAt(0) > 0xff ? '?' : ch))
		.replace(/([\\()])/g, '\\$1');
}

/**
 * A one-page A4 PDF (PDF 1.4, Helvetica) with a title and lines of text: small, opens in any
 * viewer, and carries the right magic bytes for the upload checks.
 */
export function buildDemoPdf(title: string, lines: readonly string[]): Uint8Array {
	const body = [
		'BT',
		'/F1 16 Tf',
		'56 780 Td',
		`(${pdfText(title)}) Tj`,
		'/F1 11 Tf',
		'0 -28 Td',
		...lines.flatMap((l) => [`(${pdfText(l)}) Tj`, '0 -16 Td']),
		'0 -16 Td',
		'/F1 9 Tf',
		`(${pdfText('Document fictif de démonstration - aucune donnée réelle de patient.')}) Tj`,
		'ET'
	].join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
		`<< /Length ${Buffer.byteLength(body, 'latin1')} >>\nstream\n${body}\nendstream`
	];
	let out = '%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n';
	const offsets: number[] = [];
	objects.forEach((o, i) => {
		offsets.push(Buffer.byteLength(out, 'latin1'));
		out += `${i + 1} 0 obj\n${o}\nendobj\n`;
	});
	const xref = Buffer.byteLength(out, 'latin1');
	out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
	for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
	out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return new Uint8Array(Buffer.from(out, 'latin1'));
}

// ---------- synthetic patients ----------

interface SeedPatient {
	sex: 'F' | 'M';
	birthName: string;
	firstNames: string[];
	birthDate: string;
	birthplace: string;
	status?: 'provisional' | 'retrieved' | 'validated' | 'qualified';
}

const morePatients: SeedPatient[] = [
	{
		sex: 'M',
		birthName: 'LEROY',
		firstNames: ['Philippe'],
		birthDate: '1958-05-14',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'FOURNIER',
		firstNames: ['Catherine', 'Marie'],
		birthDate: '1962-09-03',
		birthplace: '71076'
	},
	{
		sex: 'M',
		birthName: 'GIRARD',
		firstNames: ['Alain'],
		birthDate: '1950-01-22',
		birthplace: '71153'
	},
	{
		sex: 'F',
		birthName: 'BONNEFOY',
		firstNames: ['Jacqueline'],
		birthDate: '1947-07-30',
		birthplace: '71076',
		status: 'validated'
	},
	{
		sex: 'M',
		birthName: 'MOREL',
		firstNames: ['Christian'],
		birthDate: '1955-11-11',
		birthplace: '21231'
	},
	{
		sex: 'F',
		birthName: 'FOURNEL',
		firstNames: ['Martine'],
		birthDate: '1960-02-08',
		birthplace: '71076'
	},
	{
		sex: 'M',
		birthName: 'BLANCHARD',
		firstNames: ['Marcel'],
		birthDate: '1941-04-19',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'GUÉRIN',
		firstNames: ['Odile'],
		birthDate: '1953-12-01',
		birthplace: '71270'
	},
	{
		sex: 'M',
		birthName: 'BOYER',
		firstNames: ['Jacques'],
		birthDate: '1949-06-06',
		birthplace: '71076',
		status: 'retrieved'
	},
	{
		sex: 'F',
		birthName: 'CHAUVIN',
		firstNames: ['Yvette'],
		birthDate: '1945-03-27',
		birthplace: '71076'
	},
	{
		sex: 'M',
		birthName: 'MEUNIER',
		firstNames: ['Claude'],
		birthDate: '1952-08-15',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'BARBIER',
		firstNames: ['Denise'],
		birthDate: '1957-10-10',
		birthplace: '71076'
	},
	{
		sex: 'M',
		birthName: 'RENARD',
		firstNames: ['Michel'],
		birthDate: '1944-02-02',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'SCHMITT',
		firstNames: ['Hélène'],
		birthDate: '1966-06-21',
		birthplace: '67482'
	},
	{
		sex: 'M',
		birthName: 'JOLY',
		firstNames: ['Henri'],
		birthDate: '1938-09-09',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'GAILLARD',
		firstNames: ['Françoise'],
		birthDate: '1959-01-15',
		birthplace: '71076'
	},
	{
		sex: 'M',
		birthName: 'BRUN',
		firstNames: ['Serge'],
		birthDate: '1961-03-03',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'RIVIÈRE',
		firstNames: ['Annie'],
		birthDate: '1956-05-05',
		birthplace: '71076'
	},
	{
		sex: 'M',
		birthName: 'DUPUIS',
		firstNames: ['Raymond'],
		birthDate: '1948-11-28',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'LECLERC',
		firstNames: ['Paulette'],
		birthDate: '1950-07-07',
		birthplace: '71076'
	},
	{
		sex: 'M',
		birthName: 'HUBERT',
		firstNames: ['Gilles'],
		birthDate: '1964-04-04',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'MARCHAND',
		firstNames: ['Éliane'],
		birthDate: '1963-08-08',
		birthplace: '71076'
	},
	{
		sex: 'M',
		birthName: 'NOËL',
		firstNames: ['Patrick'],
		birthDate: '1957-12-12',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'PERRET',
		firstNames: ['Colette'],
		birthDate: '1946-10-20',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'ROBIN',
		firstNames: ['Sylviane'],
		birthDate: '1965-03-16',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'COLLET',
		firstNames: ['Maryse'],
		birthDate: '1958-12-24',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'VIDAL',
		firstNames: ['Agnès'],
		birthDate: '1970-06-02',
		birthplace: '71076'
	},
	{
		sex: 'M',
		birthName: 'DENIS',
		firstNames: ['Roland'],
		birthDate: '1943-09-14',
		birthplace: '71076'
	},
	{
		sex: 'M',
		birthName: 'FAVRE',
		firstNames: ['Lucien'],
		birthDate: '1940-05-25',
		birthplace: '71076'
	},
	{
		sex: 'M',
		birthName: 'LACROIX',
		firstNames: ['Jean-Pierre'],
		birthDate: '1952-02-29',
		birthplace: '71076'
	},
	{
		sex: 'F',
		birthName: 'MOULIN',
		firstNames: ['Thérèse'],
		birthDate: '1947-08-31',
		birthplace: '71076',
		status: 'validated'
	},
	{
		sex: 'M',
		birthName: 'ROCHE',
		firstNames: ['Fernand'],
		birthDate: '1939-01-05',
		birthplace: '71076'
	}
];

async function insertPatients(tx: Tx): Promise<string[]> {
	return await Promise.all(
		morePatients.map(async (p, i) => {
			const first13 = `${p.sex === 'M' ? 1 : 2}${p.birthDate.slice(2, 4)}${p.birthDate.slice(5, 7)}${p.birthplace}${String(201 + i)}`;
			const id = crypto.randomUUID();
			await tx.insert(patients).values({
				id,
				insMatricule: first13 + computeInsKey(first13),
				insOid: insOids.test,
				birthName: p.birthName,
				firstNames: p.firstNames,
				sex: p.sex,
				birthDate: p.birthDate,
				birthplaceCode: p.birthplace,
				identityStatus: p.status ?? 'qualified'
			});
			return id;
		})
	);
}

// ---------- cases ----------

interface SeedDoc {
	kind: DocKind;
	/** Days before the meeting (or before today without one). */
	daysBefore: number;
	title: string;
	lines: string[];
}

interface SeedCase {
	patientId: string;
	pathway: string;
	requester: string;
	presenter?: string;
	status: CaseStatus;
	meeting: MeetingRow | null;
	wantsNextMeeting?: boolean;
	position?: number;
	minutes?: number;
	question: string;
	summary: string;
	data: Record<string, unknown>;
	gp?: boolean;
	needed?: string[];
	refusalReason?: string;
	docs?: SeedDoc[];
}

const DAY = 86_400_000;

function localDateBefore(meeting: MeetingRow | null, now: Date, days: number): string {
	return addDaysLocal(toParisParts(meeting?.startsAt ?? now).date, -days);
}

const pathologyDoc = (daysBefore: number, text: string): SeedDoc => ({
	kind: 'pathology',
	daysBefore,
	title: 'Compte rendu d’anatomopathologie',
	lines: ['Examen : biopsies', `Conclusion : ${text}`, 'Dr Émilie Blanc, pathologiste']
});

const imagingDoc = (daysBefore: number, exam: string, text: string): SeedDoc => ({
	kind: 'imaging',
	daysBefore,
	title: `Compte rendu d’imagerie : ${exam}`,
	lines: [`Examen : ${exam}`, `Conclusion : ${text}`, 'Dr Thomas Chevalier, radiologue']
});

async function insertCase(ctx: SeedContext, spec: SeedCase, now: Date): Promise<string> {
	const { tx, pathwayIds, userIds } = ctx;
	const id = crypto.randomUUID();
	const requesterId = userIds.get(spec.requester)!;
	const reference = spec.meeting?.startsAt ?? now;
	const createdAt = new Date(Math.min(reference.getTime(), now.getTime()) - 9 * DAY);
	const submittedAt = spec.status === 'draft' ? null : new Date(createdAt.getTime() + DAY);
	await tx.insert(cases).values({
		id,
		patientId: spec.patientId,
		pathwayId: pathwayIds.get(spec.pathway)!,
		meetingId: spec.meeting?.id ?? null,
		requesterId,
		referringName: null,
		gpName: spec.gp ? 'Dr Pierre Renaud' : null,
		gpRpps: spec.gp ? '10099000159' : null,
		gpEmail: spec.gp ? 'p.renaud@demo.mssante.fr' : null,
		question: spec.question,
		summary: spec.summary,
		pathwayData: spec.data,
		status: spec.status,
		refusalReason: spec.refusalReason ?? null,
		wantsNextMeeting: spec.wantsNextMeeting ?? false,
		agendaPosition: spec.position ?? null,
		estimatedMinutes: spec.minutes ?? null,
		presenterId: spec.presenter ? userIds.get(spec.presenter)! : null,
		neededSpecialties: spec.needed ?? [],
		submittedAt,
		createdAt,
		updatedAt: submittedAt ?? createdAt
	});

	const coordinator = userIds.get(
		spec.pathway === 'heart-failure' ? 'coordination.ic' : 'coordination'
	)!;
	const history: {
		kind: string;
		from: string | null;
		to: string;
		actor: string;
		at: Date;
		note?: string;
	}[] = [{ kind: 'created', from: null, to: 'draft', actor: requesterId, at: createdAt }];
	if (submittedAt)
		history.push({
			kind: 'submitted',
			from: 'draft',
			to: 'submitted',
			actor: requesterId,
			at: submittedAt
		});
	const later = new Date(createdAt.getTime() + 2 * DAY);
	if (spec.status === 'refused') {
		history.push({
			kind: 'refused',
			from: 'submitted',
			to: 'refused',
			actor: coordinator,
			at: later,
			note: spec.refusalReason
		});
	}
	if (['scheduled', 'presented', 'decided'].includes(spec.status)) {
		history.push({
			kind: 'scheduled',
			from: 'submitted',
			to: 'scheduled',
			actor: coordinator,
			at: later
		});
	}
	if (spec.status === 'decided' && spec.meeting) {
		const chair = spec.meeting.chairId;
		history.push({
			kind: 'presented',
			from: 'scheduled',
			to: 'presented',
			actor: chair ?? coordinator,
			at: spec.meeting.startsAt
		});
		history.push({
			kind: 'decided',
			from: 'presented',
			to: 'decided',
			actor: chair ?? coordinator,
			at: new Date(spec.meeting.startsAt.getTime() + 10 * 60_000)
		});
	}
	for (const h of history) {
		await tx.insert(caseEvents).values({
			caseId: id,
			at: h.at,
			actorId: h.actor,
			kind: h.kind,
			fromStatus: h.from,
			toStatus: h.to,
			meetingId: ['scheduled', 'presented', 'decided'].includes(h.kind)
				? (spec.meeting?.id ?? null)
				: null,
			note: h.note ?? null
		});
	}

	for (const doc of spec.docs ?? []) {
		const bytes = buildDemoPdf(doc.title, doc.lines);
		const { sha256, storedPath } = storeDocumentBytes(bytes);
		const date = localDateBefore(spec.meeting, now, doc.daysBefore);
		const slug =
			doc.kind === 'pathology' ? 'cr-anapath' : doc.kind === 'imaging' ? 'cr-imagerie' : 'document';
		await tx.insert(documents).values({
			caseId: id,
			kind: doc.kind,
			fileName: `${slug}-${date}.pdf`,
			contentType: 'application/pdf',
			size: bytes.length,
			sha256,
			storedPath,
			documentDate: date,
			uploadedBy: requesterId,
			uploadedAt: new Date(Math.min(now.getTime(), createdAt.getTime() + DAY))
		});
	}
	return id;
}

// ---------- meetings and confirmed doctors ----------

async function upcoming(
	tx: Tx,
	pathwayId: string,
	now: Date,
	skip: number
): Promise<MeetingRow | null> {
	return (
		(await queryOne(
			tx
				.select()
				.from(meetings)
				.where(
					and(
						eq(meetings.pathwayId, pathwayId),
						eq(meetings.status, 'scheduled'),
						gt(meetings.startsAt, now)
					)
				)
				.orderBy(asc(meetings.startsAt))
				.limit(1)
				.offset(skip)
		)) ?? null
	);
}

/** The last meeting already held; a one-off one four weeks ago when the series has none yet. */
async function pastMeeting(tx: Tx, ctx: SeedContext, code: string, now: Date): Promise<MeetingRow> {
	const pathwayId = ctx.pathwayIds.get(code)!;
	const held = await queryOne(
		tx
			.select()
			.from(meetings)
			.where(
				and(
					eq(meetings.pathwayId, pathwayId),
					eq(meetings.status, 'closed'),
					lt(meetings.startsAt, now)
				)
			)
			.orderBy(desc(meetings.startsAt))
			.limit(1)
	);
	if (held) return held;
	const series = await queryOne(
		tx.select().from(meetings).where(eq(meetings.pathwayId, pathwayId)).limit(1)
	);
	const date = addDaysLocal(toParisParts(now).date, -28);
	const start = parisLocalToUtc(date, '13:00');
	const startsAt = start.ok ? start.instant : new Date(now.getTime() - 28 * DAY);
	const id = crypto.randomUUID();
	await tx.insert(meetings).values({
		id,
		pathwayId,
		startsAt,
		endsAt: new Date(startsAt.getTime() + 90 * 60_000),
		status: 'closed',
		closedAt: new Date(startsAt.getTime() + 90 * 60_000),
		chairId: series?.chairId ?? null,
		deadlineAt: new Date(startsAt.getTime() - 48 * 3_600_000),
		place: series?.place ?? 'Salle de réunion'
	});
	return (await queryOne(tx.select().from(meetings).where(eq(meetings.id, id))))!;
}

/** Doctors who said yes to a meeting: a meeting-level reply, as the invitation page records it. */
async function confirmAttendance(
	ctx: SeedContext,
	meeting: MeetingRow | null,
	keys: string[],
	now: Date
): Promise<void> {
	if (!meeting) return;
	for (const key of keys) {
		const userId = ctx.userIds.get(key)!;
		const existing = await queryOne(
			ctx.tx
				.select()
				.from(invitations)
				.where(
					and(
						eq(invitations.meetingId, meeting.id),
						eq(invitations.userId, userId),
						isNull(invitations.caseId)
					)
				)
		);
		if (existing) continue;
		await ctx.tx.insert(invitations).values({
			meetingId: meeting.id,
			userId,
			reply: 'accepted',
			repliedAt: now,
			sentAt: now,
			createdBy: ctx.userIds.get('coordination')
		});
	}
}

// ---------- the demo ----------

const onco = (
	primarySite: string,
	histology: string,
	phase: 'initial' | 'relapse',
	tnm: [string, string, string | null],
	who: string | null,
	extra: Record<string, unknown> = {}
): Record<string, unknown> => {
	const data: Record<string, unknown> = {
		primarySite,
		histology,
		phase,
		cT: tnm[0],
		cN: tnm[1],
		...extra
	};
	if (tnm[2]) data.cM = tnm[2];
	if (who) data.who = who;
	return data;
};

const hf = (over: Record<string, unknown>): Record<string, unknown> => ({
	nyha: '3',
	lvef: 30,
	ntProBnp: 2400,
	etiology: 'ischemic',
	hospitalisations12m: 1,
	raasClass: 'arni',
	raasTitration: 'titrating',
	betaBlockerTitration: 'max_tolerated',
	mraTitration: 'target',
	sglt2Titration: 'target',
	device: 'none',
	rhythm: 'sinus',
	...over
});

/**
 * Demo case requests: a prepared 15-case agenda on the next digestive meeting (documents,
 * presenters, estimates, a GP invited, a few cases not ready yet), cases on the other pathways'
 * next meetings, requests waiting in each worklist, a draft, a refusal, and for every pathway a
 * meeting already held with decided cases.
 */
export async function seedDemoCases(ctx: SeedContext): Promise<void> {
	const { tx, pathwayIds, patientIds: base } = ctx;
	const now = new Date();
	const np = await insertPatients(tx);
	const next = (code: string, skip = 0) => upcoming(tx, pathwayIds.get(code)!, now, skip);

	const dig = await next('onco-digestive');
	const digLater = await next('onco-digestive', 1);
	const tho = await next('onco-thoracic');
	const bre = await next('onco-breast');
	const ic = await next('heart-failure');

	await confirmAttendance(ctx, dig, ['j.moreau', 'n.garnier', 't.chevalier', 'e.blanc'], now);
	await confirmAttendance(ctx, tho, ['a.lefevre', 'n.garnier', 's.roux'], now);
	await confirmAttendance(ctx, bre, ['i.petit', 'n.garnier', 't.chevalier'], now);
	await confirmAttendance(ctx, ic, ['e.dumas', 'h.bonnet', 'm.gauthier'], now);

	const fullDocs = (path: string, exam: string, img: string): SeedDoc[] => [
		pathologyDoc(25, path),
		imagingDoc(12, exam, img)
	];
	const tap = 'scanner thoraco-abdomino-pelvien';

	// The 15-case digestive agenda: [patient, requester, data, question, docs, minutes, extra].
	const digestive: Omit<SeedCase, 'pathway' | 'status' | 'meeting' | 'position'>[] = [
		{
			patientId: base[0]!,
			requester: 'j.moreau',
			presenter: 'j.moreau',
			minutes: 10,
			question: 'Chirurgie d’emblée ou radiochimiothérapie préopératoire ?',
			summary:
				'Adénocarcinome du bas rectum découvert sur rectorragies. Pas de comorbidité majeure.',
			data: onco('C20', 'Adénocarcinome lieberkühnien', 'initial', ['T3', 'N1', 'M0'], '0'),
			docs: fullDocs(
				'adénocarcinome lieberkühnien moyennement différencié',
				'IRM pelvienne',
				'tumeur du bas rectum T3 N1, marge circonférentielle à 3 mm'
			)
		},
		{
			patientId: base[1]!,
			requester: 'l.mercier',
			presenter: 'h.rousseau',
			minutes: 5,
			question: 'Indication d’une chimiothérapie adjuvante ?',
			summary: 'Hémicolectomie droite pour adénocarcinome du côlon ascendant, pT3 pN1a.',
			data: onco('C18.2', 'Adénocarcinome', 'initial', ['T3', 'N1', 'M0'], '1', {
				pT: 'T3',
				pN: 'N1a'
			}),
			docs: fullDocs('adénocarcinome pT3 pN1a (1/18), R0', tap, 'pas de lésion secondaire')
		},
		{
			patientId: base[2]!,
			requester: 'c.faure',
			presenter: 'c.faure',
			minutes: 5,
			question: 'Résécabilité des métastases hépatiques ?',
			summary:
				'Cancer du sigmoïde avec trois métastases hépatiques synchrones, après 6 cures de FOLFOX.',
			data: onco('C18.7', 'Adénocarcinome', 'initial', ['T3', 'N2a', 'M1a'], '1'),
			docs: fullDocs(
				'adénocarcinome, RAS muté',
				'IRM hépatique',
				'trois lésions des segments VI, VII et VIII en réponse partielle'
			)
		},
		{
			patientId: base[8]!,
			requester: 'j.moreau',
			presenter: 'j.moreau',
			minutes: 10,
			question: 'Prise en charge d’un adénocarcinome gastrique',
			summary: 'Épigastralgies et anémie ; adénocarcinome de l’antre.',
			data: onco('C16.3', 'Adénocarcinome peu cohésif', 'initial', ['T3', 'N1', 'M0'], '1'),
			docs: fullDocs(
				'adénocarcinome peu cohésif',
				tap,
				'épaississement antral, adénopathies du petit épiploon'
			)
		},
		{
			patientId: base[10]!,
			requester: 'p.renaud',
			presenter: 'h.rousseau',
			minutes: 5,
			gp: true,
			question: 'Conduite à tenir devant une récidive anastomotique',
			summary: 'Récidive anastomotique deux ans après une résection antérieure du rectum.',
			data: onco('C20', 'Adénocarcinome', 'relapse', ['T2', 'N0', 'M0'], '0', {
				priorTreatments: 'Radiochimiothérapie puis résection antérieure du rectum'
			}),
			docs: fullDocs('récidive d’adénocarcinome', 'TEP-TDM', 'hypermétabolisme anastomotique isolé')
		},
		{
			patientId: np[0]!,
			requester: 'l.mercier',
			presenter: 'l.mercier',
			minutes: 5,
			question: 'Traitement d’un carcinome hépatocellulaire sur cirrhose',
			summary: 'Nodule unique de 28 mm sur cirrhose alcoolique Child A.',
			data: onco('C22.0', 'Carcinome hépatocellulaire', 'initial', ['T1b', 'N0', 'M0'], '0'),
			docs: fullDocs(
				'carcinome hépatocellulaire moyennement différencié',
				'IRM hépatique',
				'nodule unique du segment V de 28 mm'
			)
		},
		{
			patientId: np[1]!,
			requester: 'c.faure',
			presenter: 'c.faure',
			minutes: 5,
			question: 'Chimiothérapie néoadjuvante ?',
			summary: 'Adénocarcinome de la tête du pancréas, borderline (contact veineux).',
			data: onco('C25.0', 'Adénocarcinome canalaire', 'initial', ['T2', 'N1', 'M0'], '1'),
			docs: fullDocs(
				'adénocarcinome canalaire',
				'scanner pancréatique',
				'lésion céphalique de 25 mm au contact de la veine mésentérique supérieure'
			)
		},
		{
			patientId: np[2]!,
			requester: 'j.moreau',
			presenter: 'j.moreau',
			minutes: 10,
			question: 'Œsophagectomie après radiochimiothérapie ?',
			summary: 'Carcinome épidermoïde du tiers moyen de l’œsophage.',
			data: onco('C15.9', 'Carcinome épidermoïde', 'initial', ['T3', 'N1', 'M0'], '1'),
			docs: fullDocs(
				'carcinome épidermoïde infiltrant',
				'TEP-TDM',
				'tumeur du tiers moyen, une adénopathie médiastinale'
			)
		},
		{
			patientId: np[3]!,
			requester: 'l.mercier',
			presenter: 'l.mercier',
			minutes: 5,
			question: 'Surveillance ou chirurgie ?',
			summary: 'Polype dégénéré réséqué en endoscopie, marges à 1 mm.',
			data: onco('C18.4', 'Adénocarcinome sur adénome', 'initial', ['T1', 'N0', 'M0'], '0'),
			docs: [imagingDoc(10, tap, 'pas de lésion secondaire')]
		},
		{
			patientId: np[4]!,
			requester: 'c.faure',
			presenter: 'c.faure',
			minutes: 5,
			question: 'Deuxième ligne de chimiothérapie ?',
			summary: 'Progression hépatique sous FOLFIRI-bévacizumab.',
			data: onco('C18.0', 'Adénocarcinome', 'relapse', ['T4a', 'N1', 'M1a'], '1', {
				priorTreatments: 'FOLFIRI-bévacizumab, 12 cures'
			}),
			docs: fullDocs('adénocarcinome, MSS, BRAF sauvage', tap, 'progression des lésions hépatiques')
		},
		{
			patientId: np[5]!,
			requester: 'j.moreau',
			presenter: 'j.moreau',
			minutes: 5,
			question: 'Indication d’une amputation abdomino-périnéale ?',
			summary: 'Carcinome épidermoïde du canal anal en réponse incomplète.',
			data: onco('C21', 'Carcinome épidermoïde', 'initial', ['T2', 'N0', 'M0'], '0'),
			docs: [
				pathologyDoc(40, 'carcinome épidermoïde'),
				imagingDoc(150, 'IRM pelvienne', 'lésion du canal anal de 3 cm')
			]
		},
		{
			patientId: np[6]!,
			requester: 'l.mercier',
			presenter: 'h.rousseau',
			minutes: 10,
			question: 'Chirurgie d’un cholangiocarcinome ?',
			summary: 'Ictère révélant une sténose de la voie biliaire principale.',
			data: onco('C24', 'Cholangiocarcinome', 'initial', ['T2', 'N0', 'M0'], '1'),
			docs: fullDocs(
				'cholangiocarcinome extra-hépatique',
				'bili-IRM',
				'sténose de la voie biliaire principale'
			)
		},
		{
			patientId: np[7]!,
			requester: 'c.faure',
			presenter: 'c.faure',
			minutes: 5,
			question: 'Traitement d’un adénocarcinome de la jonction recto-sigmoïdienne',
			summary: 'Bilan d’extension en cours.',
			data: onco('C19', 'Adénocarcinome', 'initial', ['T3', 'N0', null], null),
			docs: fullDocs('adénocarcinome', tap, 'pas de lésion à distance')
		},
		{
			patientId: np[8]!,
			requester: 'j.moreau',
			presenter: 'j.moreau',
			minutes: 5,
			question: 'Résection d’une tumeur de l’intestin grêle ?',
			summary: 'Occlusion sur tumeur jéjunale.',
			data: onco('C17', 'Adénocarcinome', 'initial', ['T3', 'N0', 'M0'], '2'),
			docs: fullDocs('adénocarcinome jéjunal', tap, 'tumeur jéjunale sténosante')
		},
		{
			patientId: np[9]!,
			requester: 'l.mercier',
			presenter: 'l.mercier',
			minutes: 5,
			needed: ['gastroenterology'],
			question: 'Prothèse colique ou chirurgie de décharge ?',
			summary: 'Patiente âgée, fragile, tumeur sténosante du côlon gauche.',
			data: onco('C18.6', 'Adénocarcinome', 'initial', ['T4a', 'N1', 'M0'], '2', {
				comorbidities: 'Insuffisance rénale chronique, fibrillation atriale'
			}),
			docs: fullDocs('adénocarcinome', tap, 'tumeur sténosante du côlon descendant')
		}
	];
	for (const [i, spec] of digestive.entries())
		await insertCase(
			ctx,
			{ ...spec, pathway: 'onco-digestive', status: 'scheduled', meeting: dig, position: i + 1 },
			now
		);

	// The following digestive meeting already has two cases.
	await insertCase(
		ctx,
		{
			patientId: np[10]!,
			pathway: 'onco-digestive',
			requester: 'j.moreau',
			presenter: 'j.moreau',
			status: 'scheduled',
			meeting: digLater,
			position: 1,
			question: 'Surveillance après colectomie ?',
			summary: 'Colectomie gauche, pT2 N0.',
			data: onco('C18.7', 'Adénocarcinome', 'initial', ['T2', 'N0', 'M0'], '0', {
				pT: 'T2',
				pN: 'N0'
			}),
			docs: fullDocs('adénocarcinome pT2 N0 (0/21)', tap, 'pas de lésion secondaire')
		},
		now
	);
	await insertCase(
		ctx,
		{
			patientId: np[11]!,
			pathway: 'onco-digestive',
			requester: 'c.faure',
			presenter: 'c.faure',
			status: 'scheduled',
			meeting: digLater,
			position: 2,
			question: 'Traitement d’une carcinose péritonéale ?',
			summary: 'Carcinose découverte lors d’une cœlioscopie.',
			data: onco('C48', 'Adénocarcinome', 'initial', ['TX', 'NX', 'M1c'], '1'),
			docs: fullDocs(
				'adénocarcinome d’origine colique',
				tap,
				'carcinose péritonéale, PCI estimé à 8'
			)
		},
		now
	);

	// Requests waiting in the digestive worklist, a draft and a refusal.
	await insertCase(
		ctx,
		{
			patientId: np[12]!,
			pathway: 'onco-digestive',
			requester: 'l.mercier',
			status: 'submitted',
			meeting: null,
			wantsNextMeeting: true,
			question: 'Prise en charge d’un cancer du côlon chez un patient de 82 ans',
			summary: 'Anémie ferriprive, tumeur du côlon droit à la coloscopie.',
			data: onco('C18.0', 'Adénocarcinome', 'initial', ['T3', 'N0', 'M0'], '2'),
			docs: [pathologyDoc(14, 'adénocarcinome bien différencié')]
		},
		now
	);
	await insertCase(
		ctx,
		{
			patientId: np[13]!,
			pathway: 'onco-digestive',
			requester: 'c.faure',
			status: 'submitted',
			meeting: digLater,
			question: 'Place de la radiothérapie dans un cancer de l’estomac opéré ?',
			summary: 'Gastrectomie totale, marges envahies.',
			data: onco('C16.0', 'Adénocarcinome', 'initial', ['T3', 'N2', 'M0'], '1', {
				pT: 'T3',
				pN: 'N2'
			}),
			docs: fullDocs('adénocarcinome, marge proximale envahie', tap, 'pas de récidive')
		},
		now
	);
	await insertCase(
		ctx,
		{
			patientId: base[11]!,
			pathway: 'onco-digestive',
			requester: 'p.renaud',
			status: 'submitted',
			meeting: dig,
			question: 'Avis sur un nodule hépatique',
			summary:
				'Nodule hépatique de découverte fortuite chez une patiente aux antécédents de cancer du sein.',
			data: onco('C22', 'Non connue', 'initial', ['TX', 'NX', 'M0'], '0')
		},
		now
	);
	await insertCase(
		ctx,
		{
			patientId: np[14]!,
			pathway: 'onco-digestive',
			requester: 'j.moreau',
			status: 'draft',
			meeting: null,
			question: 'Chirurgie d’une tumeur du pancréas ?',
			summary: '',
			data: onco('C25.2', '', 'initial', ['T2', 'N0', null], null)
		},
		now
	);
	await insertCase(
		ctx,
		{
			patientId: base[6]!,
			pathway: 'onco-digestive',
			requester: 'l.mercier',
			status: 'refused',
			meeting: null,
			refusalReason:
				'Tumeur neuroendocrine : ce dossier relève de la RCP régionale de recours (réseau ONCOBFC). Adressez-le à cette RCP.',
			question: 'Prise en charge d’une tumeur neuroendocrine du grêle',
			summary: 'Tumeur neuroendocrine bien différenciée avec métastases hépatiques.',
			data: onco('C17', 'Tumeur neuroendocrine', 'initial', ['T3', 'N1', 'M1a'], '1')
		},
		now
	);

	// Thoracic, breast and heart-failure agendas.
	const thoracic: Omit<SeedCase, 'pathway' | 'status' | 'meeting' | 'position'>[] = [
		{
			patientId: base[3]!,
			requester: 's.roux',
			presenter: 's.roux',
			minutes: 10,
			question: 'Lobectomie ou radiothérapie stéréotaxique ?',
			summary: 'Nodule du lobe supérieur droit, BPCO sévère.',
			data: onco('C34.1', 'Adénocarcinome', 'initial', ['T1c', 'N0', 'M0'], '1', {
				comorbidities: 'BPCO stade III'
			}),
			docs: fullDocs(
				'adénocarcinome lépidique prédominant',
				'TEP-TDM',
				'nodule hypermétabolique isolé de 24 mm'
			)
		},
		{
			patientId: base[5]!,
			requester: 'a.lefevre',
			presenter: 'a.lefevre',
			minutes: 10,
			question: 'Traitement néoadjuvant avant chirurgie ?',
			summary: 'Masse du lobe inférieur gauche avec adénopathie hilaire.',
			data: onco('C34.3', 'Carcinome épidermoïde', 'initial', ['T2b', 'N1', 'M0'], '0'),
			docs: fullDocs('carcinome épidermoïde', 'TEP-TDM', 'masse de 45 mm, adénopathie hilaire')
		},
		{
			patientId: np[17]!,
			requester: 's.roux',
			presenter: 's.roux',
			minutes: 10,
			question: 'Immunothérapie de première ligne ?',
			summary: 'Adénocarcinome métastatique, PD-L1 à 80 %.',
			data: onco('C34.9', 'Adénocarcinome', 'initial', ['T4', 'N2', 'M1b'], '1'),
			docs: fullDocs(
				'adénocarcinome, PD-L1 80 %, sans altération ciblable',
				'TEP-TDM',
				'lésion surrénalienne unique'
			)
		},
		{
			patientId: np[18]!,
			requester: 'a.lefevre',
			presenter: 'a.lefevre',
			minutes: 10,
			question: 'Prise en charge d’un mésothéliome',
			summary: 'Épanchement pleural récidivant.',
			data: onco('C45', 'Mésothéliome épithélioïde', 'initial', ['T2', 'N0', 'M0'], '1'),
			docs: fullDocs(
				'mésothéliome épithélioïde',
				'scanner thoracique',
				'épaississement pleural diffus'
			)
		}
	];
	for (const [i, spec] of thoracic.entries())
		await insertCase(
			ctx,
			{ ...spec, pathway: 'onco-thoracic', status: 'scheduled', meeting: tho, position: i + 1 },
			now
		);
	await insertCase(
		ctx,
		{
			patientId: np[19]!,
			pathway: 'onco-thoracic',
			requester: 's.roux',
			status: 'submitted',
			meeting: null,
			wantsNextMeeting: true,
			question: 'Conduite à tenir devant un nodule pulmonaire de 12 mm',
			summary: 'Nodule solide découvert sur un scanner de dépistage.',
			data: onco('C34.1', 'Non connue', 'initial', ['T1b', 'N0', 'M0'], '0'),
			docs: [imagingDoc(8, 'scanner thoracique', 'nodule solide de 12 mm du lobe supérieur droit')]
		},
		now
	);

	const breast: Omit<SeedCase, 'pathway' | 'status' | 'meeting' | 'position'>[] = [
		{
			patientId: base[7]!,
			requester: 'i.petit',
			presenter: 'i.petit',
			minutes: 10,
			question: 'Tumorectomie et ganglion sentinelle ?',
			summary: 'Carcinome infiltrant de 15 mm, RH+, HER2-.',
			data: onco(
				'C50.4',
				'Carcinome infiltrant de type non spécifique',
				'initial',
				['T1c', 'N0', 'M0'],
				'0'
			),
			docs: fullDocs(
				'carcinome infiltrant NST, grade 2, RE 90 %, RP 60 %, HER2 négatif',
				'mammographie et échographie',
				'lésion ACR 5 de 15 mm'
			)
		},
		{
			patientId: np[21]!,
			requester: 'i.petit',
			presenter: 'i.petit',
			minutes: 10,
			question: 'Chimiothérapie néoadjuvante ?',
			summary: 'Carcinome triple négatif de 35 mm.',
			data: onco(
				'C50.2',
				'Carcinome infiltrant triple négatif',
				'initial',
				['T2', 'N1', 'M0'],
				'0'
			),
			docs: fullDocs(
				'carcinome infiltrant triple négatif, Ki67 60 %',
				'IRM mammaire',
				'lésion de 35 mm, adénopathie axillaire'
			)
		},
		{
			patientId: np[23]!,
			requester: 'h.rousseau',
			presenter: 'h.rousseau',
			minutes: 10,
			question: 'Hormonothérapie seule chez une patiente de 80 ans ?',
			summary: 'Carcinome lobulaire, patiente fragile.',
			data: onco('C50.9', 'Carcinome lobulaire infiltrant', 'initial', ['T2', 'N0', 'M0'], '2'),
			docs: fullDocs(
				'carcinome lobulaire infiltrant, RH+',
				'échographie mammaire',
				'lésion de 25 mm'
			)
		}
	];
	for (const [i, spec] of breast.entries())
		await insertCase(
			ctx,
			{ ...spec, pathway: 'onco-breast', status: 'scheduled', meeting: bre, position: i + 1 },
			now
		);
	await insertCase(
		ctx,
		{
			patientId: np[24]!,
			pathway: 'onco-breast',
			requester: 'i.petit',
			status: 'submitted',
			meeting: null,
			wantsNextMeeting: true,
			question: 'Reconstruction mammaire immédiate ?',
			summary: 'Carcinome canalaire in situ étendu.',
			data: onco('C50.8', 'Carcinome canalaire in situ', 'initial', ['Tis', 'N0', 'M0'], '0'),
			docs: [pathologyDoc(10, 'carcinome canalaire in situ de haut grade')]
		},
		now
	);

	const echo = (days: number, text: string): SeedDoc =>
		imagingDoc(days, 'échocardiographie transthoracique', text);
	await insertCase(
		ctx,
		{
			patientId: np[27]!,
			pathway: 'heart-failure',
			requester: 'e.dumas',
			presenter: 'e.dumas',
			status: 'scheduled',
			meeting: ic,
			position: 1,
			minutes: 15,
			question: 'Évaluation pour assistance ventriculaire ou transplantation ?',
			summary:
				'Cardiopathie ischémique, trois hospitalisations pour décompensation cette année malgré un traitement optimal.',
			data: hf({
				nyha: '4',
				nyhaPersistent: true,
				lvef: 20,
				ntProBnp: 8900,
				hospitalisations12m: 3,
				sixMinuteWalk: 210,
				raasTitration: 'max_tolerated',
				device: 'crt_d'
			}),
			docs: [echo(20, 'FEVG 20 %, VD dilaté')]
		},
		now
	);
	await insertCase(
		ctx,
		{
			patientId: np[28]!,
			pathway: 'heart-failure',
			requester: 'e.dumas',
			presenter: 'e.dumas',
			status: 'scheduled',
			meeting: ic,
			position: 2,
			minutes: 10,
			question: 'Indication d’une resynchronisation ?',
			summary: 'Bloc de branche gauche à 160 ms, FEVG 30 % après titration.',
			data: hf({ nyha: '2', lvef: 30, etiology: 'dilated' }),
			docs: [echo(15, 'FEVG 30 %, asynchronisme')]
		},
		now
	);
	await insertCase(
		ctx,
		{
			patientId: np[29]!,
			pathway: 'heart-failure',
			requester: 'p.fontaine',
			presenter: 'h.bonnet',
			status: 'scheduled',
			meeting: ic,
			position: 3,
			minutes: 10,
			needed: ['electrophysiology'],
			question: 'Ablation de la fibrillation atriale ?',
			summary: 'Cardiopathie rythmique suspectée, FA persistante.',
			data: hf({ nyha: '2', lvef: 35, etiology: 'rhythmic', rhythm: 'af' }),
			docs: [echo(200, 'FEVG 35 %')]
		},
		now
	);
	await insertCase(
		ctx,
		{
			patientId: np[30]!,
			pathway: 'heart-failure',
			requester: 'e.dumas',
			status: 'submitted',
			meeting: null,
			wantsNextMeeting: true,
			question: 'Optimisation thérapeutique',
			summary: 'Intolérance aux bêtabloquants.',
			data: hf({ nyha: '3', lvef: 28, betaBlockerTitration: 'contraindicated' }),
			docs: [echo(10, 'FEVG 28 %')]
		},
		now
	);
	await insertCase(
		ctx,
		{
			patientId: np[31]!,
			pathway: 'heart-failure',
			requester: 'p.fontaine',
			status: 'submitted',
			meeting: ic,
			question: 'Remplacement valvulaire aortique percutané ?',
			summary: 'Rétrécissement aortique serré et FEVG altérée.',
			data: hf({ nyha: '3', lvef: 35, etiology: 'valvular', nonOperableSevereValve: true })
		},
		now
	);

	// A meeting already held per pathway, with decided cases (their decisions come with the decision records).
	const decided = async (
		code: string,
		specs: Omit<SeedCase, 'pathway' | 'status' | 'meeting' | 'position'>[]
	) => {
		const held = await pastMeeting(tx, ctx, code, now);
		for (const [i, spec] of specs.entries())
			await insertCase(
				ctx,
				{ ...spec, pathway: code, status: 'decided', meeting: held, position: i + 1 },
				now
			);
	};
	await decided('onco-digestive', [
		{
			patientId: np[15]!,
			requester: 'j.moreau',
			presenter: 'j.moreau',
			question: 'Chirurgie d’emblée ?',
			summary: 'Adénocarcinome du côlon sigmoïde non métastatique.',
			data: onco('C18.7', 'Adénocarcinome', 'initial', ['T3', 'N0', 'M0'], '0'),
			docs: fullDocs('adénocarcinome', tap, 'pas de lésion secondaire')
		},
		{
			patientId: np[16]!,
			requester: 'l.mercier',
			presenter: 'l.mercier',
			question: 'Chimiothérapie adjuvante ?',
			summary: 'Colectomie droite pT3 N1.',
			data: onco('C18.2', 'Adénocarcinome', 'initial', ['T3', 'N1', 'M0'], '1', {
				pT: 'T3',
				pN: 'N1b'
			}),
			docs: fullDocs('adénocarcinome pT3 N1b', tap, 'pas de lésion secondaire')
		}
	]);
	await decided('onco-thoracic', [
		{
			patientId: base[9]!,
			requester: 's.roux',
			presenter: 's.roux',
			question: 'Lobectomie ?',
			summary: 'Adénocarcinome du lobe supérieur gauche.',
			data: onco('C34.1', 'Adénocarcinome', 'initial', ['T1b', 'N0', 'M0'], '0'),
			docs: fullDocs('adénocarcinome', 'TEP-TDM', 'nodule isolé')
		},
		{
			patientId: np[20]!,
			requester: 'a.lefevre',
			presenter: 'a.lefevre',
			question: 'Radiochimiothérapie ?',
			summary: 'Carcinome épidermoïde localement avancé.',
			data: onco('C34.0', 'Carcinome épidermoïde', 'initial', ['T4', 'N2', 'M0'], '1'),
			docs: fullDocs('carcinome épidermoïde', 'TEP-TDM', 'atteinte médiastinale')
		}
	]);
	await decided('onco-breast', [
		{
			patientId: np[25]!,
			requester: 'i.petit',
			presenter: 'i.petit',
			question: 'Radiothérapie adjuvante ?',
			summary: 'Tumorectomie pour carcinome infiltrant pT1c N0.',
			data: onco('C50.4', 'Carcinome infiltrant NST', 'initial', ['T1c', 'N0', 'M0'], '0', {
				pT: 'T1c',
				pN: 'N0'
			}),
			docs: fullDocs(
				'carcinome infiltrant, marges saines',
				'mammographie',
				'remaniements post-opératoires'
			)
		},
		{
			patientId: np[26]!,
			requester: 'h.rousseau',
			presenter: 'h.rousseau',
			question: 'Thérapie ciblée anti-HER2 ?',
			summary: 'Carcinome HER2 positif de 22 mm.',
			data: onco('C50.2', 'Carcinome infiltrant HER2+', 'initial', ['T2', 'N0', 'M0'], '0'),
			docs: fullDocs('carcinome infiltrant HER2 3+', 'IRM mammaire', 'lésion unifocale')
		}
	]);
	await decided('heart-failure', [
		{
			patientId: base[4]!,
			requester: 'e.dumas',
			presenter: 'e.dumas',
			question: 'Défibrillateur en prévention primaire ?',
			summary: 'Cardiopathie ischémique, FEVG 30 % après trois mois de traitement optimal.',
			data: hf({ nyha: '2', lvef: 30 }),
			docs: [echo(30, 'FEVG 30 %')]
		},
		{
			patientId: base[6]!,
			requester: 'p.fontaine',
			presenter: 'p.fontaine',
			question: 'Réadaptation cardiaque ?',
			summary: 'Décompensation récente, déconditionnement.',
			data: hf({ nyha: '3', lvef: 40, hospitalisations12m: 2 }),
			docs: [echo(20, 'FEVG 40 %')]
		}
	]);

	// The GP of one digestive case is invited to its slot.
	const gpCase = await queryOne(
		tx
			.select({ id: cases.id })
			.from(cases)
			.where(and(eq(cases.patientId, base[10]!), eq(cases.status, 'scheduled')))
	);
	if (dig && gpCase) {
		await tx.insert(invitations).values({
			meetingId: dig.id,
			userId: ctx.userIds.get('p.renaud')!,
			caseId: gpCase.id,
			reply: 'accepted',
			repliedAt: now,
			sentAt: now,
			createdBy: ctx.userIds.get('coordination')
		});
	}
}
