import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const DEMO_PASSWORD = 'Demo-Pluri-2026';
export const demoEmail = (key: string): string => `${key}@demo.pluri.fr`;

export async function login(page: Page, key: string, password = DEMO_PASSWORD): Promise<void> {
	await page.goto('/login');
	// Filling before hydration can be wiped when the page takes over: wait until it settled.
	await page.waitForLoadState('networkidle');
	await page.getByLabel('Adresse électronique').fill(demoEmail(key));
	await page.getByLabel('Mot de passe').fill(password);
	await page.getByRole('button', { name: 'Se connecter' }).click();
	await expect(page.getByRole('button', { name: 'Se déconnecter' })).toBeVisible();
}

const axeSource = readFileSync(
	createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
	'utf8'
);

interface AxeViolation {
	id: string;
	help: string;
	nodes: { target: string[] }[];
}

/** Runs axe-core (WCAG 2.1 A and AA rules) on the current page and fails on any violation. */
export async function expectAccessible(page: Page): Promise<void> {
	await page.evaluate(axeSource);
	const violations = await page.evaluate(async () => {
		const axe = (
			window as unknown as {
				axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> };
			}
		).axe;
		const result = await axe.run(document, {
			runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }
		});
		return result.violations.map((v) => ({
			id: v.id,
			help: v.help,
			nodes: v.nodes.map((n) => n.target.join(' '))
		}));
	});
	expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
}
