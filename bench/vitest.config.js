import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

// `npm run bench:delivery`: the delivery benchmark runs the server code as the tests do
// (real SQLite file with the real migrations), outside the test suites.
export default defineConfig({
	plugins: [sveltekit()],
	test: {
		include: ['bench/**/*.bench-run.js'],
		environment: 'node',
		setupFiles: ['tests/integration/setup.ts'],
		testTimeout: 600_000,
		hookTimeout: 60_000
	}
});
