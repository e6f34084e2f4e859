import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { describeCaseData, getCaseFormKind } from '$lib/domain/case-forms';
import { computeInsKey } from '$lib/domain/ins';
import { getDefaultQuorumRule, type RcpProfile } from '$lib/domain/rcp-types';
import { systemAudit } from '$lib/server/audit';
import { getCase, saveCaseRequest, submitCase } from '$lib/server/cases';
import { seedDemoNetwork } from '$lib/server/demo/network';
import { users } from '$lib/server/db/schema';
import { createPathway, getPathway } from '$lib/server/pathways';
import { assessCaseReadiness } from '$lib/server/readiness';
import type { CaseRequestInput } from '$lib/validation/cases';
import { migratedDb, queryOne } from '../support/db';

const db = await migratedDb();
await seedDemoNetwork();

const requester = (await queryOne(
	db.select().from(users).where(eq(users.email, 'j.moreau@demo.pluri.fr'))
))!;
const audit = { actorType: 'user' as const, actorId: requester.id, ip: '127.0.0.1' };

const profile: RcpProfile = {
	area: 'haematology',
	rcpType: 'recours',
	recoursCategory: null,
	organ: null,
	cellTherapyAuthorised: true
};
const created = await createPathway(
	'hemato-recours',
	{
		...profile,
		name: 'RCP de recours hématologie',
		clinicalForm: 'haematology',
		quorumRule: getDefaultQuorumRule(profile),
		submissionDeadlineHours: 48,
		freshnessDays: 30,
		active: true,
		establishmentIds: []
	},
	systemAudit
);
if (!created.ok) throw new Error(created.message);
const pathway = (await getPathway(created.id))!;

function request(
	data: Record<string, unknown>,
	intent: 'draft' | 'submit',
	order: string
): CaseRequestInput {
	const first13 = `25803710761${order}`;
	return {
		intent,
		patient: {
			kind: 'new',
			identity: {
				ins: first13 + computeInsKey(first13),
				birthName: 'HEMATO',
				firstNames: [order === '23' ? 'Lucie' : 'Marthe'],
				sex: 'F',
				birthDate: '1958-03-02',
				birthplaceCode: '71076',
				identityStatus: 'qualified'
			}
		},
		confirmNewPatient: false,
		common: {
			question: 'Autogreffe en consolidation ?',
			summary: 'Myélome en rechute après VRd.',
			referringName: null,
			referringRpps: null,
			referringEmail: null,
			gpName: null,
			gpRpps: null,
			gpEmail: null,
			meetingChoice: 'next'
		},
		data
	};
}

describe('an RCP created with the haematology clinical form', () => {
	it('uses the haematology form, its kind staying the oncology family', () => {
		expect(pathway.kind).toBe('oncology');
		expect(getCaseFormKind(pathway)).toBe('haematology');
	});

	it('refuses to submit a draft without the haematology mandatory fields', async () => {
		// Organ-form data does not satisfy the haematology form.
		const saved = await saveCaseRequest(
			{
				caseId: null,
				pathwayId: pathway.id,
				requesterId: requester.id,
				input: request({ primarySite: 'C18.7', phase: 'initial' }, 'draft', '23')
			},
			audit
		);
		if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
		const result = await submitCase(saved.caseId, audit);
		expect(result).toEqual({
			ok: false,
			message: 'Complétez la demande avant de la soumettre : Diagnostic (CIM-10).'
		});
	});

	it('submits with the code and phase, then lists what the meeting still needs', async () => {
		const saved = await saveCaseRequest(
			{
				caseId: null,
				pathwayId: pathway.id,
				requesterId: requester.id,
				input: request({ diagnosisCode: 'C90', phase: 'relapse', stage: 'riss_II' }, 'submit', '24')
			},
			audit
		);
		if (!saved.ok) throw new Error(JSON.stringify(saved.errors));
		expect(saved.submitted).toBe(true);
		const row = (await getCase(saved.caseId))!;
		const readiness = (await assessCaseReadiness([row])).get(row.id)!;
		expect(readiness.ready).toBe(false);
		const fields = readiness.issues.filter((i) => i.code === 'missing_field').map((i) => i.field);
		expect(fields).toEqual([
			'diagnosis',
			'treatmentLine',
			'priorTreatments',
			'intensiveEligible',
			'who'
		]);
		expect(readiness.issues.map((i) => i.message)).toContain('Aucune biologie jointe.');
		expect(readiness.issues.map((i) => i.message)).not.toContain('Aucune imagerie jointe.');
		expect(describeCaseData(getCaseFormKind(pathway), row.pathwayData).map((l) => l.value)).toEqual(
			['C90 — Myélome multiple et tumeurs malignes à plasmocytes', 'Rechute', 'R-ISS II']
		);
	});
});
