import { describe, expect, it } from 'vitest';
import { normalizeDoctorName, rankDoctors, type DoctorCandidate } from './doctor-ranking';

const doctor = (
	name: string,
	rpps: string | null,
	source: 'user' | 'case',
	email: string | null = null
): DoctorCandidate => ({
	name,
	rpps,
	email,
	specialty: null,
	establishment: null,
	city: null,
	source
});

const candidates = [
	doctor('Dr Paul Martinet', '10000000012', 'case'),
	doctor('Dr Élise Martin', '10000000020', 'user', 'e.martin@demo.mssante.fr'),
	doctor('Dr Jean Martin', '10000000038', 'case', 'j.martin@example.mssante.fr'),
	doctor('Dr Jean Martin', '10000000038', 'user'),
	doctor('Dr Anne Durand', null, 'case', 'a.durand@example.fr')
];

describe('rankDoctors', () => {
	it('finds by RPPS, exact first, then prefix', () => {
		expect(rankDoctors('10000000020', candidates).map((c) => c.name)).toEqual(['Dr Élise Martin']);
		expect(rankDoctors('1000000003', candidates)).toHaveLength(1);
		expect(rankDoctors('999', candidates)).toEqual([]);
	});
	it('ranks whole words before prefixes, accounts before case-named doctors', () => {
		expect(rankDoctors('martin', candidates).map((c) => c.name)).toEqual([
			'Dr Élise Martin',
			'Dr Jean Martin',
			'Dr Paul Martinet'
		]);
	});
	it('ignores accents, titles and word order', () => {
		expect(rankDoctors('martin elise', candidates).map((c) => c.rpps)).toEqual(['10000000020']);
		expect(rankDoctors('Dr eli', candidates).map((c) => c.rpps)).toEqual(['10000000020']);
		expect(normalizeDoctorName('Pr Éloïse Saint-Just')).toBe('eloise saint just');
	});
	it('lists a doctor once, the account completed by the address known from a case', () => {
		const jean = rankDoctors('jean', candidates);
		expect(jean).toHaveLength(1);
		expect(jean[0]).toMatchObject({ source: 'user', email: 'j.martin@example.mssante.fr' });
	});
	it('matches nothing on a word no name has', () => {
		expect(rankDoctors('martin zorro', candidates)).toEqual([]);
	});
});
