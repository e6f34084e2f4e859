/**
 * Image dimensions read from the header bytes alone (PNG IHDR, JPEG SOF markers), without
 * decoding: a 50 kB file can announce 100,000 × 100,000 pixels and exhaust the memory of
 * whatever displays it (a « decompression bomb »). Uploads beyond the budget are refused.
 */
export interface ImageSize {
	width: number;
	height: number;
}

/** 50 megapixels: a full-resolution photo or scan, far beyond any key image. */
export const MAX_IMAGE_PIXELS = 50_000_000;
/** Longest side accepted, whatever the other. */
export const MAX_IMAGE_SIDE = 20_000;

const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function readU16(b: Uint8Array, at: number): number {
	return (b[at]! << 8) | b[at + 1]!;
}

function readU32(b: Uint8Array, at: number): number {
	return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}

/** PNG: the first chunk must be IHDR (length 13), width and height big-endian after it. */
export function readPngSize(b: Uint8Array): ImageSize | null {
	if (b.length < 24 || !pngSignature.every((v, i) => b[i] === v)) return null;
	const ihdr = b[12] === 0x49 && b[13] === 0x48 && b[14] === 0x44 && b[15] === 0x52;
	if (!ihdr || readU32(b, 8) !== 13) return null;
	return { width: readU32(b, 16), height: readU32(b, 20) };
}

// Start-of-frame markers (baseline, progressive, lossless, arithmetic…); C4, C8 and CC are not.
const sofMarkers = new Set([
	0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf
]);

/** JPEG: walks the marker segments up to the first start of frame (before the scan data). */
export function readJpegSize(b: Uint8Array): ImageSize | null {
	if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
	let at = 2;
	while (at + 1 < b.length) {
		if (b[at] !== 0xff) return null; // not on a marker: corrupt
		const marker = b[at + 1]!;
		if (marker === 0xff) {
			at += 1; // fill byte
			continue;
		}
		at += 2;
		// Markers without a length: TEM, RSTn, SOI.
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
		if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan before a frame
		if (at + 2 > b.length) return null;
		const length = readU16(b, at);
		if (length < 2) return null;
		if (sofMarkers.has(marker)) {
			if (at + 7 > b.length || length < 7) return null;
			return { height: readU16(b, at + 3), width: readU16(b, at + 5) };
		}
		at += length;
	}
	return null;
}

export function readImageSize(
	bytes: Uint8Array,
	type: 'image/png' | 'image/jpeg'
): ImageSize | null {
	return type === 'image/png' ? readPngSize(bytes) : readJpegSize(bytes);
}

const formatter = new Intl.NumberFormat('fr-FR');

/**
 * Null when the image fits the budget; otherwise the French message for the file field. An
 * image whose header gives no size (or a zero side, to be defined later in the file) is
 * refused too: a sound PNG or JPEG always states it up front.
 */
export function checkImageBudget(size: ImageSize | null): string | null {
	if (!size || size.width === 0 || size.height === 0) {
		return 'Les dimensions de cette image sont illisibles : le fichier est refusé. Enregistrez-la de nouveau en PNG ou en JPEG.';
	}
	const pixels = size.width * size.height;
	if (size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE || pixels > MAX_IMAGE_PIXELS) {
		return `Cette image est trop grande (${formatter.format(size.width)} × ${formatter.format(size.height)} pixels) : au plus ${MAX_IMAGE_PIXELS / 1_000_000} mégapixels et ${formatter.format(MAX_IMAGE_SIDE)} pixels de côté. Réduisez-la avant de la joindre.`;
	}
	return null;
}
