import { describe, expect, it } from 'vitest';
import { changePasswordSchema, newPasswordSchema, safeRedirect } from './auth';

describe('safeRedirect', () => {
	it('keeps same-site absolute paths with their query and fragment', () => {
		expect(safeRedirect('/')).toBe('/');
		expect(safeRedirect('/cases/abc?tab=documents#doc-2')).toBe('/cases/abc?tab=documents#doc-2');
		expect(safeRedirect('/meetings/x/room')).toBe('/meetings/x/room');
		expect(safeRedirect('/stats?q=100%25')).toBe('/stats?q=100%25');
		expect(safeRedirect('/cases?q=a%2Fb')).toBe('/cases?q=a%2Fb');
	});

	it.each([
		// nothing, or not a path
		[null],
		[undefined],
		[''],
		['cases'],
		[' /cases'],
		// other sites
		['https://evil.example/'],
		['http:/evil.example'],
		['//evil.example'],
		['///evil.example'],
		['/\\evil.example'],
		['\\\\evil.example'],
		['/\\/evil.example'],
		// schemes
		['javascript:alert(1)'],
		['JaVaScRiPt:alert(1)'],
		['data:text/html,<script>alert(1)</script>'],
		// control characters browsers strip, raw or encoded
		['/%09/evil.example'],
		['/%0a/evil.example'],
		['/%0d%0a/evil.example'],
		['/%00/evil.example'],
		['/\t/evil.example'],
		['/\n/evil.example'],
		['/cases\nSet-Cookie: x=1'],
		['/cases%0d%0aSet-Cookie:%20x=1'],
		['/%E2%80%8B/evil.example'],
		// encoded slashes and backslashes, once or twice
		['/%2F%2Fevil.example'],
		['/%2f/evil.example'],
		['/%5Cevil.example'],
		['/%5C%5Cevil.example'],
		['/%252F%252Fevil.example'],
		['/%25252F%25252Fevil.example'],
		// made into // by URL normalisation
		['/.//evil.example'],
		['/./%2F/evil.example'],
		// malformed escapes
		['/%E0%A4%A'],
		['/%'],
		// absurdly long
		[`/${'a'.repeat(3000)}`]
	])('refuses %j', (target) => {
		expect(safeRedirect(target)).toBe('/');
	});
});

describe('password forms', () => {
	it('checks the length and the confirmation on the password fields', () => {
		const short = newPasswordSchema.safeParse({ password: 'court', confirmPassword: 'court' });
		expect(short.success).toBe(false);
		expect(short.error?.issues[0]).toMatchObject({
			path: ['password'],
			message: 'Le mot de passe doit comporter au moins 12 caractères.'
		});
		const differ = newPasswordSchema.safeParse({
			password: 'une-phrase-assez-longue',
			confirmPassword: 'une-autre-phrase-longue'
		});
		expect(differ.error?.issues[0]).toMatchObject({
			path: ['confirmPassword'],
			message: 'Les deux mots de passe ne sont pas identiques.'
		});
	});

	it('asks for the current password when changing one’s own', () => {
		const result = changePasswordSchema.safeParse({
			currentPassword: '',
			password: 'une-phrase-assez-longue',
			confirmPassword: 'une-phrase-assez-longue'
		});
		expect(result.error?.issues[0]).toMatchObject({
			path: ['currentPassword'],
			message: 'Le mot de passe actuel est obligatoire.'
		});
	});
});
