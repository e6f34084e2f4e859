import { getCaseFormKind, listMissingCaseFields } from '$lib/domain/case-forms';
import { canTransitionCase, type CaseStatus } from '$lib/domain/case-status';
import type { CompletenessResult } from '$lib/domain/completeness';
import { isPastDeadline } from '$lib/domain/deadline';
import type { MailKind } from '$lib/domain/mailbox';
import { formatParisDateTime } from '$lib/domain/schedule';
import type { CaseRequestInput } from '$lib/validation/cases';
import type { FieldErrors } from '$lib/validation/form';
import { and, asc, desc, eq, gt, inArray, max } from 'drizzle-orm';
import { recordAudit, type AuditContext } from './audit';
import type { CaseRef } from './auth/access';
import { toCaseRef } from './case-refs';
import { getDb, type DbOrTx, queryOne, transaction } from './db';
import { caseEvents, cases, meetings, pathways, patients, users } from './db/schema';
import { queueMail, sendMail } from './mail';
import { type MeetingRow } from './meetings';
import {
	checkDuplicatePatient,
	describePatient,
	describePatientDiscreetly,
	getPatient,
	insertPatient,
	toPatientSummary,
	type PatientRow,
	type PatientSummary
} from './patients';
import { assessCaseReadiness } from './readiness';
import { formatPersonName } from './users';

export type CaseRow = typeof cases.$inferSelect;
export type CaseEventRow = typeof caseEvents.$inferSelect;
type PathwayRow = typeof pathways.$inferSelect;

/** Statuses of a case that stands on a meeting's agenda (what the live meeting presents). */
export const agendaStatuses = [
	'scheduled',
	'presented',
	'decided',
	'delivered',
	'deferred'
] as const;

/** Statuses the requester or the coordinator may still change the request in. */
export const editableStatuses: readonly CaseStatus[] = [
	'draft',
	'submitted',
	'refused',
	'scheduled',
	'deferred'
];

// ---------- access facts ----------

export async function getCase(caseId: string, tx: DbOrTx = getDb()): Promise<CaseRow | undefined> {
	return await queryOne(tx.select().from(cases).where(eq(cases.id, caseId)));
}

/** The case and the facts the access policy needs about it; null when it does not exist. */
export async function loadCaseRef(
	caseId: string
): Promise<{ caseRow: CaseRow; ref: CaseRef } | null> {
	const caseRow = await getCase(caseId);
	return caseRow ? { caseRow, ref: await toCaseRef(caseRow) } : null;
}

/** The meeting's agenda in presentation order (cases without a position last). */
export async function listMeetingCases(
	meetingId: string,
	tx: DbOrTx = getDb()
): Promise<CaseRow[]> {
	return (
		await tx
			.select()
			.from(cases)
			.where(and(eq(cases.meetingId, meetingId), inArray(cases.status, [...agendaStatuses])))
	).sort(
		(a, b) =>
			(a.agendaPosition ?? Number.MAX_SAFE_INTEGER) -
				(b.agendaPosition ?? Number.MAX_SAFE_INTEGER) ||
			a.createdAt.getTime() - b.createdAt.getTime()
	);
}

// ---------- history and status ----------

export interface CaseEventInput {
	caseId: string;
	actorId: string | null;
	kind: string;
	fromStatus?: string | null;
	toStatus?: string | null;
	meetingId?: string | null;
	note?: string | null;
	at?: Date;
}

export async function recordCaseEvent(tx: DbOrTx, e: CaseEventInput): Promise<void> {
	await tx.insert(caseEvents).values({
		caseId: e.caseId,
		actorId: e.actorId,
		kind: e.kind,
		fromStatus: e.fromStatus ?? null,
		toStatus: e.toStatus ?? null,
		meetingId: e.meetingId ?? null,
		note: e.note ?? null,
		...(e.at ? { at: e.at } : {})
	});
}

/**
 * Moves a case to a new status along the lifecycle (case-status.ts), with its history row.
 * Throws on a transition the lifecycle forbids: callers check first, so this is a bug guard.
 */
export async function changeCaseStatus(
	tx: DbOrTx,
	c: Pick<CaseRow, 'id' | 'status'>,
	to: CaseStatus,
	event: { actorId: string | null; kind: string; note?: string | null; meetingId?: string | null },
	set: Partial<typeof cases.$inferInsert> = {},
	now: Date = new Date()
): Promise<void> {
	if (!canTransitionCase(c.status, to)) {
		throw new Error(`Case ${c.id}: transition ${c.status} → ${to} is not allowed`);
	}
	await tx
		.update(cases)
		.set({ ...set, status: to, updatedAt: now })
		.where(eq(cases.id, c.id));
	await recordCaseEvent(tx, {
		caseId: c.id,
		actorId: event.actorId,
		kind: event.kind,
		fromStatus: c.status,
		toStatus: to,
		meetingId: event.meetingId ?? null,
		note: event.note ?? null,
		at: now
	});
}

export async function nextAgendaPosition(meetingId: string, tx: DbOrTx): Promise<number> {
	const row = await queryOne(
		tx
			.select({ last: max(cases.agendaPosition) })
			.from(cases)
			.where(eq(cases.meetingId, meetingId))
	);
	return (row?.last ?? 0) + 1;
}

/** Renumbers the agenda 1..n after a case left it, keeping the order. */
export async function compactAgenda(meetingId: string, tx: DbOrTx): Promise<void> {
	for (const [i, c] of (await listMeetingCases(meetingId, tx)).entries()) {
		if (c.agendaPosition !== i + 1) {
			await tx
				.update(cases)
				.set({ agendaPosition: i + 1 })
				.where(eq(cases.id, c.id));
		}
	}
}

// ---------- requests ----------

export interface RequestableMeeting {
	id: string;
	startsAt: Date;
	deadlineAt: Date;
	label: string;
	pastDeadline: boolean;
}

/** The pathway's coming meetings a request may name, with their deadlines. */
export async function listRequestableMeetings(
	pathwayId: string,
	now: Date = new Date(),
	limit = 8
): Promise<RequestableMeeting[]> {
	return (
		await getDb()
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
			.limit(limit)
	).map((m) => {
		const past = isPastDeadline(m, now);
		return {
			id: m.id,
			startsAt: m.startsAt,
			deadlineAt: m.deadlineAt,
			pastDeadline: past,
			label: `${formatParisDateTime(m.startsAt)}${past ? ' — date limite d’inscription dépassée' : ` — inscriptions jusqu’au ${formatParisDateTime(m.deadlineAt)}`}`
		};
	});
}

export type SaveCaseResult =
	| { ok: true; caseId: string; submitted: boolean }
	| { ok: false; errors: FieldErrors; duplicates?: PatientSummary[] };

interface SaveCaseArgs {
	caseId: string | null;
	pathwayId: string;
	requesterId: string;
	input: CaseRequestInput;
}

async function resolveMeetingChoice(
	choice: string | null,
	pathwayId: string,
	now: Date,
	tx: DbOrTx
): Promise<
	{ ok: true; meetingId: string | null; wantsNext: boolean } | { ok: false; error: string }
> {
	if (choice === null) return { ok: true, meetingId: null, wantsNext: false };
	if (choice === 'next') return { ok: true, meetingId: null, wantsNext: true };
	const m = await queryOne(tx.select().from(meetings).where(eq(meetings.id, choice)));
	if (!m || m.pathwayId !== pathwayId || m.status !== 'scheduled' || m.startsAt <= now) {
		return {
			ok: false,
			error: 'Cette séance n’accepte plus de demandes : choisissez-en une autre.'
		};
	}
	return { ok: true, meetingId: m.id, wantsNext: false };
}

/**
 * Creates or updates a case request, with a new patient when needed, and submits it when
 * asked: one transaction, so a refused submission leaves nothing half-saved. A new identity
 * that matches a known patient (same INS, or same traits without confirmation) is not created:
 * the form shows the patient found.
 */
export async function saveCaseRequest(
	args: SaveCaseArgs,
	audit: AuditContext,
	now: Date = new Date()
): Promise<SaveCaseResult> {
	const { input } = args;
	return transaction(getDb(), async (tx): Promise<SaveCaseResult> => {
		const pathway = await queryOne(
			tx.select().from(pathways).where(eq(pathways.id, args.pathwayId))
		);
		if (!pathway || !pathway.active) {
			return { ok: false as const, errors: { form: 'Cette filière n’accepte pas de demandes.' } };
		}
		const existing = args.caseId ? await getCase(args.caseId, tx) : undefined;
		if (args.caseId && (!existing || existing.pathwayId !== pathway.id)) {
			return { ok: false as const, errors: { form: 'Ce dossier n’existe pas.' } };
		}
		if (existing && !editableStatuses.includes(existing.status)) {
			return { ok: false as const, errors: { form: 'Ce dossier ne peut plus être modifié.' } };
		}

		let patientId: string;
		if (input.patient.kind === 'existing') {
			const p = await getPatient(input.patient.id, tx);
			if (!p) return { ok: false as const, errors: { form: 'Ce patient n’existe pas.' } };
			patientId = p.id;
		} else {
			const dup = await checkDuplicatePatient(input.patient.identity, tx);
			if (dup.kind === 'same_ins') {
				return {
					ok: false as const,
					errors: {
						ins: `Ce matricule INS est déjà enregistré pour ${describePatient(dup.patient)} : utilisez ce patient.`
					},
					duplicates: [toPatientSummary(dup.patient)]
				};
			}
			if (dup.kind === 'same_traits' && !input.confirmNewPatient) {
				return {
					ok: false as const,
					errors: {
						confirmNewPatient:
							'Un patient avec le même nom de naissance, le même premier prénom et la même date de naissance existe déjà : utilisez-le, ou confirmez qu’il s’agit d’un autre patient.'
					},
					duplicates: dup.patients.map(toPatientSummary)
				};
			}
			patientId = await insertPatient(input.patient.identity, audit, tx);
		}

		const onAgenda =
			existing && (existing.status === 'scheduled' || existing.status === 'deferred');
		let meetingFields: { meetingId?: string | null; wantsNextMeeting?: boolean } = {};
		if (!onAgenda) {
			const choice = await resolveMeetingChoice(input.common.meetingChoice, pathway.id, now, tx);
			if (!choice.ok) return { ok: false as const, errors: { meetingChoice: choice.error } };
			meetingFields = { meetingId: choice.meetingId, wantsNextMeeting: choice.wantsNext };
		}

		const { question, summary, referringName, referringRpps, referringEmail } = input.common;
		const { gpName, gpRpps, gpEmail } = input.common;
		const fields = {
			question,
			summary,
			referringName,
			referringRpps,
			referringEmail,
			gpName,
			gpRpps,
			gpEmail,
			pathwayData: input.data,
			...meetingFields
		};
		let caseId: string;
		if (existing) {
			caseId = existing.id;
			await tx
				.update(cases)
				.set({ ...fields, updatedAt: now })
				.where(eq(cases.id, caseId));
			await recordAudit(
				audit,
				{ action: 'case.update', objectType: 'rcp_case', objectId: caseId, patientId },
				tx
			);
		} else {
			caseId = crypto.randomUUID();
			await tx.insert(cases).values({
				id: caseId,
				patientId,
				pathwayId: pathway.id,
				requesterId: args.requesterId,
				status: 'draft',
				createdAt: now,
				...fields
			});
			await recordCaseEvent(tx, {
				caseId,
				actorId: audit.actorId,
				kind: 'created',
				toStatus: 'draft',
				at: now
			});
			await recordAudit(
				audit,
				{ action: 'case.create', objectType: 'rcp_case', objectId: caseId, patientId },
				tx
			);
		}

		let submitted = false;
		const status = existing?.status ?? 'draft';
		if (input.intent === 'submit' && (status === 'draft' || status === 'refused')) {
			await submitInTx(tx, { id: caseId, status }, fields.meetingId ?? null, audit, now);
			submitted = true;
		}
		return { ok: true as const, caseId, submitted };
	});
}

async function submitInTx(
	tx: DbOrTx,
	c: Pick<CaseRow, 'id' | 'status'>,
	meetingId: string | null,
	audit: AuditContext,
	now: Date
): Promise<void> {
	let status = c.status;
	if (status === 'refused') {
		await changeCaseStatus(tx, c, 'draft', { actorId: audit.actorId, kind: 'reopened' }, {}, now);
		status = 'draft';
	}
	await changeCaseStatus(
		tx,
		{ id: c.id, status },
		'submitted',
		{ actorId: audit.actorId, kind: 'submitted', meetingId },
		{ submittedAt: now, refusalReason: null },
		now
	);
}

export type CaseActionResult = { ok: true } | { ok: false; message: string };

/** Submits a saved draft (or a refused request, corrected) from the case page. */
export async function submitCase(
	caseId: string,
	audit: AuditContext,
	now: Date = new Date()
): Promise<CaseActionResult> {
	return transaction(getDb(), async (tx): Promise<CaseActionResult> => {
		const c = await getCase(caseId, tx);
		if (!c) return { ok: false as const, message: 'Ce dossier n’existe pas.' };
		if (c.status !== 'draft' && c.status !== 'refused') {
			return { ok: false as const, message: 'Cette demande a déjà été soumise.' };
		}
		const pathway = (await queryOne(
			tx.select().from(pathways).where(eq(pathways.id, c.pathwayId))
		))!;
		const missing = listMissingCaseFields(getCaseFormKind(pathway), c, c.pathwayData, 'submit');
		if (missing.length) {
			return {
				ok: false as const,
				message: `Complétez la demande avant de la soumettre : ${missing.map((m) => m.label).join(', ')}.`
			};
		}
		if (!c.meetingId && !c.wantsNextMeeting) {
			return {
				ok: false as const,
				message: 'Choisissez une séance ou « la prochaine séance » en modifiant la demande.'
			};
		}
		if (c.meetingId) {
			const m = await queryOne(tx.select().from(meetings).where(eq(meetings.id, c.meetingId)));
			if (!m || m.status !== 'scheduled' || m.startsAt <= now) {
				return {
					ok: false as const,
					message:
						'La séance choisie est passée ou annulée : modifiez la demande pour en choisir une autre.'
				};
			}
		}
		await submitInTx(tx, c, c.meetingId, audit, now);
		await recordAudit(
			audit,
			{ action: 'case.submit', objectType: 'rcp_case', objectId: c.id, patientId: c.patientId },
			tx
		);
		return { ok: true as const };
	});
}

/** Withdraws a request or a scheduled case; it leaves the agenda, its history stays. */
export async function withdrawCase(
	caseId: string,
	reason: string | null,
	audit: AuditContext,
	now: Date = new Date()
): Promise<CaseActionResult> {
	return transaction(getDb(), async (tx): Promise<CaseActionResult> => {
		const c = await getCase(caseId, tx);
		if (!c) return { ok: false as const, message: 'Ce dossier n’existe pas.' };
		if (!canTransitionCase(c.status, 'withdrawn')) {
			return { ok: false as const, message: 'Ce dossier ne peut plus être retiré.' };
		}
		await changeCaseStatus(
			tx,
			c,
			'withdrawn',
			{ actorId: audit.actorId, kind: 'withdrawn', note: reason, meetingId: c.meetingId },
			{ agendaPosition: null },
			now
		);
		if (c.meetingId) await compactAgenda(c.meetingId, tx);
		await recordAudit(
			audit,
			{
				action: 'case.withdraw',
				objectType: 'rcp_case',
				objectId: c.id,
				patientId: c.patientId,
				detail: reason ? { reason } : null
			},
			tx
		);
		return { ok: true as const };
	});
}

// ---------- reading ----------

export interface CaseEventView {
	at: Date;
	kind: string;
	fromStatus: string | null;
	toStatus: string | null;
	note: string | null;
	actorName: string | null;
	meetingStartsAt: Date | null;
}

export async function listCaseEvents(
	caseId: string,
	tx: DbOrTx = getDb()
): Promise<CaseEventView[]> {
	return (
		await tx
			.select({ e: caseEvents, actor: users, meeting: meetings })
			.from(caseEvents)
			.leftJoin(users, eq(users.id, caseEvents.actorId))
			.leftJoin(meetings, eq(meetings.id, caseEvents.meetingId))
			.where(eq(caseEvents.caseId, caseId))
			.orderBy(asc(caseEvents.at))
	).map(({ e, actor, meeting }) => ({
		at: e.at,
		kind: e.kind,
		fromStatus: e.fromStatus,
		toStatus: e.toStatus,
		note: e.note,
		actorName: actor ? formatPersonName(actor) : null,
		meetingStartsAt: meeting?.startsAt ?? null
	}));
}

export interface CaseView {
	caseRow: CaseRow;
	patient: PatientRow;
	pathway: PathwayRow;
	meeting: MeetingRow | null;
	requesterName: string;
	presenterName: string | null;
	events: CaseEventView[];
	readiness: CompletenessResult | null;
}

/** Everything the case page shows; the read is audited with the patient. */
export async function readCase(
	caseRow: CaseRow,
	audit: AuditContext,
	now: Date = new Date()
): Promise<CaseView> {
	const db = getDb();
	const patient = (await getPatient(caseRow.patientId, db))!;
	const pathway = (await queryOne(
		db.select().from(pathways).where(eq(pathways.id, caseRow.pathwayId))
	))!;
	const meeting = caseRow.meetingId
		? ((await queryOne(db.select().from(meetings).where(eq(meetings.id, caseRow.meetingId)))) ??
			null)
		: null;
	const requester = await queryOne(
		db.select().from(users).where(eq(users.id, caseRow.requesterId))
	);
	const presenter = caseRow.presenterId
		? await queryOne(db.select().from(users).where(eq(users.id, caseRow.presenterId)))
		: undefined;
	const open = ['draft', 'submitted', 'scheduled', 'deferred', 'refused'].includes(caseRow.status);
	await recordAudit(audit, {
		action: 'case.read',
		objectType: 'rcp_case',
		objectId: caseRow.id,
		patientId: caseRow.patientId
	});
	return {
		caseRow,
		patient,
		pathway,
		meeting,
		requesterName: requester ? formatPersonName(requester) : '—',
		presenterName: presenter ? formatPersonName(presenter) : null,
		events: await listCaseEvents(caseRow.id, db),
		readiness: open
			? ((await assessCaseReadiness([caseRow], db, now)).get(caseRow.id) ?? null)
			: null
	};
}

export interface MyRequestLine {
	id: string;
	patientLabel: string;
	pathwayName: string;
	status: CaseStatus;
	meetingStartsAt: Date | null;
	wantsNextMeeting: boolean;
	refusalReason: string | null;
	updatedAt: Date;
}

/** « Mes demandes »: the user's own requests, most recent first; each line shown is audited. */
export async function listMyRequests(
	userId: string,
	audit: AuditContext,
	limit = 100
): Promise<MyRequestLine[]> {
	const db = getDb();
	const rows = await db
		.select({ c: cases, p: patients, pathwayName: pathways.name, startsAt: meetings.startsAt })
		.from(cases)
		.innerJoin(patients, eq(patients.id, cases.patientId))
		.innerJoin(pathways, eq(pathways.id, cases.pathwayId))
		.leftJoin(meetings, eq(meetings.id, cases.meetingId))
		.where(eq(cases.requesterId, userId))
		.orderBy(desc(cases.createdAt))
		.limit(limit);
	if (rows.length) {
		await transaction(db, async (tx) => {
			for (const { c } of rows) {
				await recordAudit(
					audit,
					{
						action: 'case.list',
						objectType: 'rcp_case',
						objectId: c.id,
						patientId: c.patientId,
						detail: { page: 'cases.mine' }
					},
					tx
				);
			}
		});
	}
	return rows.map(({ c, p, pathwayName, startsAt }) => ({
		id: c.id,
		patientLabel: describePatient(p),
		pathwayName,
		status: c.status,
		meetingStartsAt: startsAt ?? null,
		wantsNextMeeting: c.wantsNextMeeting,
		refusalReason: c.refusalReason,
		updatedAt: c.updatedAt ?? c.createdAt
	}));
}

// ---------- mails to the requester ----------

export interface RequesterNotice {
	caseId: string;
	kind: MailKind;
	subject: string;
	/** Body paragraphs after the greeting; the patient is named discreetly. */
	lines: (patient: string) => string[];
}

/** Mails the requester about their case (after the change is committed). */
/** `background`: return once the mail is recorded, the SMTP part going on afterwards. */
export async function notifyRequester(
	notice: RequesterNotice,
	{ background = false }: { background?: boolean } = {}
): Promise<void> {
	const db = getDb();
	const row = await queryOne(
		db
			.select({ c: cases, p: patients, u: users })
			.from(cases)
			.innerJoin(patients, eq(patients.id, cases.patientId))
			.innerJoin(users, eq(users.id, cases.requesterId))
			.where(eq(cases.id, notice.caseId))
	);
	if (!row) return;
	const greeting = row.u.title
		? `${row.u.title} ${row.u.lastName}`
		: `${row.u.firstName} ${row.u.lastName}`;
	const text = [
		`Bonjour ${greeting},`,
		'',
		...notice.lines(describePatientDiscreetly(row.p)),
		'',
		'Le dossier et son historique sont consultables dans Pluri, rubrique « Dossiers ».',
		'',
		'— Pluri, secrétariat des RCP'
	].join('\n');
	const mail = {
		to: row.u.mssanteAddress ?? row.u.email,
		subject: notice.subject,
		text,
		kind: notice.kind
	};
	if (!background) {
		await sendMail(mail);
		return;
	}
	const { sent } = await queueMail(mail);
	sent.catch((error: unknown) => console.error('[mail] to the requester failed', error));
}

// ---------- correction after the meeting (what the Fiche RCP CDA needs) ----------

/** The staging fields a coordinator may complete after validation (the CDA requires them). */
export type StagingCorrection = Record<'primarySite' | 'cT' | 'cN' | 'cM', string | null>;

/**
 * Completes the primary site and clinical TNM of a decided case's pathway data, so the Fiche
 * RCP (CDA) can be produced. The validated proposal is untouched; an emptied field is removed.
 * One audit row names the fields changed (not their values) and the decision it was for.
 */
export async function correctCaseStaging(
	caseId: string,
	input: StagingCorrection,
	audit: AuditContext,
	context: { decisionId: string | null }
): Promise<{ changed: string[] }> {
	return transaction(getDb(), async (tx): Promise<{ changed: string[] }> => {
		const c = await getCase(caseId, tx);
		if (!c) return { changed: [] };
		const data: Record<string, unknown> = { ...c.pathwayData };
		const changed: string[] = [];
		for (const [name, value] of Object.entries(input)) {
			if ((data[name] ?? null) === value) continue;
			changed.push(name);
			if (value === null) delete data[name];
			else data[name] = value;
		}
		if (!changed.length) return { changed };
		await tx
			.update(cases)
			.set({ pathwayData: data, updatedAt: new Date() })
			.where(eq(cases.id, caseId));
		await recordAudit(
			audit,
			{
				action: 'case.record_correction',
				objectType: 'case',
				objectId: caseId,
				patientId: c.patientId,
				detail: { fields: changed, decisionId: context.decisionId }
			},
			tx
		);
		return { changed };
	});
}
