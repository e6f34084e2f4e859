import { describe, expect, it } from 'vitest';
import {
	checkCaseCompleteness,
	checkCompleteness,
	checkMeetingReadiness,
	summarizeCompleteness,
	type CompletenessInput
} from './completeness';
import type { QuorumRule } from './quorum';

const oncologyRule: QuorumRule = {
	requiredSpecialties: ['visceral_surgery', 'medical_oncology', 'radiation_oncology'],
	minDistinctSpecialties: 3,
	countedSpecialties: null
};

const fullTeam = [
	{ personId: 'u1', specialty: 'visceral_surgery', isGp: false },
	{ personId: 'u2', specialty: 'medical_oncology', isGp: false },
	{ personId: 'u3', specialty: 'radiation_oncology', isGp: false },
	{ personId: 'u4', specialty: 'pathology', isGp: false }
];

function ready(over: Partial<CompletenessInput> = {}): CompletenessInput {
	return {
		kind: 'oncology',
		question: 'Chirurgie d’emblée ?',
		summary: 'Adénocarcinome du sigmoïde.',
		data: {
			primarySite: 'C18.7',
			histology: 'Adénocarcinome',
			phase: 'initial',
			cT: 'T3',
			cN: 'N1',
			cM: 'M0',
			who: '1'
		},
		hasIns: true,
		identityStatus: 'qualified',
		documents: [
			{ kind: 'pathology', date: '2026-10-01' },
			{ kind: 'imaging', date: '2026-11-10' }
		],
		referenceDate: '2026-12-01',
		freshnessDays: 90,
		quorumRule: oncologyRule,
		confirmed: fullTeam,
		opinions: [],
		neededSpecialties: [],
		...over
	};
}

const codes = (input: CompletenessInput) => checkCompleteness(input).issues.map((i) => i.code);

describe('case completeness', () => {
	it('a complete oncology case is ready', () => {
		expect(checkCompleteness(ready())).toEqual({ ready: true, issues: [] });
	});

	it('lists the mandatory fields still empty, by field', () => {
		const result = checkCompleteness(ready({ question: ' ', data: { primarySite: 'C18.7' } }));
		expect(result.ready).toBe(false);
		expect(result.issues.filter((i) => i.code === 'missing_field').map((i) => i.field)).toEqual([
			'question',
			'histology',
			'phase',
			'cT',
			'cN',
			'cM',
			'who'
		]);
	});

	it('oncology needs a pathology report and imaging; heart failure only imaging', () => {
		const onco = checkCompleteness(ready({ documents: [] }));
		expect(onco.issues.filter((i) => i.code === 'missing_document').map((i) => i.message)).toEqual([
			'Aucun compte rendu d’anatomopathologie joint.',
			'Aucune imagerie jointe.'
		]);
		const hf = checkCompleteness(
			ready({
				kind: 'heart_failure',
				quorumRule: null,
				data: {
					nyha: '3',
					lvef: 25,
					ntProBnp: 4000,
					etiology: 'ischemic',
					hospitalisations12m: 2,
					raasClass: 'arni',
					raasTitration: 'target',
					betaBlockerTitration: 'target',
					mraTitration: 'target',
					sglt2Titration: 'target',
					device: 'icd',
					rhythm: 'sinus'
				},
				documents: []
			})
		);
		expect(hf.issues.map((i) => i.message)).toEqual(['Aucune imagerie jointe.']);
	});

	it('flags imaging older than the pathway’s limit, at the meeting’s date, not pathology', () => {
		const old = ready({
			documents: [
				{ kind: 'pathology', date: '2025-01-01' },
				{ kind: 'imaging', date: '2026-08-01' }
			]
		});
		const issues = checkCompleteness(old).issues;
		expect(issues.map((i) => i.code)).toEqual(['stale_document']);
		expect(issues[0]!.message).toContain('122 jours');
		// A newer image makes the older one irrelevant.
		expect(
			codes({ ...old, documents: [...old.documents, { kind: 'imaging', date: '2026-11-20' }] })
		).toEqual([]);
		// Exactly at the limit is still fresh.
		expect(
			codes(
				ready({
					documents: [
						{ kind: 'pathology', date: '2026-01-01' },
						{ kind: 'imaging', date: '2026-09-02' }
					]
				})
			)
		).toEqual([]);
	});

	it('wants a validated or qualified INS', () => {
		expect(codes(ready({ identityStatus: 'provisional' }))).toEqual(['identity']);
		expect(codes(ready({ identityStatus: 'retrieved' }))).toEqual(['identity']);
		expect(codes(ready({ identityStatus: 'validated' }))).toEqual([]);
		expect(checkCompleteness(ready({ hasIns: false })).issues[0]!.message).toBe(
			'Matricule INS non renseigné.'
		);
	});

	it('reports a quorum specialty nobody confirmed, unless a written opinion covers it', () => {
		const withoutRadiotherapy = fullTeam.filter((a) => a.specialty !== 'radiation_oncology');
		const result = checkCompleteness(ready({ confirmed: withoutRadiotherapy }));
		expect(result.issues.map((i) => i.message)).toEqual([
			'Quorum : aucun participant confirmé ni avis écrit en Oncologie radiothérapie.'
		]);
		expect(
			codes(
				ready({
					confirmed: withoutRadiotherapy,
					opinions: [{ authorId: 'u9', specialty: 'radiation_oncology' }]
				})
			)
		).toEqual([]);
		// GPs never count toward the quorum.
		expect(
			codes(
				ready({
					confirmed: [
						...withoutRadiotherapy,
						{ personId: 'gp', specialty: 'radiation_oncology', isGp: true }
					]
				})
			)
		).toEqual(['specialty']);
	});

	it('reports the specialties the case needs that no one confirmed', () => {
		const result = checkCompleteness(ready({ neededSpecialties: ['radiology', 'pathology'] }));
		expect(result.issues.map((i) => i.message)).toEqual([
			'Spécialité demandée pour ce dossier sans participant confirmé : Radiologie.'
		]);
	});

	it('summarizes a meeting: ready cases and how many cases have each kind of issue', () => {
		const summary = summarizeCompleteness([
			checkCompleteness(ready()),
			checkCompleteness(ready({ documents: [], identityStatus: 'provisional' })),
			checkCompleteness(ready({ identityStatus: 'provisional' }))
		]);
		expect(summary.total).toBe(3);
		expect(summary.ready).toBe(1);
		expect(summary.casesByCode).toEqual({
			missing_field: 0,
			missing_document: 1,
			stale_document: 0,
			identity: 2,
			specialty: 0
		});
	});
});

describe('case points and meeting points, apart', () => {
	it('a case with its documents is ready even when nobody has replied to the meeting yet', () => {
		const input = ready({ confirmed: [], neededSpecialties: ['radiology'] });
		// The old union blamed the case for the meeting's silence (3 quorum points and more).
		expect(checkCompleteness(input).issues.length).toBeGreaterThanOrEqual(3);
		expect(checkCaseCompleteness(input)).toEqual({ ready: true, issues: [] });
	});

	it('the case keeps its own points: fields, documents, freshness, identity', () => {
		const result = checkCaseCompleteness(
			ready({
				data: { primarySite: 'C18.7', histology: 'Adénocarcinome', phase: 'initial' },
				documents: [{ kind: 'imaging', date: '2026-01-02' }],
				identityStatus: 'retrieved'
			})
		);
		expect([...new Set(result.issues.map((i) => i.code))]).toEqual([
			'missing_field',
			'missing_document',
			'stale_document',
			'identity'
		]);
		expect(result.issues.some((i) => i.code === 'specialty')).toBe(false);
	});

	it('the meeting gets the quorum among accepted invitations and the replies still missing, once', () => {
		const noRadiotherapy = fullTeam.filter((a) => a.specialty !== 'radiation_oncology');
		const result = checkMeetingReadiness({
			quorumRule: oncologyRule,
			confirmed: noRadiotherapy,
			pendingReplies: 3,
			cases: [
				{ neededSpecialties: ['radiology'], opinions: [] },
				{ neededSpecialties: ['radiology', 'pathology'], opinions: [] },
				{
					neededSpecialties: ['radiology'],
					opinions: [{ authorId: 'u9', specialty: 'radiology' }]
				}
			]
		});
		expect(result.ready).toBe(false);
		expect(result.issues.map((i) => i.message)).toEqual([
			'Quorum : aucun participant confirmé en Oncologie radiothérapie (un avis écrit peut couvrir un dossier).',
			'3 invitations sans réponse.',
			'Radiologie demandée pour 2 dossiers, sans participant confirmé.'
		]);
	});

	it('a meeting with its team confirmed and every reply in is ready; GPs do not count', () => {
		expect(
			checkMeetingReadiness({
				quorumRule: oncologyRule,
				confirmed: fullTeam,
				pendingReplies: 0,
				cases: [{ neededSpecialties: ['pathology'], opinions: [] }]
			})
		).toEqual({ ready: true, issues: [] });
		const gpOnly = checkMeetingReadiness({
			quorumRule: oncologyRule,
			confirmed: [{ personId: 'gp', specialty: 'radiology', isGp: true }],
			pendingReplies: 1,
			cases: [{ neededSpecialties: ['radiology'], opinions: [] }]
		});
		expect(gpOnly.issues.map((i) => i.code)).toEqual([
			'quorum_specialty',
			'quorum_specialty',
			'quorum_specialty',
			'quorum_count',
			'pending_replies',
			'needed_specialty'
		]);
		expect(gpOnly.issues[4]!.message).toBe('1 invitation sans réponse.');
	});
});
