import { describe, expect, it } from 'vitest';
import { getDefaultQuorumRule } from '$lib/domain/rcp-types';
import { getSpecialtyLabel, installSpecialties, specialtyCatalog } from '$lib/domain/specialties';
import { systemAudit } from '$lib/server/audit';
import { establishments, meetings, users } from '$lib/server/db/schema';
import { saveEstablishment } from '$lib/server/establishments';
import { archivePathway, createPathway, getPathway } from '$lib/server/pathways';
import { listSpecialtyRows, loadSpecialtyRegistry, updateSpecialty } from '$lib/server/specialties';
import { importUsers, planUserImport } from '$lib/server/user-import';
import { migratedDb } from '../support/db';

const db = await migratedDb();

const header =
	"Identifiant PP|Code civilité d'exercice|Nom d'exercice|Prénom d'exercice|Code profession|Code savoir-faire|Libellé savoir-faire|Code mode exercice|Numéro FINESS site|Adresse BAL MSSanté";

function csv(...lines: string[]): string {
	return [header, ...lines].join('\n');
}

describe('specialty table', () => {
	it('is seeded at install with the built-in catalog, in its order', async () => {
		const rows = await listSpecialtyRows();
		expect(rows.map((r) => r.code)).toEqual(specialtyCatalog.map((e) => e.code));
		const haem = rows.find((r) => r.code === 'haematology');
		expect(haem).toMatchObject({
			label: 'Hématologie',
			category: 'physician',
			countsTowardQuorum: true
		});
		expect(haem?.rppsCodes).toContain('SM21');
		expect(rows.find((r) => r.code === 'pharmacist')?.countsTowardQuorum).toBe(false);
	});

	it('feeds the domain lookups after an admin edit', async () => {
		const radiology = (await listSpecialtyRows()).find((r) => r.code === 'radiology')!;
		await updateSpecialty(
			'radiology',
			{ ...radiology, label: 'Radiologie et imagerie médicale' },
			systemAudit
		);
		expect(getSpecialtyLabel('radiology')).toBe('Radiologie et imagerie médicale');
		await updateSpecialty('radiology', radiology, systemAudit);
		installSpecialties(specialtyCatalog);
		await loadSpecialtyRegistry();
		expect(getSpecialtyLabel('radiology')).toBe('Radiologie');
	});
});

describe('user import from the RPPS extract', async () => {
	const est = await saveEstablishment(
		null,
		{
			finess: '210780581',
			name: 'CHU test',
			city: 'Dijon',
			kind: 'hospital',
			level: 'legal_entity',
			legalEntityId: null
		},
		systemAudit
	);
	if (!est.ok) throw new Error(est.message);

	const good = [
		'10001341998|DR|MARTIN|Claire|10|SM21|Hématologie|S|210780581|claire.martin@chu.mssante.fr',
		'10000705706|MME|DURAND|Anne|21||||210780581|anne.durand@chu.mssante.fr'
	];

	it('imports nothing when one line is wrong (all or nothing), with the line number', async () => {
		const before = (await db.select().from(users)).length;
		const result = await importUsers(
			csv(...good, '10100192334|DR|PETIT|Luc|10|SM99|Spécialité inconnue|L||l.petit@x.mssante.fr'),
			systemAudit
		);
		expect(result.ok).toBe(false);
		if (result.ok || !result.plan.ok) throw new Error('expected a plan with errors');
		expect(result.plan.errorCount).toBe(1);
		const bad = result.plan.lines.find((l) => l.action === 'error')!;
		expect(bad.lineNo).toBe(4);
		expect(bad.errors[0]).toContain('« SM99 — Spécialité inconnue » est inconnue');
		expect((await db.select().from(users)).length).toBe(before);
	});

	it('refuses an unknown FINESS and an address already used by another account', async () => {
		const plan = await planUserImport(
			csv('10100192334|DR|PETIT|Luc|10|SM26|MG|S|750712184|claire.martin@chu.mssante.fr')
		);
		expect(plan.ok).toBe(true);
		if (!plan.ok) return;
		expect(plan.lines[0]?.errors).toEqual([
			'Aucun établissement du réseau ne porte le FINESS 750712184 : créez-le d’abord (Administration › Établissements).'
		]);
	});

	it('creates the accounts, then updates them on re-import instead of duplicating', async () => {
		const first = await importUsers(csv(...good), systemAudit);
		expect(first).toEqual({ ok: true, created: 2, updated: 0, unchanged: 0 });
		const claire = (await db.select().from(users)).find((u) => u.rpps === '10001341998')!;
		expect(claire).toMatchObject({
			title: 'Dr',
			lastName: 'MARTIN',
			specialty: 'haematology',
			sector: 'establishment',
			establishmentId: est.id,
			mssanteAddress: 'claire.martin@chu.mssante.fr',
			passwordHash: null,
			isAdmin: false
		});

		const again = await importUsers(csv(...good), systemAudit);
		expect(again).toEqual({ ok: true, created: 0, updated: 0, unchanged: 2 });

		const changed = await importUsers(
			csv(
				'10001341998|PR|MARTIN|Claire|10|SM21|Hématologie|S|210780581|c.martin@chu.mssante.fr',
				good[1]!
			),
			systemAudit
		);
		expect(changed).toEqual({ ok: true, created: 0, updated: 1, unchanged: 1 });
		const rows = (await db.select().from(users)).filter((u) => u.rpps === '10001341998');
		expect(rows).toHaveLength(1);
		expect(rows[0]).toMatchObject({ id: claire.id, title: 'Pr', email: 'c.martin@chu.mssante.fr' });
	});
});

describe('pathway administration', () => {
	const profile = {
		area: 'haematology' as const,
		rcpType: 'recours' as const,
		recoursCategory: null,
		organ: null,
		cellTherapyAuthorised: true
	};

	it('creates an RCP with its type default and refuses a duplicated code', async () => {
		const input = {
			...profile,
			name: 'RCP hématologie de recours',
			clinicalForm: 'haematology' as const,
			quorumRule: getDefaultQuorumRule(profile),
			submissionDeadlineHours: 48,
			freshnessDays: 90,
			active: true,
			establishmentIds: (await db.select().from(establishments)).map((e) => e.id)
		};
		const created = await createPathway('hemato-recours', input, systemAudit);
		expect(created.ok).toBe(true);
		if (!created.ok) return;
		expect(await getPathway(created.id)).toMatchObject({ kind: 'oncology', rcpType: 'recours' });
		expect(await createPathway('hemato-recours', input, systemAudit)).toEqual({
			ok: false,
			field: 'code',
			message: 'Une RCP porte déjà ce code.'
		});

		// Archiving is refused while a meeting is still to come.
		const startsAt = new Date(Date.now() + 86_400_000);
		await db.insert(meetings).values({
			pathwayId: created.id,
			startsAt,
			endsAt: new Date(startsAt.getTime() + 3_600_000),
			deadlineAt: startsAt,
			place: 'Salle 1'
		});
		const refused = await archivePathway(created.id, systemAudit);
		expect(refused).toEqual({
			ok: false,
			message:
				'Cette RCP a encore une séance à venir : annulez-la ou terminez ses séries avant de l’archiver.'
		});
		expect((await getPathway(created.id))?.archivedAt).toBeNull();
		expect(await archivePathway(created.id, systemAudit, new Date(startsAt.getTime() + 1))).toEqual(
			{
				ok: true
			}
		);
		expect(await getPathway(created.id)).toMatchObject({ active: false });
	});
});
