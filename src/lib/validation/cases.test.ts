import { describe, expect, it } from 'vitest';
import { computeInsKey } from '$lib/domain/ins';
import { parseCaseRequest, patientSearchSchema } from './cases';

// A test NIR consistent with a man born in March 1954 in Chalon-sur-Saône (71076).
const first13 = '1540371076101';
const INS = first13 + computeInsKey(first13);
const wrongKey = first13 + String((Number(computeInsKey(first13)) % 97) + 1).padStart(2, '0');

function form(values: Record<string, string | string[]>): FormData {
	const f = new FormData();
	for (const [k, v] of Object.entries(values)) {
		for (const item of Array.isArray(v) ? v : [v]) f.append(k, item);
	}
	return f;
}

const identity = {
	ins: INS,
	birthName: 'Durand',
	firstNames: 'Jean  Michel',
	sex: 'M',
	birthDate: '1954-03-12',
	birthplaceCode: '71076',
	identityStatus: 'qualified'
};

const oncology = {
	question: 'Chirurgie d’emblée ?',
	summary: 'Adénocarcinome du sigmoïde.',
	primarySite: 'c18.7',
	phase: 'initial',
	cT: 't3',
	cN: 'N1',
	cM: 'M0',
	meetingChoice: 'next'
};

describe('case request form', () => {
	it('parses a complete oncology submission with a new patient', () => {
		const parsed = parseCaseRequest(
			form({ ...identity, ...oncology, intent: 'submit' }),
			'oncology'
		);
		expect(parsed.ok).toBe(true);
		if (!parsed.ok) return;
		expect(parsed.data.intent).toBe('submit');
		expect(parsed.data.patient).toEqual({
			kind: 'new',
			identity: {
				ins: INS,
				birthName: 'DURAND',
				firstNames: ['Jean', 'Michel'],
				sex: 'M',
				birthDate: '1954-03-12',
				birthplaceCode: '71076',
				identityStatus: 'qualified'
			}
		});
		expect(parsed.data.data).toEqual({
			primarySite: 'C18.7',
			phase: 'initial',
			cT: 'T3',
			cN: 'N1',
			cM: 'M0'
		});
	});

	it('refuses a wrong INS key on the INS field and keeps every value typed', () => {
		const values = { ...identity, ins: wrongKey, ...oncology, intent: 'submit' };
		const parsed = parseCaseRequest(form(values), 'oncology');
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors.ins).toMatch(/^Le matricule INS ne correspond pas à sa clé/);
		expect(parsed.errors.ins).not.toMatch(/\d{2}\b(?! derniers)/);
		expect(Object.keys(parsed.errors)).toEqual(['ins']);
		expect(parsed.values).toMatchObject(values);
	});

	it('reports traits that contradict the INS on the trait to correct', () => {
		const parsed = parseCaseRequest(
			form({ ...identity, sex: 'F', birthDate: '1955-04-12', ...oncology }),
			'oncology'
		);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors.sex).toBe(
			'Le sexe (féminin) ne correspond pas au matricule INS (masculin).'
		);
		expect(parsed.errors.birthDate).toContain("L'année de naissance (1955)");
		expect(parsed.errors.birthDate).toContain('Le mois de naissance (04)');
		expect(parsed.errors.ins).toBeUndefined();
	});

	it('a validated identity needs an INS; a provisional one may wait for it', () => {
		const without = parseCaseRequest(form({ ...identity, ins: '', ...oncology }), 'oncology');
		expect(without.ok).toBe(false);
		if (!without.ok) expect(without.errors.ins).toContain('comporte un matricule INS');
		expect(
			parseCaseRequest(
				form({ ...identity, ins: '', identityStatus: 'provisional', ...oncology }),
				'oncology'
			).ok
		).toBe(true);
	});

	it('refuses impossible TNM values and an unknown CIM-10 code', () => {
		const parsed = parseCaseRequest(
			form({ ...identity, ...oncology, cT: 'T5', cM: 'MX', primarySite: 'C99' }),
			'oncology'
		);
		expect(parsed.ok).toBe(false);
		if (parsed.ok) return;
		expect(parsed.errors.cT).toContain('« T5 » n’est pas une valeur possible');
		expect(parsed.errors.cM).toContain('MX n’existe plus');
		expect(parsed.errors.primarySite).toContain('n’est pas un code CIM-10');
	});

	it('refuses an LVEF outside 5–80 % and malformed numbers', () => {
		const base = { ...identity, question: 'Q', summary: 'S', nyha: '3', meetingChoice: 'next' };
		for (const [lvef, message] of [
			['4', 'FEVG doit être comprise entre 5 % et 80 %.'],
			['81', 'FEVG doit être comprise entre 5 % et 80 %.'],
			['trente', 'FEVG doit être un nombre.'],
			['25,5', 'FEVG doit être un nombre entier.']
		]) {
			const parsed = parseCaseRequest(form({ ...base, lvef: lvef! }), 'heart_failure');
			expect(parsed.ok, lvef).toBe(false);
			if (!parsed.ok) expect(parsed.errors.lvef).toBe(message);
		}
		const ok = parseCaseRequest(form({ ...base, lvef: '25', peakVo2: '11,5' }), 'heart_failure');
		expect(ok.ok).toBe(true);
		if (ok.ok) expect(ok.data.data).toEqual({ nyha: '3', lvef: 25, peakVo2: 11.5 });
	});

	it('a draft may be incomplete; a submission names what is missing', () => {
		const draft = parseCaseRequest(form({ ...identity, intent: 'draft' }), 'oncology');
		expect(draft.ok).toBe(true);
		const submit = parseCaseRequest(form({ ...identity, intent: 'submit' }), 'oncology');
		expect(submit.ok).toBe(false);
		if (!submit.ok) {
			expect(Object.keys(submit.errors).sort()).toEqual(
				['meetingChoice', 'phase', 'primarySite', 'question', 'summary'].sort()
			);
		}
	});

	it('an existing patient needs no identity fields', () => {
		const parsed = parseCaseRequest(form({ patientId: 'abc-123', ...oncology }), 'oncology');
		expect(parsed.ok && parsed.data.patient).toEqual({ kind: 'existing', id: 'abc-123' });
	});
});

describe('patient search', () => {
	it('by INS, or by name and birth date', () => {
		expect(patientSearchSchema.safeParse({ ins: INS }).success).toBe(true);
		expect(patientSearchSchema.safeParse({ name: 'Durand', birthDate: '1954-03-12' }).success).toBe(
			true
		);
		expect(patientSearchSchema.safeParse({ name: 'Durand' }).success).toBe(false);
		expect(patientSearchSchema.safeParse({ ins: wrongKey }).success).toBe(false);
	});
});
