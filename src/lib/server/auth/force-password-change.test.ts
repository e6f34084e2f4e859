import { isRedirect, type RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { forcePasswordChange, PASSWORD_CHANGE_PATH } from './force-password-change';

function run(path: string, routeId: string | null, mustChangePassword: boolean | null) {
	const event = {
		url: new URL(`http://pluri.test${path}`),
		route: { id: routeId },
		locals: { user: mustChangePassword === null ? null : { mustChangePassword } }
	} as unknown as RequestEvent;
	const resolve = async () => new Response('page');
	return forcePasswordChange({ event, resolve });
}

async function outcome(...args: Parameters<typeof run>): Promise<string> {
	try {
		const response = await run(...args);
		return response.status === 200 ? 'page' : `${response.status}`;
	} catch (e) {
		if (isRedirect(e)) return `redirect ${e.location}`;
		throw e;
	}
}

describe('forced password change', () => {
	it('leads every page, action and data request to the change page while the flag is set', async () => {
		const to = `redirect ${PASSWORD_CHANGE_PATH}`;
		expect(await outcome('/', '/(app)', true)).toBe(to);
		expect(await outcome('/cases/x', '/(app)/cases/[caseId]', true)).toBe(to);
		expect(await outcome('/cases/__data.json', '/(app)/cases', true)).toBe(to);
		expect(await outcome('/account?/password', '/(app)/account', true)).toBe(to);
		expect(await outcome('/admin/users', '/(app)/admin/users', true)).toBe(to);
	});

	it('answers machine endpoints with a 403 instead', async () => {
		expect(await outcome('/api/meetings/m/events', '/api/meetings/[meetingId]/events', true)).toBe(
			'403'
		);
	});

	it('leaves the change page, logging out and static files reachable', async () => {
		expect(await outcome('/account/password', '/(app)/account/password', true)).toBe('page');
		expect(await outcome('/account/password/__data.json', '/(app)/account/password', true)).toBe(
			'page'
		);
		expect(await outcome('/logout', '/(public)/logout', true)).toBe('page');
		expect(await outcome('/_app/immutable/x.js', null, true)).toBe('page');
		expect(await outcome('/favicon.svg', null, true)).toBe('page');
	});

	it('does nothing for accounts without the flag, or without a session', async () => {
		expect(await outcome('/', '/(app)', false)).toBe('page');
		expect(await outcome('/login', '/(public)/login', null)).toBe('page');
	});
});
