import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

const livekitUrl = process.env.LIVEKIT_URL ?? 'ws://127.0.0.1:7880';
const livekitHttp = livekitUrl.replace(/^ws/, 'http');

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// Separate output folders let several builds coexist on one machine (parallel test runs).
		adapter: adapter({ precompress: true, out: process.env.PLURI_BUILD_DIR ?? 'build' }),
		outDir: process.env.PLURI_KIT_DIR ?? '.svelte-kit',
		csrf: { trustedOrigins: [] },
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:', 'blob:'],
				'media-src': ['self', 'blob:', 'mediastream:'],
				'font-src': ['self'],
				'frame-src': ['self'],
				'worker-src': ['self', 'blob:'],
				'connect-src': ['self', livekitUrl, livekitHttp],
				'object-src': ['none'],
				'base-uri': ['none'],
				'frame-ancestors': ['none'],
				'form-action': ['self']
			}
		}
	}
};

export default config;
