import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { matrixDatabasePath } from './tests/matrix/paths.js';

export default defineConfig({
	plugins: [sveltekit()],
	test: {
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					setupFiles: ['tests/integration/setup.ts'],
					testTimeout: 20000,
					hookTimeout: 30000
				}
			},
			{
				// The same integration suite on PostgreSQL: one throw-away cluster for the run,
				// a database per test file.
				extends: true,
				test: {
					name: 'integration-pg',
					include: ['tests/integration/**/*.test.ts'],
					environment: 'node',
					setupFiles: ['tests/integration/setup.ts'],
					globalSetup: ['tests/support/pg-global-setup.ts'],
					env: { PLURI_TEST_ENGINE: 'postgres' },
					testTimeout: 30000,
					hookTimeout: 60000
				}
			},
			{
				// Against the built server (`npm test` runs it after `vite build`): the
				// authorization matrix and the fuzzer. The test process reads the server's database.
				extends: true,
				test: {
					name: 'matrix',
					include: ['tests/matrix/**/*.test.ts'],
					environment: 'node',
					env: { DATABASE_URL: matrixDatabasePath, PLURI_DEMO: '' },
					fileParallelism: false,
					testTimeout: 600000,
					hookTimeout: 120000
				}
			}
		]
	}
});
