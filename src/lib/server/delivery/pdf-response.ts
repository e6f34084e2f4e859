/** A generated PDF served inline (it opens in the browser's viewer), never cached. */
export function pdfResponse(bytes: Buffer, fileName: string): Response {
	return new Response(new Uint8Array(bytes), {
		headers: {
			'Content-Type': 'application/pdf',
			'Content-Length': String(bytes.length),
			'Content-Disposition': `inline; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
			'Cache-Control': 'private, no-store',
			'X-Content-Type-Options': 'nosniff'
		}
	});
}
