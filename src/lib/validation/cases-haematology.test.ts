import { describe, expect, it } from 'vitest';
import { parseCaseRequest } from './cases';

function form(values: Record<string, string>): FormData {
	const f = new FormData();
	for (const [k, v] of Object.entries(values)) f.append(k, v);
	return f;
}

const base = {
	patientId: 'p1',
	question: 'Quel traitement de rattrapage ?',
	summary: 'Lymphome B diffus à grandes cellules en rechute.',
	meetingChoice: 'next',
	diagnosisCode: 'c83',
	diagnosis: 'Lymphome B diffus à grandes cellules',
	phase: 'relapse',
	stage: 'aa_IIIB',
	treatmentLine: '2',
	priorTreatments: 'R-CHOP x 6',
	intensiveEligible: 'yes',
	who: '1',
	comorbidities: ''
};

describe('haematology case request form', () => {
	it('stores the structured haematology data, normalised', () => {
		const parsed = parseCaseRequest(form({ ...base, intent: 'submit' }), 'haematology');
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.data.data).toEqual({
			diagnosisCode: 'C83',
			diagnosis: 'Lymphome B diffus à grandes cellules',
			phase: 'relapse',
			stage: 'aa_IIIB',
			treatmentLine: '2',
			priorTreatments: 'R-CHOP x 6',
			intensiveEligible: 'yes',
			who: '1'
		});
	});

	it('refuses a CIM-10 code outside C81–C96 on the diagnosis field', () => {
		const parsed = parseCaseRequest(form({ ...base, diagnosisCode: 'C18.7' }), 'haematology');
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors.diagnosisCode).toBe(
			'Diagnostic (CIM-10) : « C18.7 » n’est pas un code d’hémopathie maligne (C81 à C96).'
		);
		// The user's values come back as typed.
		expect(parsed.values.diagnosisCode).toBe('C18.7');
	});

	it('refuses unknown choices and WHO status outside 0–4', () => {
		const parsed = parseCaseRequest(
			form({ ...base, phase: 'remission', who: '5', intensiveEligible: 'peut-être' }),
			'haematology'
		);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors.phase).toBe('Phase de la maladie : choix inconnu.');
		expect(parsed.errors.who).toBe('État général (OMS) : choix inconnu.');
		expect(parsed.errors.intensiveEligible).toBe(
			'Éligible à un traitement intensif ou à une autogreffe : choix inconnu.'
		);
	});

	it('refuses an ISS score for a lymphoma, even in a draft', () => {
		const parsed = parseCaseRequest(form({ ...base, stage: 'iss_II' }), 'haematology');
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors.stage).toMatch(/^Stade ou score pronostique : les scores ISS et R-ISS/);
	});

	it('needs the code and phase to submit, not to save a draft', () => {
		const empty = { ...base, diagnosisCode: '', phase: '', treatmentLine: '' };
		expect(parseCaseRequest(form({ ...empty, intent: 'draft' }), 'haematology').ok).toBe(true);
		const parsed = parseCaseRequest(form({ ...empty, intent: 'submit' }), 'haematology');
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors.diagnosisCode).toBe(
			'Diagnostic (CIM-10) : à renseigner pour soumettre la demande.'
		);
		expect(parsed.errors.phase).toBe(
			'Phase de la maladie : à renseigner pour soumettre la demande.'
		);
	});

	it('ignores the oncology fields (no TNM in haematology)', () => {
		const parsed = parseCaseRequest(form({ ...base, cT: 'T9' }), 'haematology');
		expect(parsed.ok).toBe(true);
		if (parsed.ok) expect(parsed.data.data).not.toHaveProperty('cT');
	});
});
