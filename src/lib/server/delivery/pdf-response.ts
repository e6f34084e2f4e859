import { contentDisposition } from '$lib/domain/file-name';

/**
 * A generated PDF served inline (it opens in the browser's viewer), never cached. No CSP
 * `sandbox`, which keeps Firefox and Safari from rendering it (see documentHeaders in
 * ../documents.ts); no script or connection source either.
 */
export function pdfResponse(bytes: Buffer, fileName: string): Response {
	return new Response(new Uint8Array(bytes), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Length': String(bytes.length),
			'Content-Disposition': contentDisposition(fileName, 'inline'),
			'Content-Security-Policy':
				"default-src 'none'; object-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; frame-ancestors 'none'",
			'Cache-Control': 'no-store',
			'X-Content-Type-Options': 'nosniff'
		}
	});
}
