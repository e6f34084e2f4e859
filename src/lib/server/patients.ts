import { and, eq, inArray } from 'drizzle-orm';
import { describePatientDiscreetly as describeDiscreetly } from '$lib/domain/civility';
import { checkIns, formatIns, insOids } from '$lib/domain/ins';
import { canViewCase, type Actor } from './auth/access';
import { recordAudit, type AuditContext } from './audit';
// A cycle with cases.ts (which imports this module), harmless: used inside functions only.
import { isDemoMode } from './config';
import { getDb, type DbOrTx, queryOne, transaction } from './db';
import { cases, patients } from './db/schema';
import { toCaseRef } from './case-refs';

export type PatientRow = typeof patients.$inferSelect;

export interface PatientIdentity {
	ins: string | null;
	birthName: string;
	firstNames: string[];
	sex: 'F' | 'M' | 'I';
	birthDate: string;
	birthplaceCode: string | null;
	identityStatus: PatientRow['identityStatus'];
}

/** What a list shows of a patient: enough to recognise them, nothing more. */
export interface PatientSummary {
	id: string;
	label: string;
	ins: string | null;
	identityStatus: PatientRow['identityStatus'];
}

function formatBirthDate(date: string): string {
	const [y, m, d] = date.split('-');
	return `${d}/${m}/${y}`;
}

/** « DURAND Jean Michel, né le 12/03/1954 » */
export function describePatient(
	p: Pick<PatientRow, 'birthName' | 'firstNames' | 'sex' | 'birthDate'>
): string {
	const born = p.sex === 'F' ? 'née' : p.sex === 'M' ? 'né' : 'né(e)';
	return `${p.birthName} ${p.firstNames.join(' ')}, ${born} le ${formatBirthDate(p.birthDate)}`;
}

/** Civility, initials and birth year (« Mme M. B., née en 1958 »), for mails that must not carry the identity. */
export function describePatientDiscreetly(
	p: Pick<PatientRow, 'birthName' | 'firstNames' | 'sex' | 'birthDate'>
): string {
	return describeDiscreetly(p);
}

export function toPatientSummary(p: PatientRow): PatientSummary {
	return {
		id: p.id,
		label: describePatient(p),
		ins: p.insMatricule ? formatIns(p.insMatricule) : null,
		identityStatus: p.identityStatus
	};
}

export async function getPatient(
	id: string,
	tx: DbOrTx = getDb()
): Promise<PatientRow | undefined> {
	return await queryOne(tx.select().from(patients).where(eq(patients.id, id)));
}

/** Names compared without accents, case or punctuation, as identity vigilance does by eye. */
export function normalizeName(name: string): string {
	return name
		.normalize('NFD')
		.replace(/\p{Diacritic}/gu, '')
		.toUpperCase()
		.replace(/[^A-Z]/g, '');
}

export async function findPatientByIns(
	matricule: string,
	tx: DbOrTx = getDb()
): Promise<PatientRow | undefined> {
	return await queryOne(tx.select().from(patients).where(eq(patients.insMatricule, matricule)));
}

/** Patients with the same birth name, first first name and birth date. */
export async function findPatientsByTraits(
	traits: { birthName: string; firstNames: string[]; birthDate: string },
	tx: DbOrTx = getDb()
): Promise<PatientRow[]> {
	const name = normalizeName(traits.birthName);
	const first = normalizeName(traits.firstNames[0] ?? '');
	return (await tx.select().from(patients).where(eq(patients.birthDate, traits.birthDate))).filter(
		(p) => normalizeName(p.birthName) === name && normalizeName(p.firstNames[0] ?? '') === first
	);
}

export type DuplicateCheck =
	| { kind: 'none' }
	| { kind: 'same_ins'; patient: PatientRow }
	| { kind: 'same_traits'; patients: PatientRow[] };

/** A new identity that may already be known: the same INS, or else the same traits. */
export async function checkDuplicatePatient(
	identity: PatientIdentity,
	tx: DbOrTx = getDb()
): Promise<DuplicateCheck> {
	if (identity.ins) {
		const byIns = await findPatientByIns(identity.ins, tx);
		if (byIns) return { kind: 'same_ins', patient: byIns };
	}
	const byTraits = await findPatientsByTraits(identity, tx);
	return byTraits.length ? { kind: 'same_traits', patients: byTraits } : { kind: 'none' };
}

function oidFor(ins: string): string {
	if (isDemoMode()) return insOids.test;
	const check = checkIns(ins);
	return check.ok && check.kind === 'NIA' ? insOids.nia : insOids.nir;
}

export async function insertPatient(
	identity: PatientIdentity,
	audit: AuditContext,
	tx: DbOrTx
): Promise<string> {
	const id = crypto.randomUUID();
	await tx.insert(patients).values({
		id,
		insMatricule: identity.ins,
		insOid: identity.ins ? oidFor(identity.ins) : null,
		birthName: identity.birthName,
		firstNames: identity.firstNames,
		sex: identity.sex,
		birthDate: identity.birthDate,
		birthplaceCode: identity.birthplaceCode,
		identityStatus: identity.identityStatus,
		createdBy: audit.actorId
	});
	await recordAudit(
		audit,
		{ action: 'patient.create', objectType: 'patient', objectId: id, patientId: id },
		tx
	);
	return id;
}

/**
 * Whether the actor may see this patient's identity: they may view at least one of the
 * patient's cases (the access policy decides, case by case). A patient nobody showed them
 * stays unknown to them, whatever its id.
 */
export async function canActorSeePatient(
	actor: Actor,
	patientId: string,
	tx: DbOrTx = getDb()
): Promise<boolean> {
	if (actor.kind === 'anonymous') return false;
	const rows = await tx.select().from(cases).where(eq(cases.patientId, patientId));
	// The cheap facts first: their own requests need no meeting or invitation lookup.
	if (actor.kind === 'user' && rows.some((c) => c.requesterId === actor.id)) return true;
	for (const c of rows) if (canViewCase(actor, await toCaseRef(c, tx))) return true;
	return false;
}

/**
 * Whether a typed INS is this patient's: whoever holds the exact matricule (carte Vitale,
 * attestation) may be offered the patient for duplicate detection, as the desk would.
 */
export function insMatchesPatient(typed: unknown, p: Pick<PatientRow, 'insMatricule'>): boolean {
	if (typeof typed !== 'string' || !p.insMatricule) return false;
	const check = checkIns(typed.replace(/\s+/g, '').toUpperCase());
	return check.ok && check.matricule === p.insMatricule;
}

export interface PatientSearchResult {
	/** Patients the actor may see, with their identity. */
	patients: PatientSummary[];
	/**
	 * The exact INS searched belongs to a patient the actor may not see: Pluri only says that
	 * the patient is known (so no duplicate is created), never who it is.
	 */
	knownByIns: boolean;
}

/**
 * Finds patients for a new request: by INS (exact), or by birth name and birth date. Exact
 * traits only, as at a hospital desk: the search does not browse the patient base, and it
 * shows only patients the actor may already see. Every patient shown is audited.
 */
export async function searchPatients(
	query: { ins: string | null; name: string | null; birthDate: string | null },
	actor: Actor,
	audit: AuditContext
): Promise<PatientSearchResult> {
	const db = getDb();
	let rows: PatientRow[] = [];
	if (query.ins) {
		const found = await findPatientByIns(query.ins, db);
		rows = found ? [found] : [];
	} else if (query.name && query.birthDate) {
		const name = normalizeName(query.name);
		rows = (await db.select().from(patients).where(eq(patients.birthDate, query.birthDate))).filter(
			(p) => normalizeName(p.birthName) === name || normalizeName(p.usedName ?? '') === name
		);
	}
	const visible: PatientRow[] = [];
	for (const p of rows) if (await canActorSeePatient(actor, p.id, db)) visible.push(p);
	const knownByIns = query.ins !== null && rows.length > 0 && visible.length === 0;
	if (rows.length && (visible.length || knownByIns)) {
		await transaction(db, async (tx) => {
			for (const p of knownByIns ? rows : visible) {
				await recordAudit(
					audit,
					{
						action: 'patient.search',
						objectType: 'patient',
						objectId: p.id,
						patientId: p.id,
						detail: { by: query.ins ? 'ins' : 'traits', ...(knownByIns ? { shown: false } : {}) }
					},
					tx
				);
			}
		});
	}
	return { patients: visible.map(toPatientSummary), knownByIns };
}

export type IdentityUpdateResult = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * The coordinator (or the requester) checks an identity document and records the status; an
 * INS may be added to a provisional identity. The traits must agree with the INS.
 */
export async function updatePatientIdentity(
	patientId: string,
	input: { ins: string | null; identityStatus: PatientRow['identityStatus'] },
	audit: AuditContext,
	/** `decisionId`: a correction after validation, so the Fiche RCP (CDA) can go to the DMP. */
	context: { caseId: string; decisionId?: string | null }
): Promise<IdentityUpdateResult> {
	return transaction(getDb(), async (tx): Promise<IdentityUpdateResult> => {
		const p = await getPatient(patientId, tx);
		if (!p) return { ok: false as const, errors: { form: 'Ce patient n’existe pas.' } };
		const ins = input.ins ?? p.insMatricule;
		if (!ins && input.identityStatus !== 'provisional') {
			return {
				ok: false as const,
				errors: {
					ins: 'Une identité récupérée, validée ou qualifiée comporte un matricule INS.'
				}
			};
		}
		if (input.ins && input.ins !== p.insMatricule) {
			const other = await findPatientByIns(input.ins, tx);
			if (other) {
				return {
					ok: false as const,
					errors: {
						ins: `Ce matricule INS est déjà enregistré pour un autre patient (${describePatient(other)}) : signalez le doublon à la cellule d’identitovigilance.`
					}
				};
			}
			const check = checkIns(input.ins);
			const traits = check.ok
				? [
						check.sex !== p.sex && p.sex !== 'I' ? 'sexe' : null,
						check.birthYear2 !== p.birthDate.slice(2, 4) ? 'année de naissance' : null,
						check.birthMonth !== null && check.birthMonth !== p.birthDate.slice(5, 7)
							? 'mois de naissance'
							: null
					].filter(Boolean)
				: [];
			if (traits.length) {
				return {
					ok: false as const,
					errors: {
						ins: `Ce matricule INS ne correspond pas aux traits du patient (${traits.join(', ')}).`
					}
				};
			}
		}
		await tx
			.update(patients)
			.set({
				insMatricule: ins,
				insOid: ins ? (p.insOid ?? oidFor(ins)) : null,
				identityStatus: input.identityStatus,
				updatedAt: new Date()
			})
			.where(eq(patients.id, patientId));
		await recordAudit(
			audit,
			{
				action:
					context.decisionId !== undefined ? 'patient.identity_correction' : 'patient.identity',
				objectType: 'patient',
				objectId: patientId,
				patientId,
				detail: {
					from: p.identityStatus,
					to: input.identityStatus,
					caseId: context.caseId,
					...(context.decisionId !== undefined ? { decisionId: context.decisionId } : {})
				}
			},
			tx
		);
		return { ok: true as const };
	});
}

export async function listPatientsByIds(
	ids: readonly string[],
	tx: DbOrTx = getDb()
): Promise<PatientRow[]> {
	if (!ids.length) return [];
	return await tx
		.select()
		.from(patients)
		.where(and(inArray(patients.id, [...new Set(ids)])));
}
