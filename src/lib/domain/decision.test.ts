import { describe, expect, it } from 'vitest';
import {
	isRelaunchable,
	checkAmendment,
	checkDecisionContent,
	checkDraftRevision,
	checkExpectedOutcome,
	computeRetryDelay,
	decideValidationOutcome,
	decisionVersionIdentifier,
	deriveDeliveryKey,
	isSameContent,
	listMailRecipients,
	nextOutboxState,
	normalizeDecisionContent,
	planDecisionEdit,
	type DecisionContent
} from './decision';
import { getProposalTypes } from './pathways';

const content = (over: Partial<DecisionContent> = {}): DecisionContent => ({
	proposalTypes: ['surgery'],
	text: 'Résection antérieure du rectum après radiochimiothérapie.',
	conformity: 'conform',
	justification: null,
	trialProposed: false,
	trialName: null,
	followUp: null,
	...over
});

describe('proposal types per pathway kind', () => {
	it('takes the CI-SIS oncology value set and the heart-failure list', () => {
		expect(
			checkDecisionContent('oncology', content({ proposalTypes: ['brachytherapy'] }), 'final')
		).toEqual({});
		expect(
			checkDecisionContent(
				'heart_failure',
				content({ proposalTypes: ['device_implantation'] }),
				'final'
			)
		).toEqual({});
	});

	it('refuses a type of the other pathway kind, even in a draft', () => {
		expect(
			checkDecisionContent('heart_failure', content({ proposalTypes: ['chemotherapy'] }), 'draft')
				.proposalTypes
		).toContain('chemotherapy');
		expect(
			checkDecisionContent('oncology', content({ proposalTypes: ['ablation'] }), 'final')
				.proposalTypes
		).toContain('ablation');
	});

	it('accepts every code of each list', () => {
		for (const kind of ['oncology', 'heart_failure'] as const) {
			const codes = getProposalTypes(kind).map((t) => t.code);
			expect(checkDecisionContent(kind, content({ proposalTypes: codes }), 'final')).toEqual({});
		}
	});
});

describe('what a validation needs', () => {
	it('lets a draft be incomplete', () => {
		expect(
			checkDecisionContent(
				'oncology',
				content({ proposalTypes: [], text: '', conformity: null }),
				'draft'
			)
		).toEqual({});
	});

	it('needs a proposal type, a text and the conformity for a final decision', () => {
		const errors = checkDecisionContent(
			'oncology',
			content({ proposalTypes: [], text: '  ', conformity: null }),
			'final'
		);
		expect(Object.keys(errors).sort()).toEqual(['conformity', 'proposalTypes', 'text']);
	});

	it('needs a justification when off-guideline, final or provisional', () => {
		for (const purpose of ['final', 'provisional'] as const) {
			expect(
				checkDecisionContent(
					'oncology',
					content({ conformity: 'off_guideline', justification: ' ' }),
					purpose
				).justification
			).toBe('Justifiez une proposition hors référentiel.');
		}
		expect(
			checkDecisionContent(
				'oncology',
				content({ conformity: 'off_guideline', justification: 'Patient de 92 ans, fragile.' }),
				'final'
			)
		).toEqual({});
	});

	it('lets a provisional opinion leave the conformity open', () => {
		expect(checkDecisionContent('oncology', content({ conformity: null }), 'provisional')).toEqual(
			{}
		);
	});

	it('needs the trial name when a trial is proposed', () => {
		expect(
			checkDecisionContent('oncology', content({ trialProposed: true }), 'final').trialName
		).toBeDefined();
		expect(
			checkDecisionContent(
				'oncology',
				content({ trialProposed: true, trialName: 'PRODIGE 23' }),
				'final'
			)
		).toEqual({});
	});

	it('limits the text length', () => {
		expect(
			checkDecisionContent('oncology', content({ text: 'x'.repeat(8001) }), 'draft').text
		).toBeDefined();
	});

	it('normalizes: no justification when conform, no trial name without a trial, no duplicate types', () => {
		expect(
			normalizeDecisionContent(
				content({
					proposalTypes: ['surgery', 'surgery', 'radiotherapy'],
					justification: 'left over',
					trialName: 'left over',
					followUp: '  '
				})
			)
		).toMatchObject({
			proposalTypes: ['surgery', 'radiotherapy'],
			justification: null,
			trialName: null,
			followUp: null
		});
	});
});

describe('quorum gate', () => {
	it('gives a final decision with quorum, a provisional opinion and a deferral without', () => {
		expect(decideValidationOutcome(true)).toEqual({
			decisionStatus: 'validated',
			caseStatus: 'decided',
			deliver: true
		});
		expect(decideValidationOutcome(false)).toEqual({
			decisionStatus: 'provisional',
			caseStatus: 'deferred',
			deliver: false
		});
	});
});

describe('versions', () => {
	it('creates version 1, then updates the draft in place', () => {
		expect(planDecisionEdit(null, 'm1')).toEqual({ kind: 'create', version: 1 });
		expect(planDecisionEdit({ status: 'draft', version: 1, meetingId: 'm1' }, 'm1')).toEqual({
			kind: 'update',
			version: 1
		});
	});

	it('locks a validated decision', () => {
		const plan = planDecisionEdit({ status: 'validated', version: 2, meetingId: 'm1' }, 'm1');
		expect(plan.kind).toBe('locked');
	});

	it('starts a new version at the next meeting after a provisional opinion, not at the same one', () => {
		expect(planDecisionEdit({ status: 'provisional', version: 1, meetingId: 'm1' }, 'm2')).toEqual({
			kind: 'create',
			version: 2
		});
		expect(
			planDecisionEdit({ status: 'provisional', version: 1, meetingId: 'm1' }, 'm1').kind
		).toBe('locked');
	});

	it('amends only a validated decision, with a reason, as version n + 1', () => {
		expect(
			checkAmendment({ status: 'validated', version: 1 }, 'Erreur de latéralité corrigée')
		).toEqual({
			ok: true,
			version: 2
		});
		expect(checkAmendment({ status: 'validated', version: 1 }, '  court ')).toMatchObject({
			ok: false,
			field: 'reason'
		});
		expect(checkAmendment({ status: 'validated', version: 1 }, null)).toMatchObject({ ok: false });
		expect(
			checkAmendment({ status: 'draft', version: 1 }, 'Motif suffisamment long')
		).toMatchObject({
			ok: false,
			field: 'form'
		});
		expect(checkAmendment(null, 'Motif suffisamment long')).toMatchObject({ ok: false });
	});

	it('tells whether an amendment changes anything', () => {
		expect(isSameContent(content(), content({ text: ` ${content().text} ` }))).toBe(true);
		expect(isSameContent(content(), content({ proposalTypes: ['radiotherapy'] }))).toBe(false);
		expect(
			isSameContent(content(), content({ conformity: 'off_guideline', justification: 'x' }))
		).toBe(false);
	});
});

describe('delivery keys and recipients', () => {
	it('derives one key per (decision version, channel, recipient), case-insensitive on the address', () => {
		const a = deriveDeliveryKey('d1', 'mail', 'Dr.Renaud@MSSante.fr');
		expect(a).toBe(deriveDeliveryKey('d1', 'mail', 'dr.renaud@mssante.fr '));
		expect(a).not.toBe(deriveDeliveryKey('d2', 'mail', 'dr.renaud@mssante.fr'));
		expect(a).not.toBe(deriveDeliveryKey('d1', 'fhir', 'dr.renaud@mssante.fr'));
	});

	it('identifies a decision version by a URN of its id', () => {
		expect(decisionVersionIdentifier('0f8a')).toBe('urn:uuid:0f8a');
	});

	it('mails each doctor once even when the referring doctor is the GP', () => {
		expect(listMailRecipients(['a@x.fr', null, 'A@X.fr', ' ', 'b@x.fr'])).toEqual([
			'a@x.fr',
			'b@x.fr'
		]);
	});
});

describe('retries', () => {
	const policy = { baseMs: 1000, capMs: 60_000, maxAttempts: 5 };

	it('grows exponentially with jitter and a cap', () => {
		expect(computeRetryDelay(1, 0, policy)).toBe(500);
		expect(computeRetryDelay(1, 0.999999, policy)).toBe(1000);
		expect(computeRetryDelay(3, 0, policy)).toBe(2000);
		expect(computeRetryDelay(3, 0.5, policy)).toBe(3000);
		expect(computeRetryDelay(20, 0.999999, policy)).toBe(60_000);
		const spread = new Set([0.1, 0.4, 0.8].map((r) => computeRetryDelay(4, r, policy)));
		expect(spread.size).toBe(3);
	});

	it('retries until the last attempt, then fails with the error', () => {
		const now = new Date('2026-03-01T10:00:00Z');
		const retry = { kind: 'retry', error: 'Délai dépassé' } as const;
		const next = nextOutboxState(retry, 2, now, 0, policy);
		expect(next).toEqual({
			status: 'pending',
			nextAttemptAt: new Date(now.getTime() + 1000),
			lastError: 'Délai dépassé'
		});
		expect(nextOutboxState(retry, 5, now, 0, policy)).toEqual({
			status: 'failed',
			lastError: 'Délai dépassé (abandon après 5 tentatives)'
		});
	});

	it('fails at once on a permanent error and records a delivery', () => {
		const now = new Date();
		expect(nextOutboxState({ kind: 'failed', error: '412' }, 1, now, 0, policy)).toEqual({
			status: 'failed',
			lastError: '412'
		});
		expect(
			nextOutboxState({ kind: 'delivered', remoteId: 'DocumentReference/7' }, 3, now, 0, policy)
		).toEqual({
			status: 'delivered',
			remoteId: 'DocumentReference/7'
		});
	});
});

describe('isRelaunchable', () => {
	const now = new Date('2026-03-02T10:00:00Z');
	const later = new Date(now.getTime() + 60_000);
	it('a failed row, or one waiting after an error; nothing else', () => {
		expect(isRelaunchable({ status: 'failed', lastError: 'x', nextAttemptAt: now }, now)).toBe(
			true
		);
		expect(isRelaunchable({ status: 'pending', lastError: '500', nextAttemptAt: later }, now)).toBe(
			true
		);
		// Already due (a relaunch just made, or a first send): nothing to bring forward.
		expect(isRelaunchable({ status: 'pending', lastError: '500', nextAttemptAt: now }, now)).toBe(
			false
		);
		expect(isRelaunchable({ status: 'pending', lastError: null, nextAttemptAt: later }, now)).toBe(
			false
		);
		expect(isRelaunchable({ status: 'sending', lastError: 'x', nextAttemptAt: later }, now)).toBe(
			false
		);
		expect(isRelaunchable({ status: 'delivered', lastError: null, nextAttemptAt: now }, now)).toBe(
			false
		);
	});
});

describe('draft version counter', () => {
	it('starts at 1 and bumps at each save based on the stored revision', () => {
		expect(checkDraftRevision(null, null)).toEqual({ ok: true, next: 1 });
		expect(checkDraftRevision(null, 0)).toEqual({ ok: true, next: 1 });
		expect(checkDraftRevision(4, 4)).toEqual({ ok: true, next: 5 });
		expect(checkDraftRevision(4, null)).toEqual({ ok: true, next: 5 });
	});

	it('refuses a save based on an older (or unknown) revision, in French', () => {
		const stale = checkDraftRevision(7, 5);
		expect(stale).toMatchObject({ ok: false });
		expect(!stale.ok && stale.message).toMatch(
			/modifiée entre-temps.*n° 7.*reste dans le formulaire/
		);
		expect(checkDraftRevision(7, 8).ok).toBe(false);
	});
});

describe('confirming the announced outcome', () => {
	it('records only what the chair was shown', () => {
		const final = decideValidationOutcome(true);
		const provisional = decideValidationOutcome(false);
		expect(checkExpectedOutcome('validated', final)).toEqual({ ok: true });
		expect(checkExpectedOutcome('provisional', provisional)).toEqual({ ok: true });
		expect(checkExpectedOutcome(null, provisional)).toEqual({ ok: true });
		const lost = checkExpectedOutcome('validated', provisional);
		expect(lost).toMatchObject({ ok: false });
		expect(!lost.ok && lost.message).toMatch(/n’est plus atteint/);
		expect(checkExpectedOutcome('provisional', final)).toMatchObject({ ok: false });
	});
});
