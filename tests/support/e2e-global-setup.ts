import { existsSync } from 'node:fs';
import { join } from 'node:path';

export default function globalSetup(): void {
	const build = process.env.PLURI_BUILD_DIR ?? 'build';
	if (!existsSync(join(build, 'index.js')))
		throw new Error(`Run \`npx vite build\` before the end-to-end tests (${build}/index.js).`);
}
