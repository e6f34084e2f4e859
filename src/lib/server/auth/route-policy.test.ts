import { describe, expect, it } from 'vitest';
import { listEntryPoints, listPageRoutes } from '../../../../tests/support/route-inventory';
import { describeEntry, judgeGate } from './gate';
import { findEntryPolicy, routePolicies, type EntryPolicy } from './route-policy';

const entries = listEntryPoints();

function declared(e: (typeof entries)[number]): EntryPolicy | undefined {
	const route = routePolicies[e.routeId];
	if (e.kind === 'layout-load') return route?.layoutLoad;
	if (e.kind === 'load') return route?.load;
	if (e.kind === 'action') return route?.actions?.[e.name];
	return route?.methods?.[e.name as 'GET'];
}

describe('route inventory', () => {
	it('finds the route tree (a broken reader must not pass as "nothing to check")', () => {
		expect(entries.length).toBeGreaterThan(100);
		expect(entries.filter((e) => e.kind === 'action').length).toBeGreaterThan(50);
		expect(
			entries.some((e) => e.routeId === '/(app)/admin/users/[userId]' && e.name === 'password')
		).toBe(true);
	});

	it('every load, action and endpoint method declares its policy', () => {
		const missing = entries
			.filter((e) => !declared(e))
			.map((e) => `${e.file} → ${e.kind}${e.name ? ` ${e.name}` : ''}`);
		expect(
			missing,
			`entry points without a policy in route-policy.ts:\n${missing.join('\n')}`
		).toEqual([]);
	});

	it('the policy table names no entry point that does not exist', () => {
		const real = new Set(entries.map((e) => `${e.routeId}|${e.kind}|${e.name}`));
		const stale: string[] = [];
		for (const [routeId, p] of Object.entries(routePolicies)) {
			if (p.layoutLoad && !real.has(`${routeId}|layout-load|`)) stale.push(`${routeId} layoutLoad`);
			if (p.load && !real.has(`${routeId}|load|`)) stale.push(`${routeId} load`);
			for (const name of Object.keys(p.actions ?? {}))
				if (!real.has(`${routeId}|action|${name}`)) stale.push(`${routeId} action ${name}`);
			for (const name of Object.keys(p.methods ?? {}))
				if (!real.has(`${routeId}|method|${name}`)) stale.push(`${routeId} ${name}`);
		}
		expect(stale).toEqual([]);
	});

	it('every page (and so its __data.json) has a gate, even without a server load of its own', () => {
		const ungated = listPageRoutes().filter((r) => !findEntryPolicy(r, { kind: 'load' }));
		// A page with no server load at all still serves its layouts' data through __data.json.
		expect(ungated).toEqual([]);
	});

	it('open entry points say why they are open', () => {
		const unexplained = entries
			.filter((e) => {
				const p = declared(e);
				return p && (p.gate === 'public' || p.gate === 'link') && !p.why;
			})
			.map((e) => `${e.routeId} ${e.name}`);
		expect(unexplained).toEqual([]);
	});

	it('nothing under /admin is open to non-administrators', () => {
		const weak = entries
			.filter((e) => e.routeId.startsWith('/(app)/admin'))
			.filter((e) => declared(e)?.gate !== 'admin')
			.map((e) => `${e.routeId} ${e.kind} ${e.name}`);
		expect(weak).toEqual([]);
	});
});

describe('gate', () => {
	const anonymous = { user: null, actor: { kind: 'anonymous' } } as unknown as App.Locals;
	const doctor = {
		user: { id: 'u1' },
		actor: { kind: 'user', id: 'u1', isAdmin: false, memberships: [] }
	} as unknown as App.Locals;
	const admin = {
		user: { id: 'a1' },
		actor: { kind: 'user', id: 'a1', isAdmin: true, memberships: [] }
	} as unknown as App.Locals;
	const url = (path: string) => new URL(`http://x${path}`);

	it('reads which entry a request reaches', () => {
		expect(
			describeEntry('/(app)/admin/users/[userId]', 'POST', url('/admin/users/1?/password'))
		).toEqual({ kind: 'action', name: 'password' });
		expect(describeEntry('/(app)/admin/users/new', 'POST', url('/admin/users/new'))).toEqual({
			kind: 'action',
			name: 'default'
		});
		expect(describeEntry('/(app)/admin/users', 'GET', url('/admin/users/__data.json'))).toEqual({
			kind: 'load'
		});
		expect(describeEntry('/api/livekit/webhook', 'POST', url('/api/livekit/webhook'))).toEqual({
			kind: 'method',
			method: 'POST'
		});
		expect(describeEntry('/api/livekit/webhook', 'DELETE', url('/api/livekit/webhook'))).toEqual({
			kind: 'method',
			method: 'DELETE'
		});
	});

	it('admits by gate, and refuses what is not declared', () => {
		const adminAction = findEntryPolicy('/(app)/admin/users/[userId]', {
			kind: 'action',
			name: 'password'
		});
		expect(judgeGate(adminAction, anonymous)).toEqual({ ok: false, kind: 'login' });
		expect(judgeGate(adminAction, doctor)).toMatchObject({ ok: false, status: 403 });
		expect(judgeGate(adminAction, admin)).toEqual({ ok: true });
		const caseLoad = findEntryPolicy('/(app)/cases/[caseId]', { kind: 'load' });
		expect(judgeGate(caseLoad, anonymous)).toEqual({ ok: false, kind: 'login' });
		expect(judgeGate(caseLoad, doctor)).toEqual({ ok: true });
		const unknownAction = findEntryPolicy('/(app)/cases/[caseId]', { kind: 'action', name: 'x' });
		expect(judgeGate(unknownAction, admin)).toMatchObject({ ok: false, status: 404 });
		const unknownMethod = findEntryPolicy('/api/livekit/webhook', {
			kind: 'method',
			method: 'DELETE'
		});
		expect(judgeGate(unknownMethod, admin)).toMatchObject({ ok: false });
		expect(judgeGate(findEntryPolicy('/nowhere', { kind: 'load' }), admin)).toMatchObject({
			ok: false
		});
	});
});
