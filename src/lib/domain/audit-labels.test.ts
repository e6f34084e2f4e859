import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	auditActionGroups,
	describeDeniedEntry,
	formatAuditTime,
	isKnownAuditAction,
	labelAuditAction,
	labelAuditActor,
	labelAuditObject
} from './audit-labels';

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory()
			? sourceFiles(join(dir, e.name))
			: /\.(ts|svelte)$/.test(e.name) && !e.name.endsWith('.test.ts')
				? [join(dir, e.name)]
				: []
	);
}

/** The codes built at run time from a prefix (outbox status, LiveKit webhook event). */
const dynamicCodes: Record<string, string[]> = {
	'delivery.': ['delivery.delivered', 'delivery.retry_later', 'delivery.failed'],
	'attendance.': [
		'attendance.participant_joined',
		'attendance.participant_left',
		'attendance.participant_connection_aborted',
		'attendance.room_finished'
	]
};

describe('audit action labels', () => {
	it('labels every action code written by the server and the routes', () => {
		const files = [...sourceFiles('src/lib/server'), ...sourceFiles('src/routes')];
		const codes = new Set<string>(['logout']);
		const prefixes = new Set<string>();
		for (const file of files) {
			const text = readFileSync(file, 'utf8');
			// `action: 'x.y'`, `action: cond ? 'x.y' : 'x.z'`, `action: \`x.${…}\``
			for (const m of text.matchAll(/\baction:\s*([^,\n}]+)/g)) {
				for (const q of m[1]!.matchAll(/'([a-z_]+(?:\.[a-z_]+)+)'/g)) codes.add(q[1]!);
				for (const t of m[1]!.matchAll(/`([a-z_.]+)\$\{/g)) prefixes.add(t[1]!);
			}
		}
		expect(codes.size).toBeGreaterThan(60);
		expect(codes).toContain('access.denied');
		for (const prefix of prefixes) {
			expect(dynamicCodes, `codes built from « ${prefix} »`).toHaveProperty([prefix]);
			for (const code of dynamicCodes[prefix]!) codes.add(code);
		}
		const missing = [...codes].filter((c) => !isKnownAuditAction(c));
		expect(missing).toEqual([]);
	});

	it('has one label per code, in French, never twice', () => {
		const codes = auditActionGroups.flatMap((g) => Object.keys(g.actions));
		expect(new Set(codes).size).toBe(codes.length);
		expect(labelAuditAction('access.denied')).toBe('Accès refusé');
		expect(labelAuditAction('case.read')).toBe('Dossier consulté');
	});

	it('falls back to the code itself for an unknown action or object', () => {
		expect(labelAuditAction('something.new')).toBe('something.new');
		expect(isKnownAuditAction('something.new')).toBe(false);
		expect(labelAuditObject('rcp_case')).toBe('Dossier');
		expect(labelAuditObject('widget')).toBe('widget');
	});
});

describe('audit actors, entries and dates', () => {
	it('names each kind of actor', () => {
		expect(labelAuditActor({ actorType: 'user', name: 'Dr Anne Martin', email: 'a@x.fr' })).toBe(
			'Dr Anne Martin'
		);
		expect(labelAuditActor({ actorType: 'user', name: null, email: null })).toBe('compte supprimé');
		expect(labelAuditActor({ actorType: 'guest' })).toBe('invité (lien)');
		expect(labelAuditActor({ actorType: 'system' })).toBe('système');
		expect(labelAuditActor({ actorType: 'anonymous' })).toBe('anonyme');
	});

	it('describes a refused entry from its detail', () => {
		const detail = JSON.stringify({ route: '/(app)/cases/[caseId]', entry: 'load', status: 403 });
		expect(describeDeniedEntry(detail)).toBe('/(app)/cases/[caseId] (consultation) — réponse 403');
		expect(
			describeDeniedEntry(JSON.stringify({ route: '/r', entry: 'action:save', status: 404 }))
		).toBe('/r (action « save ») — réponse 404');
		expect(describeDeniedEntry('not json')).toBeNull();
		expect(describeDeniedEntry(null)).toBeNull();
	});

	it('writes times in Paris, to the second, summer and winter', () => {
		expect(formatAuditTime(new Date('2026-12-02T16:30:05Z'))).toBe('02/12/2026 17:30:05');
		expect(formatAuditTime(new Date('2026-07-14T22:00:00Z'))).toBe('15/07/2026 00:00:00');
	});
});
