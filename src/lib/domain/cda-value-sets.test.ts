import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	authorSpecialtyCode,
	facilityTypeCode,
	frcpTreatmentCodes,
	listCdaBlockers,
	quorumCode,
	rcpOrganOf,
	whoPerformanceCodes,
	type CdaReadinessInput,
	type Coded
} from './cda-value-sets';
import { oncologyProposalTypes } from './pathways';
import { specialties } from './specialties';

const ready: CdaReadinessInput = {
	pathwayKind: 'oncology',
	decisionStatus: 'validated',
	identityStatus: 'qualified',
	insMatricule: '154037107610042',
	insOid: '1.2.250.1.213.1.4.10',
	authorRpps: '10099000101',
	establishmentFiness: '710099901',
	hasMeeting: true,
	primarySite: 'C20',
	tnm: { cT: 'T3', cN: null, cM: null }
};

describe('what the Fiche RCP (CDA) needs', () => {
	it('nothing blocks a validated decision with a qualified INS, an RPPS, a FINESS and a TNM', () => {
		expect(listCdaBlockers(ready)).toEqual([]);
	});

	it('says, in French, each thing missing', () => {
		const reasons = listCdaBlockers({
			...ready,
			identityStatus: 'validated',
			authorRpps: null,
			establishmentFiness: null,
			hasMeeting: false,
			primarySite: 'C80',
			tnm: {}
		});
		expect(reasons).toHaveLength(6);
		expect(reasons.join(' ')).toMatch(/identité du patient n’est pas qualifiée/);
		expect(reasons.join(' ')).toMatch(/RPPS/);
		expect(reasons.join(' ')).toMatch(/FINESS/);
		expect(reasons.join(' ')).toMatch(/« C80 »/);
		expect(reasons.join(' ')).toMatch(/stade TNM clinique/);
	});

	it('a provisional opinion gets no fiche; heart failure has no volet, so nothing to block', () => {
		expect(listCdaBlockers({ ...ready, decisionStatus: 'provisional' })).toEqual([
			expect.stringMatching(/avis provisoire/)
		]);
		expect(listCdaBlockers({ ...ready, pathwayKind: 'heart_failure', tnm: {} })).toEqual([]);
	});
});

describe('codes from the CI-SIS value sets', () => {
	it('every oncology proposal type has a treatment code (or is a request for tests)', () => {
		for (const t of oncologyProposalTypes) expect(frcpTreatmentCodes[t.code], t.code).toBeDefined();
	});

	it('organs from the CIM-10 primary site, none for a site the volet does not list', () => {
		expect(rcpOrganOf('C20')?.organ.code).toBe('MED-251');
		expect(rcpOrganOf('C34.1')?.organ.code).toBe('MED-255');
		expect(rcpOrganOf('C50.9')?.apparatus.code).toBe('76752008');
		expect(rcpOrganOf('C80')).toBeNull();
		expect(rcpOrganOf('D12')).toBeNull();
	});

	it('quorum, WHO grades, specialties and facility types', () => {
		expect([quorumCode(true).code, quorumCode(false).code, quorumCode(null).code]).toEqual([
			'ORG-126',
			'ORG-133',
			'GEN-010'
		]);
		expect(whoPerformanceCodes.map((w) => w.value.code)).toEqual([
			'MED-240',
			'MED-264',
			'MED-265',
			'MED-266',
			'MED-267'
		]);
		expect(authorSpecialtyCode('medical_oncology').code).toBe('G15_10/SM36');
		expect(authorSpecialtyCode(null).code).toBe('G15_10');
		expect(facilityTypeCode('clinic').code).toBe('SA04');
	});

	// The codes are checked against the ANS value set files when they are on the machine.
	const jdv = resolve(process.cwd(), '../shared/validators/cda/jeuxDeValeurs');
	it.skipIf(!existsSync(jdv))('each code is in its JDV file (../shared/validators/cda)', () => {
		const inSet = (file: string, c: Coded) =>
			readFileSync(resolve(jdv, file), 'utf8').includes(
				`code="${c.code}"\n                  codeSystem="${c.codeSystem}"`
			);
		for (const c of Object.values(frcpTreatmentCodes)) {
			if (c !== 'exam') expect(inSet('JDV_TypeTraitement_FRCP_CISIS.xml', c), c.code).toBe(true);
		}
		for (const s of specialties) {
			const c = authorSpecialtyCode(s.code);
			expect(inSet('JDV_J01_XdsAuthorSpecialty_CISIS.xml', c), c.code).toBe(true);
		}
		for (const w of whoPerformanceCodes) {
			expect(inSet('JDV_OMSEchPerf_CISIS.xml', w.value)).toBe(true);
			expect(inSet('JDV_OMSInterpret_CISIS.xml', w.interpretation)).toBe(true);
		}
		for (const k of ['hospital', 'clinic', 'health_centre', 'practice']) {
			expect(inSet('JDV_J02_XdsHealthcareFacilityTypeCode_CISIS.xml', facilityTypeCode(k))).toBe(
				true
			);
		}
		for (const site of ['C15', 'C16', 'C17', 'C18', 'C22', 'C25', 'C34', 'C38', 'C45', 'C50']) {
			const o = rcpOrganOf(site)!;
			expect(inSet('JDV_RCP_Organe_CISIS.xml', o.organ), site).toBe(true);
			expect(inSet('JDV_RCP_Appareil_CISIS.xml', o.apparatus), site).toBe(true);
		}
	});
});
