import { defineConfig, devices } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 4317);
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
	testDir: 'tests/e2e',
	outputDir: process.env.PW_OUTPUT_DIR ?? 'test-results/playwright',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 30_000,
	expect: { timeout: 7_000 },
	reporter: [
		['list'],
		['json', { outputFile: process.env.PW_JSON ?? 'test-results/reports/playwright.json' }]
	],
	globalSetup: './tests/support/e2e-global-setup.ts',
	use: {
		baseURL,
		locale: 'fr-FR',
		timezoneId: 'Europe/Paris',
		trace: 'retain-on-failure',
		...devices['Desktop Chrome'],
		viewport: { width: 1280, height: 800 },
		launchOptions: {
			executablePath: '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
				'--use-fake-ui-for-media-stream',
				'--use-fake-device-for-media-stream'
			]
		}
	},
	projects: [
		{ name: 'e2e', testDir: 'tests/e2e' },
		// Several instances on one PostgreSQL, in a worker of their own (the test process opens
		// the database as PostgreSQL there).
		{ name: 'instances', testDir: 'tests/e2e-instances' }
	],
	webServer: {
		command: 'node tests/support/e2e-server.js',
		url: `${baseURL}/login`,
		reuseExistingServer: false,
		timeout: 60_000,
		stdout: 'pipe',
		stderr: 'pipe',
		env: { E2E_PORT: String(port), PLURI_BUILD_DIR: process.env.PLURI_BUILD_DIR ?? 'build' }
	}
});
