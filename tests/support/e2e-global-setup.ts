import { existsSync } from 'node:fs';

export default function globalSetup(): void {
	if (!existsSync('build/index.js'))
		throw new Error('Run `npx vite build` before the end-to-end tests.');
}
